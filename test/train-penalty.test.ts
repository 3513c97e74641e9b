// fit's l1 / elasticNet penalties, ProximalSGD's exact zeros, and the constrain projections (MaxNorm, box).
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { ProximalSGD } from "../src/optim/proximal-sgd.js";
import { SGD } from "../src/optim/sgd.js";
import { fit, type FitOptions } from "../src/train/fit.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const loss = new CrossEntropyLoss();
const { train } = loadDigits();
const small = train.subset(Array.from({ length: 128 }, (_, i) => i));

async function trained(options: Partial<FitOptions> & { make: (m: Awaited<ReturnType<typeof digitsMlp>>["model"]) => FitOptions["optimizer"] }, backend: "simd" | "js" = "simd") {
  const { model } = await digitsMlp({ backend, batchSize: 128 });
  const { make, ...rest } = options;
  await fit(model, small, { optimizer: make(model), loss, epochs: 1, batchSize: "full", verbose: 0, divergence: false, ...rest });
  return model;
}

describe("fit: l1 and elasticNet", () => {
  it("elasticNet with l1Ratio 0 is SGD's weightDecay, bit for bit; l1Ratio 1 is l1", async () => {
    for (const backend of ["simd", "js"] as const) {
      const ridge = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1 }), elasticNet: { alpha: 0.01, l1Ratio: 0 } }, backend);
      const decay = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1, weightDecay: 0.01 }) }, backend);
      expect(bits(weightsOf(ridge))).toEqual(bits(weightsOf(decay)));
      const lasso = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1 }), elasticNet: { alpha: 0.01, l1Ratio: 1 } }, backend);
      const l1 = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1 }), l1: 0.01 }, backend);
      expect(bits(weightsOf(lasso))).toEqual(bits(weightsOf(l1)));
    }
  });

  it("l1 adds λ sign(θ) to the gradient: one SGD step moves each weight by −γλ sign(θ₀) more than without", async () => {
    const { model } = await digitsMlp({ batchSize: 128 });
    const start = weightsOf(model);
    const plain = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1 }) });
    const l1 = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.1 }), l1: 0.05 });
    const [a, b] = [weightsOf(plain), weightsOf(l1)];
    for (let i = 0; i < start.length; i++) expect(b[i]! - a[i]!).toBeCloseTo(-0.1 * 0.05 * Math.sign(start[i]!), 6);
  });

  it("simd and js give the same bits with a penalty, for Adam too", async () => {
    const run = (backend: "simd" | "js") => trained({ make: (m) => new Adam(m.parameters(), { lr: 0.01 }), elasticNet: { alpha: 1e-3, l1Ratio: 0.5 }, epochs: 3 }, backend);
    expect(bits(weightsOf(await run("simd")))).toEqual(bits(weightsOf(await run("js"))));
  });

  it("bad penalties are refused, naming the option, before training", async () => {
    const { model } = await digitsMlp();
    const base = { optimizer: new SGD(model.parameters()), loss, verbose: 0 as const };
    await expect(fit(model, small, { ...base, l1: -1 })).rejects.toThrow("fit: l1 must be a finite number >= 0, got -1");
    await expect(fit(model, small, { ...base, l1: 1, elasticNet: { alpha: 1, l1Ratio: 0.5 } })).rejects.toThrow("give l1 or elasticNet, not both");
    await expect(fit(model, small, { ...base, elasticNet: { alpha: 1, l1Ratio: 2 } })).rejects.toThrow("fit: elasticNet.l1Ratio must be in [0, 1], got 2");
    await expect(fit(model, small, { ...base, elasticNet: { alpha: 1, l1_ratio: 0.5 } as never })).rejects.toThrow("l1_ratio");
    await expect(fit(model, small, { ...base, constrain: {} })).rejects.toThrow("fit: constrain needs maxNorm, or min and/or max");
    await expect(fit(model, small, { ...base, constrain: { maxNorm: 0 } })).rejects.toThrow("fit: constrain.maxNorm must be a number > 0, got 0");
    await expect(fit(model, small, { ...base, constrain: { min: 1, max: 0 } })).rejects.toThrow("constrain.min (1) is above constrain.max (0)");
    await expect(fit(model, small, { ...base, constrain: { maxnorm: 1 } as never })).rejects.toThrow("maxNorm");
  });
});

describe("ProximalSGD", () => {
  it("one step is the soft-threshold of the SGD step, and gives exact zeros", async () => {
    const plain = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.5 }) });
    const prox = await trained({ make: (m) => new ProximalSGD(m.parameters(), { lr: 0.5, l1: 0.02 }) });
    const [z, p] = [weightsOf(plain), weightsOf(prox)];
    const t = Math.fround(0.5 * 0.02);
    let zeros = 0;
    for (let i = 0; i < z.length; i++) {
      const expected = Math.abs(z[i]!) <= t ? 0 : Math.sign(z[i]!) * Math.fround(Math.abs(z[i]!) - t);
      expect(p[i]).toBe(expected);
      if (p[i] === 0) zeros++;
    }
    expect(zeros).toBeGreaterThan(100);
  });

  it("after training, many weights are exactly 0, where L1 in the gradient leaves almost none", async () => {
    const prox = await trained({ make: (m) => new ProximalSGD(m.parameters(), { lr: 0.2, l1: 5e-3 }), epochs: 20, batchSize: 16 });
    const sub = await trained({ make: (m) => new SGD(m.parameters(), { lr: 0.2 }), l1: 5e-3, epochs: 20, batchSize: 16 });
    const zeros = (w: Float32Array) => w.filter((v) => v === 0).length / w.length;
    expect(zeros(weightsOf(prox))).toBeGreaterThan(0.2);
    expect(zeros(weightsOf(sub))).toBeLessThan(0.01);
    expect(() => new ProximalSGD(sub.parameters(), { l1: -1 })).toThrow("Invalid l1: -1");
  });
});

describe("fit: constrain", () => {
  it("maxNorm bounds the norm of every output unit's incoming weights (each row of a Linear weight) after fit; biases are left alone", async () => {
    const free = await trained({ make: (m) => new SGD(m.parameters(), { lr: 1 }), epochs: 5, batchSize: 16 });
    const rowNorms = (w: Float32Array, cols: number) => Array.from({ length: w.length / cols }, (_, r) => Math.hypot(...w.subarray(r * cols, (r + 1) * cols)));
    expect(Math.max(...rowNorms(free.parameters()[0]!.data, 64))).toBeGreaterThan(0.6);
    const bounded = await trained({ make: (m) => new SGD(m.parameters(), { lr: 1 }), epochs: 5, batchSize: 16, constrain: { maxNorm: 0.5 } });
    const [w1, b1, w2] = bounded.parameters();
    for (const n of [...rowNorms(w1!.data, 64), ...rowNorms(w2!.data, 64)]) expect(n).toBeLessThanOrEqual(0.5 * (1 + 1e-6));
    expect(Math.max(...rowNorms(w1!.data, 64))).toBeGreaterThan(0.49);
    expect(b1!.shape).toEqual([64]);
  });

  it("a box clamps every parameter into [min, max]", async () => {
    const boxed = await trained({ make: (m) => new SGD(m.parameters(), { lr: 1 }), epochs: 3, constrain: { min: -0.05, max: 0.1 } });
    const w = weightsOf(boxed);
    expect(Math.min(...w)).toBeGreaterThanOrEqual(Math.fround(-0.05));
    expect(Math.max(...w)).toBeLessThanOrEqual(Math.fround(0.1));
    expect(w.filter((v) => v === Math.fround(0.1)).length).toBeGreaterThan(0);
  });
});
