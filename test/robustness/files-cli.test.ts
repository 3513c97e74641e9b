// A handful of bad inputs through the command line, as a user runs it (`node dist/cli.js train --data …`, with a
// 512 MB heap): each exits with status 1 or 2 and prints one `error: …` line naming the file (plus, for usage
// errors, the pointer to --help), no stack trace, within seconds.
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { encodeIdx } from "../../src/data/idx.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/train/safetensors.js";
import { buildIfNeeded, cli } from "./cli-run.js";
import { tempDir } from "./harness.js";
const { dir, file } = tempDir("cli");
let tried = 0;

/** Runs `train` with the arguments and checks the failure: status, one error line naming `names`, no stack. */
function fails(args: string[], names: (string | RegExp)[], heapMiB = 512) {
  tried++;
  const r = cli(["train", "--epochs", "1", ...args], { cwd: dir, heapMiB });
  expect(r.status, r.stderr).toBeGreaterThanOrEqual(1);
  expect(r.status, r.stderr).toBeLessThanOrEqual(2);
  const lines = r.stderr.trimEnd().split("\n");
  expect(lines[0]).toMatch(/^error: /);
  expect(lines.length, r.stderr).toBeLessThanOrEqual(2);
  if (lines[1] !== undefined) expect(lines[1]).toMatch(/^Run 'wasm-optim train --help'/);
  for (const n of names) expect(lines[0]).toMatch(typeof n === "string" ? new RegExp(n.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")) : n);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/FATAL|heap out of memory/);
  expect(r.seconds).toBeLessThan(20);
}

const rows = (last: string) => `${Array.from({ length: 60 }, (_, i) => `${i % 7},${(i * 0.3) % 1},${i % 3}`).join("\n")}\n${last}\n`;

beforeAll(() => {
  buildIfNeeded();
}, 180_000);

describe("the CLI on bad data", () => {
  it("a label of 2000000000, of 1000000, of 1.7, a feature of 1e39: one line naming the file, line and column", () => {
    for (const [last, names] of [
      ["1,2,2000000000", ["class label 2000000000 is too large", "line 61, column 3"]],
      ["1,2,1000000", ["class label 1000000 is too large"]],
      ["1,2,1.7", ["class label 1.7 is not a non-negative integer"]],
      ["1e39,2,1", ["line 61, column 1: 1e39 is beyond the float32 range"]],
      ["1,2,5000", [/the labels take 4 distinct values but go up to 5000/]],
    ] as const) {
      const path = file(`bad-${last.replace(/\W+/g, "-")}.csv`, rows(last));
      fails(["--data", path], [path, ...names]);
    }
  });

  it("a CSV larger than the JavaScript heap can parse: refused up front, not a fatal out-of-memory", () => {
    const big = file("big.csv", Buffer.alloc(48 << 20, "1,2,0\n"));
    fails(["--data", big], [big, "more than", "JavaScript heap", "--max-old-space-size"], 64);
    const small = file("few.csv", "1,2,0\n3,4,1\n");
    fails(["--data", small], [small, "2 samples are too few for the 80/20 split"]);
  });

  it("a FIFO, /dev/zero, an empty file: refused at once", () => {
    const fifo = join(dir, "fifo.csv");
    execFileSync("mkfifo", [fifo]);
    fails(["--data", fifo], [fifo, "is a FIFO"]);
    fails(["--data", "/dev/zero"], ["/dev/zero: is a character device"]);
    const empty = file("empty.csv", "");
    fails(["--data", empty], [empty, "no data lines"]);
  });

  it("IDX files whose header claims a million images, or hides a gzip bomb: refused without reserving memory", () => {
    const idx = (name: string, files: Record<string, Uint8Array>) => {
      for (const [f, bytes] of Object.entries(files)) file(join(name, f), bytes);
      return join(dir, name);
    };
    const labels = (n: number) => encodeIdx("u8", [n], new Array(n).fill(1));
    const images = (n: number) => encodeIdx("u8", [n, 2, 2], new Array(4 * n).fill(9));
    const million = Uint8Array.from(images(5));
    new DataView(million.buffer).setUint32(4, 1_000_000, false);
    const lying = idx("lying", {
      "train-images-idx3-ubyte.gz": gzipSync(million), "train-labels-idx1-ubyte": labels(5),
      "t10k-images-idx3-ubyte": images(2), "t10k-labels-idx1-ubyte": labels(2),
    });
    fails(["--data", lying], [join(lying, "train-images-idx3-ubyte.gz"), "declares 1000000 samples", "holds 5"]);
    const bomb = idx("bomb", {
      "train-images-idx3-ubyte.gz": gzipSync(Buffer.concat([images(5), Buffer.alloc(200 << 20)]), { level: 9 }), "train-labels-idx1-ubyte": labels(5),
      "t10k-images-idx3-ubyte": images(2), "t10k-labels-idx1-ubyte": labels(2),
    });
    fails(["--data", bomb], [join(bomb, "train-images-idx3-ubyte.gz"), "unexpected bytes after the 5 × 2 × 2 u8 values"]);
  });

  it("a model the engine cannot hold: the bytes asked, the bytes it holds, what to do", () => {
    fails(["--data", "moons", "--model", "mlp:60000,60000"], [/cannot allocate the model's \d+ parameters/, "4294967296 bytes", "smaller model"]);
  });

  it("checkpoints: garbage, a directory, and a negative lr in the optimizer's param groups", () => {
    const data = file("ok.csv", rows("1,2,0"));
    const garbage = file("garbage.ckpt", "this is not a checkpoint at all");
    fails(["--data", data, "--resume", garbage], [garbage, "the header length"]);
    fails(["--data", data, "--resume", dir], [dir, /is a (directory|folder)/]);
    const good = join(dir, "good.ckpt");
    const r = cli(["train", "--data", data, "--epochs", "1", "--save", good], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    const st = decodeSafetensors(readFileSync(good));
    const optimizer = JSON.parse(st.metadata.optimizer!);
    optimizer.paramGroups[0].lr = -0.5;
    const bad = join(dir, "negative-lr.ckpt");
    writeFileSync(bad, encodeSafetensors([...st.tensors].map(([n, t]) => [n, { shape: t.shape, data: t.dtype === "F64" ? t.toFloat64() : t.toFloat32() }] as const), { ...st.metadata, optimizer: JSON.stringify(optimizer) }));
    fails(["--data", data, "--epochs", "2", "--resume", bad], [bad, "Invalid lr: -0.5"]);
    console.log(`robustness: ${tried} bad inputs tried in this file`);
  });
});
