import { describe, expect, it } from "vitest";
import { Dataset } from "../src/data/dataset.js";
import { createEngine } from "../src/engine/engine.js";
import { Rng } from "../src/engine/rng.js";
import { lrFind, steepestDescent } from "../src/lab/lr-find.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";
import { smoothEma } from "../src/lab/stats.js";

/**
 * Linear regression y = X w + b + noise with features of different scales. With the MSE loss the Hessian
 * (w.r.t. the weights and the bias) is H = (2/n) AᵀA, A = [X 1]; full-batch gradient descent converges exactly
 * when lr < 2 / λ_max(H), and the loss cannot grow while lr stays below that.
 */
function regression(n = 64) {
  const rng = new Rng(11);
  const scales = [1, 0.5, 2];
  const w = [0.7, -1.2, 0.4];
  const x = new Float32Array(n * 3), y = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    let t = 0.3;
    for (let j = 0; j < 3; j++) {
      x[3 * i + j] = scales[j]! * rng.normal();
      t += w[j]! * x[3 * i + j]!;
    }
    y[i] = t + 0.1 * rng.normal();
  }
  const data = new Dataset({ x, shape: [3], targets: y, name: "regression" });
  // λ_max of (2/n) AᵀA by power iteration, in float64.
  const ata = Array.from({ length: 4 }, () => new Float64Array(4));
  for (let i = 0; i < n; i++) {
    const a = [data.value(3 * i), data.value(3 * i + 1), data.value(3 * i + 2), 1];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) ata[r]![c]! += (2 / n) * a[r]! * a[c]!;
  }
  let v = [1, 1, 1, 1], lambda = 0;
  for (let k = 0; k < 500; k++) {
    const u = ata.map((row) => row.reduce((s, h, c) => s + h * v[c]!, 0));
    lambda = Math.hypot(...u);
    v = u.map((e) => e / lambda);
  }
  return { data, stableLimit: 2 / lambda };
}

describe("lrFind", () => {
  it("suggests a rate inside the stable range of a linear regression, and stops only beyond it", async () => {
    const { data, stableLimit } = regression();
    const result = await lrFind({
      engine: await createEngine({ backend: "simd" }),
      model: "linear",
      data: { train: data },
      optimizer: parseOptimizerSpec("sgd").make,
      batchSize: "full",
    });
    expect(result.stopped).toBe("diverged");
    expect(result.lrs.length).toBeLessThan(200);
    // The loss can only blow up once the rate has left the stable range.
    expect(result.lrs[result.lrs.length - 1]!).toBeGreaterThan(stableLimit);
    expect(result.suggestion).not.toBeNull();
    expect(result.suggestion!).toBeLessThan(stableLimit);
    expect(result.suggestion!).toBeGreaterThan(stableLimit / 100);
    // The sweep is exponential from startLr to endLr over numIter steps.
    expect(result.lrs[0]).toBe(1e-7);
    expect(result.lrs[1]! / result.lrs[0]!).toBeCloseTo(1e8 ** (1 / 199), 10);
    // The smoothed curve is the bias-corrected EMA of the losses (weight 0.05).
    expect(result.smoothed).toEqual(Array.from(smoothEma(result.losses, 0.05)));
    expect(result.smoothed[0]).toBe(result.losses[0]);
    expect(result.minLoss).toBe(Math.min(...result.smoothed));
  });

  it("runs the whole sweep when nothing diverges, over several epochs of mini-batches", async () => {
    const { data } = regression();
    const result = await lrFind({
      model: "linear", data: { train: data }, optimizer: parseOptimizerSpec("sgd").make,
      batchSize: 16, startLr: 1e-6, endLr: 1e-3, numIter: 30,
    });
    expect(result.stopped).toBe("end");
    expect(result.lrs).toHaveLength(30);
    expect(result.lrs[29]).toBeCloseTo(1e-3, 15);
  });

  it("rejects a bad range", async () => {
    const { data } = regression();
    const base = { model: "linear", data: { train: data }, optimizer: parseOptimizerSpec("sgd").make };
    await expect(lrFind({ ...base, startLr: 1, endLr: 0.1 })).rejects.toThrow(/endLr \(0.1\) must exceed startLr \(1\)/);
    await expect(lrFind({ ...base, smoothing: 0 })).rejects.toThrow(/Invalid smoothing: 0/);
    await expect(lrFind({ ...base, numIter: 1 })).rejects.toThrow(/Invalid numIter: 1/);
  });
});

describe("steepestDescent", () => {
  it("finds the steepest fall of a curve against log10 x, skipping the ends", () => {
    // y = −tanh(2 (log10 x + 3)): steepest at x = 1e-3; a steeper fall in the first points is skipped.
    const xs = Array.from({ length: 61 }, (_, i) => 10 ** (-6 + i / 10));
    const ys = xs.map((x, i) => -Math.tanh(2 * (Math.log10(x) + 3)) + (i < 5 ? -10 * i : 0));
    const i = steepestDescent(xs, ys, 10, 5);
    expect(xs[i]).toBeCloseTo(1e-3, 10);
    expect(steepestDescent(xs.slice(0, 12), ys.slice(0, 12), 10, 5)).toBe(-1);
  });
});

describe("smoothEma", () => {
  it("is the bias-corrected exponential moving average", () => {
    const s = smoothEma([1, 2, 4], 0.5);
    // a1 = 0.5 → 0.5 / 0.5 = 1;  a2 = 0.25 + 1 = 1.25 → 1.25 / 0.75;  a3 = 0.625 + 2 = 2.625 → 2.625 / 0.875
    expect(Array.from(s)).toEqual([1, 1.25 / 0.75, 2.625 / 0.875]);
  });
});
