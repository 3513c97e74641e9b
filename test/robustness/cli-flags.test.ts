// Bad flag values and specs, as a careless user types them: each is a usage error (exit 2) naming the flag or
// spec and what is wrong, without a stack trace, in seconds (the runs asked for are long: nothing trains).
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { buildIfNeeded, cli, expectCleanFailure } from "./cli-run.js";

let dir = "";
beforeAll(() => {
  buildIfNeeded();
  dir = mkdtempSync(join(tmpdir(), "wasm-optim-flags-"));
}, 180_000);

const CASES: [string, string[], RegExp][] = [
  ["epochs 0", ["train", "--epochs", "0"], /--epochs must be a positive integer, got '0'/],
  ["fractional epochs", ["train", "--epochs", "1.5"], /--epochs must be a positive integer, got '1.5'/],
  ["epochs overflowing", ["train", "--epochs", "1e9999"], /--epochs must be a positive integer/],
  ["batch 0", ["train", "--batch", "0"], /--batch must be a positive integer or 'full', got '0'/],
  ["batch as a float", ["train", "--batch", "1e3"], /--batch must be a positive integer or 'full'/],
  ["negative seed", ["train", "--seed", "-1"], /--seed must be an integer in \[0, 4294967295\], got '-1'/],
  ["seed past 2^32", ["train", "--seed", "4294967296", "--epochs", "100000"], /--seed must be an integer in \[0, 4294967295\], got '4294967296'/],
  ["seed past 2^53", ["train", "--seed", "99999999999999999999"], /--seed must be an integer in \[0, 4294967295\]/],
  ["lr not a number", ["train", "--opt", "adam:lr=abc", "--epochs", "100000"], /optimizer 'Adam \(lr=abc\)': Invalid lr: abc/],
  ["lr overflowing", ["train", "--opt", "adam:lr=1e400", "--epochs", "100000"], /Invalid lr: Infinity \(must be a finite number\)/],
  ["lr NaN", ["train", "--opt", "adam:lr=NaN", "--epochs", "100000"], /Invalid lr: NaN/],
  ["negative lr", ["train", "--opt", "sgd:lr=-0.1", "--epochs", "100000"], /Invalid lr: -0.1/],
  ["betas not a pair", ["train", "--opt", "adam:betas=0.9", "--epochs", "100000"], /Invalid betas: 0.9 \(must be a pair/],
  ["beta out of range", ["train", "--opt", "adam:betas=0.9/1.5", "--epochs", "100000"], /Invalid betas\[1\]: 1.5/],
  ["a misspelt option", ["train", "--opt", "adam:learningRate=0.1"], /unknown option 'learningRate'.*lr/],
  ["an unknown optimizer", ["train", "--opt", "adamm"], /unknown optimizer 'adamm'.*adam/],
  ["a trailing colon", ["train", "--opt", "adam:"], /an empty option/],
  ["an option twice", ["train", "--opt", "adam:lr=1,lr=2"], /option 'lr' is given twice/],
  ["two optimizers in train", ["train", "--opt", "adam", "--opt", "sgd"], /train takes one --opt/],
  ["an optimizer twice in compare", ["compare", "--opt", "sgd", "--opt", "sgd", "--epochs", "100000"], /--opt 'SGD' is given twice/],
  ["LBFGS in mini-batch training", ["compare", "--opt", "lbfgs", "--epochs", "100000"], /LBFGS needs a closure/],
  ["a bad schedule value", ["train", "--schedule", "cosine:tMax=0", "--epochs", "100000"], /--schedule 'cosine:tMax=0': Invalid tMax: 0/],
  ["an unknown schedule", ["train", "--schedule", "cosin"], /unknown schedule 'cosin'.*cosine/],
  ["a zero-width layer", ["train", "--model", "mlp:0"], /layer widths must be positive integers, got 0/],
  ["a negative width", ["train", "--model", "mlp:-5"], /layer widths must be positive integers, got -5/],
  ["an unknown model option", ["train", "--model", "mlp:abc"], /unknown option 'abc'/],
  ["an unknown activation", ["train", "--model", "mlp:64,activation=foo"], /unknown activation 'foo'/],
  ["dropout 1.5", ["train", "--model", "mlp:64,dropout=1.5"], /dropout must be in \[0, 1\), got 1.5/],
  ["a model too large for the engine", ["train", "--model", "mlp:1000000000", "--epochs", "100000"], /cannot allocate the model.s .* parameters.*asked, but the engine.s memory can hold at most \d+ bytes/],
  ["two huge layers", ["train", "--model", "mlp:100000,100000", "--epochs", "100000"], /asked, but the engine.s memory can hold at most \d+ bytes .*use a smaller model/],
  ["an unknown dataset", ["train", "--data", "digitz"], /--data 'digitz': not a built-in dataset.*did you mean 'digits'/],
  ["a folder without IDX files", ["train", "--data", "/tmp"], /has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte/],
  ["subset 0", ["train", "--subset", "0"], /--subset must be a positive integer, got '0'/],
  ["clip 0", ["train", "--clip", "0"], /--clip must be a number > 0, got '0'/],
  ["clip NaN", ["train", "--clip", "NaN"], /--clip must be a number > 0, got 'NaN'/],
  ["an unknown backend", ["train", "--backend", "gpu"], /Allowed choices are auto, relaxed-simd, simd, scalar, js/],
  ["negative weight decay", ["train", "--weight-decay", "-1"], /--weight-decay must be a number >= 0, got '-1'/],
  ["an unknown flag", ["train", "--learning-rate", "0.1"], /unknown option '--learning-rate'/],
  ["an unknown command", ["trian"], /unknown command 'trian'/],
  ["start-lr 0", ["lr-find", "--start-lr", "0"], /--start-lr must be a number > 0, got '0'/],
  ["end-lr below start-lr", ["lr-find", "--start-lr", "1", "--end-lr", "0.1", "--num-iter", "100000"], /--end-lr \(0.1\) must be larger than --start-lr \(1\)/],
  ["an unknown landscape", ["landscape", "--fn", "bogus"], /unknown landscape 'bogus'/],
  ["steps 0", ["landscape", "--steps", "0"], /--steps must be a positive integer, got '0'/],
  ["negative tolerance", ["landscape", "--tolerance", "-1"], /--tolerance must be a number > 0, got '-1'/],
  ["a grid that is not rates", ["advise", "--lr-grid", "abc"], /--lr-grid: 'abc' is not a learning rate > 0/],
  ["a negative rate in the grid", ["advise", "--lr-grid", "0.1,-1"], /--lr-grid: '-1' is not a learning rate > 0/],
  ["a negative target", ["compare", "--target", "-1"], /--target must be a number > 0, got '-1'/],
  ["bench sizes that are not sizes", ["bench", "--sizes", "1e5,abc"], /--sizes: 'abc' is not a size/],
];

describe("bad flags and specs", () => {
  it.each(CASES)("%s", (_name, args, message) => {
    const r = cli(args[0] === "bench" ? args : [...args, "--out", join(dir, "reports")], { cwd: dir });
    expectCleanFailure(r, message, 2);
  });
});
