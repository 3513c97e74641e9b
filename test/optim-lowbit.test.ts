// Adam, AdamW and SGD with stateDtype 'bf16' and 'int8': the same weights on every backend; stateDict and
// checkpoints (safetensors: BF16, U8 and F32 absmax tensors) resume bit-identically; the state takes at most 30 %
// of the float32 state's memory (int8); the option is checked; and training still follows the float32 run closely.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { Adam, AdamW, createEngine, CrossEntropyLoss, fit, isBackendSupported, SGD, type Backend, type Optimizer, type Parameter } from "../src/index.js";
import { checkpoint, readCheckpoint } from "../src/node.js";
import { makeParams, stepOnce } from "./helpers/optim-harness.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const backends = (["js", "simd", "scalar", "relaxed-simd"] as const).filter((b) => isBackendSupported(b));
type Make = (p: Parameter[], stateDtype: "f32" | "bf16" | "int8") => Optimizer<any>;
const OPTIMIZERS: [string, Make][] = [
  ["Adam", (p, stateDtype) => new Adam(p, { lr: 0.05, weightDecay: 0.01, stateDtype })],
  ["AdamW", (p, stateDtype) => new AdamW(p, { lr: 0.05, stateDtype })],
  ["SGD", (p, stateDtype) => new SGD(p, { lr: 0.01, momentum: 0.9, nesterov: true, stateDtype })],
];
const DTYPES = ["bf16", "int8"] as const;

/** The weights after `steps` steps of the reference problem (37 parameters in three tensors). */
async function trajectory(backend: Backend, make: Make, dtype: "f32" | "bf16" | "int8", steps: number) {
  const engine = await createEngine({ backend });
  const params = makeParams(engine);
  const opt = make(params, dtype);
  for (let t = 0; t < steps; t++) stepOnce(opt, params);
  return { params, opt, weights: Float32Array.from(params.flatMap((p) => [...p.data])) };
}

describe.each(OPTIMIZERS)("%s", (_name, make) => {
  it.each(DTYPES)("with %s state: the same bits on every backend, close to the float32 run", async (dtype) => {
    const runs = await Promise.all(backends.map((b) => trajectory(b, make, dtype, 30)));
    for (const r of runs.slice(1)) expect(bits(r.weights)).toEqual(bits(runs[0]!.weights));
    const f32 = (await trajectory("js", make, "f32", 30)).weights;
    const drift = Math.max(...f32.map((x, i) => Math.abs(x - runs[0]!.weights[i]!)));
    expect(drift).toBeLessThan(0.15); // the weights are of size 2
  });

  it.each(DTYPES)("with %s state: stateDict and loadStateDict resume bit-identically", async (dtype) => {
    const whole = await trajectory("simd", make, dtype, 20);
    const first = await trajectory("simd", make, dtype, 10);
    const saved = first.opt.stateDict();
    const engine = await createEngine({ backend: "simd" });
    const params = makeParams(engine);
    params.forEach((p, i) => p.data.set(first.params[i]!.data));
    const second = make(params, "f32"); // the dict's stateDtype re-plans the state
    second.loadStateDict(structuredClone(saved));
    expect(second.stateDict()).toEqual(saved);
    for (let t = 0; t < 10; t++) stepOnce(second, params);
    expect(bits(Float32Array.from(params.flatMap((p) => [...p.data])))).toEqual(bits(whole.weights));
  });
});

