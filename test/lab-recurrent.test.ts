// The recurrent models of the lab ('lstm:128', 'gru:64,64', 'rnn:128') on sequence data, through the API and the
// command line: the layers sized from the data, an optimizer comparison on the adding problem, and the CLI's
// sequence datasets.
import { spawnSync, execFileSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { Adam, compareOptimizers, createEngine, makeAddingProblem, parseModelSpec, RMSprop, Sequential, type SequenceInfo } from "../src/index.js";

async function shapes(text: string, input: number[], outputs: number, data?: SequenceInfo) {
  const plan = parseModelSpec(text).plan(input, outputs, data);
  const model = new Sequential(plan.layers()).compile(await createEngine({ backend: "js" }), { inputShape: plan.inputShape, batchSize: 2 });
  return { input: plan.inputShape, layers: model.layers.map((l) => `${l.kind}→${l.outputShape.join("×")}`) };
}

describe("recurrent model specs", () => {
  it("a language model on token ids: Embedding, recurrent layers on every step, Linear on every step", async () => {
    expect(await shapes("lstm:16", [12], 30, { vocabularySize: 30, labelSize: 12 })).toEqual({ input: [12], layers: ["Embedding→12×32", "LSTM→12×16", "Linear→12×30"] });
    expect((await shapes("gru:8,6,embed=4", [5], 7, { vocabularySize: 9, labelSize: 5 })).layers).toEqual(["Embedding→5×4", "GRU→5×8", "GRU→5×6", "Linear→5×7"]);
  });

  it("sequence to one: the last layer keeps the last step", async () => {
    expect(await shapes("rnn:8", [20, 2], 1)).toEqual({ input: [20, 2], layers: ["RNN→8", "Linear→1"] });
    expect((await shapes("gru:6,4", [7, 3], 2)).layers).toEqual(["GRU→7×6", "GRU→4", "Linear→2"]);
    // Flat square inputs and one-channel images are read row by row; other flat inputs step by step.
    expect((await shapes("lstm:4", [64], 10)).input).toEqual([8, 8]);
    expect((await shapes("lstm:4", [1, 28, 28], 10)).input).toEqual([28, 28]);
    expect((await shapes("lstm:4", [10], 1)).input).toEqual([10, 1]);
  });

  it("passes tbptt and nonlinearity on", () => {
    const layers = parseModelSpec("rnn:4,nonlinearity=relu,tbptt=5").plan([9, 2], 1).layers();
    expect(layers[0]).toMatchObject({ kind: "RNN", nonlinearity: "relu", tbptt: 5, returnSequences: false });
  });

  it("name the bad part", () => {
    expect(() => parseModelSpec("lstm:0")).toThrow("model 'lstm:0': hidden sizes must be positive integers, got 0");
    expect(() => parseModelSpec("lstm:8,nonlinearity=relu")).toThrow(/unknown option 'nonlinearity' \(known options of 'lstm': embed, tbptt\)/);
    expect(() => parseModelSpec("rnn:8,nonlinearity=gelu")).toThrow("model 'rnn:8,nonlinearity=gelu': nonlinearity must be tanh or relu, got gelu");
    expect(() => parseModelSpec("gru:8,tbptt=0")).toThrow("model 'gru:8,tbptt=0': tbptt must be a positive integer (steps), got 0");
    expect(() => parseModelSpec("lstm").plan([2, 3, 4], 2)).toThrow(/a recurrent model needs sequences \[steps, features\]/);
    expect(() => parseModelSpec("lstm").plan([6], 2, { vocabularySize: 5, labelSize: 4 })).toThrow(/the data have 4 labels per sample, the sequences 6 steps/);
  });
});

describe("the lab on recurrent networks", () => {
  it("compares optimizers on the adding problem from the same initial weights", async () => {
    const train = makeAddingProblem({ samples: 64, length: 12, seed: 0 }), test = makeAddingProblem({ samples: 32, length: 12, seed: 1 });
    const result = await compareOptimizers({
      data: { train, test }, model: "lstm:8", epochs: 2, batchSize: 16, warmup: false,
      optimizers: [
        { name: "adam", make: (p) => new Adam(p, { lr: 1e-2 }) },
        { name: "rmsprop", make: (p) => new RMSprop(p, { lr: 1e-2 }) },
      ],
    });
    expect(result.runs.map((r) => r.history.steps)).toEqual([8, 8]);
    for (const run of result.runs) expect(Number.isFinite(run.summary.finalTestLoss)).toBe(true);
  });
});

describe("the command line's sequence data", () => {
  const CLI = join(process.cwd(), "dist/cli.js");
  const out = mkdtempSync(join(tmpdir(), "wasm-optim-rnn-"));
  const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, "--out", out], { encoding: "utf8", timeout: 120_000, env: { ...process.env, FORCE_COLOR: "0" } });
  beforeAll(() => {
    execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
  }, 180_000);

  it.each([
    [["compare", "--data", "adding:len=10,samples=64", "--model", "lstm:8", "--opt", "adam:lr=0.01", "--epochs", "1", "--batch", "16"], /Adam/],
    [["compare", "--data", "words:window=8", "--subset", "64", "--model", "gru:8", "--opt", "adam", "--epochs", "1", "--batch", "16"], /% correct/],
    [["lr-find", "--data", "copy:len=3,delay=2,samples=64", "--model", "rnn:8", "--opt", "adam", "--num-iter", "20", "--batch", "16"], /Report/],
    [["train", "--data", "nile:window=5", "--model", "gru:4", "--epochs", "1"], /epoch 1\/1/],
    [["advise", "--data", "fortunes:window=16", "--subset", "64", "--model", "lstm:8", "--opt", "adam", "--epochs", "1", "--batch", "32", "--lr-grid", "2"], /Report/],
  ])("%j runs", (args, expected) => {
    const r = run(...(args as string[]));
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(expected as RegExp);
  }, 120_000);

  it.each([
    [["compare", "--data", "adding:len=x"], "error: --data 'adding:len=x': len must be an integer ≥ 2, got x"],
    [["compare", "--data", "nile:steps=3"], "error: --data 'nile:steps=3': unknown option 'steps' (known options of 'nile': window)"],
    [["compare", "--data", "words", "--model", "mlp"], /has 32 labels per sample \(one per step\), the model's output \[70\] predicts 1 per sample/],
  ])("%j is a usage error naming the part", (args, message) => {
    const r = run(...(args as string[]));
    expect(r.status).not.toBe(0);
    expect(r.stderr.split("\n")[0]).toMatch(message);
  });
});