describe("checkpoints of low-bit state", () => {
  it.each(DTYPES)("a %s Adam state saves as BF16 or U8 + F32 absmax tensors; a crashed fit resumes to the uninterrupted run's bits", async (dtype) => {
    const data = loadDigits().train.subset(Array.from({ length: 256 }, (_, i) => i));
    const setup = async () => {
      const { model } = await digitsMlp({ batchSize: 32, seed: 4 });
      const optimizer = new Adam(model.parameters(), { lr: 1e-2, stateDtype: dtype });
      return { model, optimizer, options: { optimizer, loss: new CrossEntropyLoss(), batchSize: 32, epochs: 3, verbose: 0 as const } };
    };
    const dir = await mkdtemp(join(tmpdir(), "wasm-optim-lowbit-"));
    const path = join(dir, "c.safetensors");
    const whole = await setup();
    await fit(whole.model, data, whole.options);
    const first = await setup();
    await fit(first.model, data, {
      ...first.options,
      callbacks: [checkpoint({ path, every: 5 }), { onBatchEnd: (ctx) => { if (ctx.step === 13) throw new Error("crash"); } }],
    }).catch(() => undefined);
    const saved = await readCheckpoint(path);
    expect(saved.training?.step).toBe(10);
    const dtypes = new Set([...saved.file.tensors.values()].filter((t) => t.name.startsWith("optimizer.")).map((t) => t.dtype));
    expect([...dtypes].sort()).toEqual(dtype === "bf16" ? ["BF16"] : ["F32", "U8"]);
    const second = await setup();
    await fit(second.model, data, { ...second.options, resumeFrom: saved, callbacks: [checkpoint({ path, every: 5 }), {}] });
    expect(bits(weightsOf(second.model))).toEqual(bits(weightsOf(whole.model)));
  });
});

describe("memory", () => {
  /** Bytes of every state array in the optimizer's state dict (the state it holds, cut per parameter). */
  const stateBytes = (opt: Optimizer<any>) =>
    Object.values(opt.stateDict().state).flatMap((e) => Object.values(e)).reduce<number>((s, v) => s + (typeof v === "number" ? 0 : v.byteLength), 0);
  it("int8 Adam state is at most 30 % of float32's (bf16: 50 %) for an MLP 784-256-128-10", async () => {
    const engine = await createEngine({ backend: "simd" });
    const shapes = [[256, 784], [256], [128, 256], [128], [10, 128], [10]];
    const bytes: Record<string, number> = {};
    for (const dtype of ["f32", "bf16", "int8"] as const) {
      const params = engine.parameters(shapes.map((shape, i) => ({ values: new Float32Array(shape.reduce((a, b) => a * b)), shape, name: `p${i}` })));
      const opt = new Adam(params, { stateDtype: dtype });
      opt.step();
      bytes[dtype] = stateBytes(opt);
    }
    expect(bytes.bf16! / bytes.f32!).toBe(0.5);
    expect(bytes.int8! / bytes.f32!).toBeLessThanOrEqual(0.3);
    expect(bytes.int8! / bytes.f32!).toBeCloseTo((2 + (2 * 4) / 256) / 8, 3); // 2 codes a value, 2 absmax per 256 values
  });
});

describe("the option", () => {
  it("is checked", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    expect(() => new Adam(params, { stateDtype: "fp16" as never })).toThrow("Invalid stateDtype: fp16 (must be one of 'f32', 'bf16', 'int8')");
    expect(() => new SGD(params, { momentum: 0.9, stateDtype: 8 as never })).toThrow("Invalid stateDtype: 8");
    expect(() => new Adam(params, { amsgrad: true, stateDtype: "int8" })).toThrow("Invalid stateDtype: 'int8' with amsgrad");
  });

  it("cannot change after construction: the step says so instead of ignoring it", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const opt = new AdamW(params, { stateDtype: "bf16" });
    opt.paramGroups[0]!.stateDtype = "int8";
    expect(() => opt.step()).toThrow("Invalid stateDtype: 'int8' (the state was planned as 'bf16'");
  });
});

describe("the spec strings", () => {
  it("take stateDtype: 'adam:lr=1e-3,stateDtype=int8', 'sgd:momentum=0.9,stateDtype=bf16'", async () => {
    const { parseOptimizerSpec } = await import("../src/lab/spec-optimizers.js");
    const engine = await createEngine({ backend: "js" });
    const adam = parseOptimizerSpec("adam:lr=1e-3,stateDtype=int8").make(makeParams(engine));
    expect((adam.paramGroups[0] as { stateDtype?: string }).stateDtype).toBe("int8");
    const sgd = parseOptimizerSpec("sgd:momentum=0.9,stateDtype=bf16").make(makeParams(engine));
    expect((sgd.paramGroups[0] as { stateDtype?: string }).stateDtype).toBe("bf16");
    expect(() => parseOptimizerSpec("adamw:stateDtype=int4").make(makeParams(engine))).toThrow("Invalid stateDtype: int4");
  });
});
