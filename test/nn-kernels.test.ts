// The nn kernels (assembly/nn/) on every backend: simd, scalar and js agree bit for bit, relaxed-simd within a
// tolerance, on lengths around the SIMD width (0, 1, 3, 4, 5, 15, 16, 17, 1031) and on special values; and all
// match float64 formulas.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, Rng, type Backend, type Engine } from "../src/index.js";
import type { Kernels } from "../src/kernels/kernels.js";
import { erf64, gelu64, geluGrad64, logSumExp64, sigmoid64, worstError } from "./helpers/nn-reference.js";

const EXACT: Backend[] = ["simd", "scalar", "js"];
const LENGTHS = [0, 1, 3, 4, 5, 15, 16, 17, 1031];
const SPECIAL = [0, -0, 1e-30, -1e-30, 0.625, -0.625, 1, -1, 20, -20, 88.3, -87.3, 100, -100, 1e30, -1e30, Infinity, -Infinity, NaN];

const engines = {} as Record<Backend, Engine>;
beforeAll(async () => {
  for (const b of [...EXACT, "relaxed-simd"] as const) engines[b] = await createEngine({ backend: b });
});

/** Copies the inputs into fresh buffers of `engine`, runs `call` with their byte offsets (outputs last), returns the outputs. */
function run(engine: Engine, inputs: ArrayLike<number>[], outputs: number[], call: (k: Kernels, ...ptrs: number[]) => void): Float32Array[] {
  const ins = inputs.map((values) => engine.tensor(Array.from(values)));
  const outs = outputs.map((n) => engine.allocF32(n));
  call(engine.kernels, ...ins.map((s) => s.ptr), ...outs.map((s) => s.ptr));
  return outs.map((s) => s.array.slice());
}

function randomValues(n: number, seed: number, scale = 8): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => (2 * rng.uniform() - 1) * scale);
}

/** Runs on every backend; expects simd = scalar = js bitwise and relaxed-simd within tolerance. Returns js's outputs. */
function agree(inputs: ArrayLike<number>[], outputs: number[], call: (k: Kernels, ...ptrs: number[]) => void, label: string): Float32Array[] {
  const js = run(engines.js, inputs, outputs, call);
  for (const b of ["simd", "scalar"] as const) {
    const got = run(engines[b], inputs, outputs, call);
    got.forEach((out, i) => expect(out, `${label}: ${b} output ${i}`).toEqual(js[i]));
  }
  const relaxed = run(engines["relaxed-simd"], inputs, outputs, call);
  relaxed.forEach((out, i) => expect(worstError(out, js[i]!, 1e-5, 1e-6), `${label}: relaxed-simd output ${i}`).toBeLessThanOrEqual(1));
  return js;
}

interface Unary {
  name: string;
  forward: (k: Kernels, y: number, x: number, n: number) => void;
  /** backward from (dy, x or y as `uses` says). */
  backward: (k: Kernels, dx: number, dy: number, saved: number, n: number) => void;
  uses: "input" | "output";
  f64: (x: number) => number;
  grad64: (x: number) => number;
  rtol: number;
  atol: number;
}

const SLOPE = 0.1;
const unary: Unary[] = [
  { name: "relu", forward: (k, y, x, n) => k.f32_relu(y, x, n), backward: (k, dx, dy, s, n) => k.f32_relu_backward(dx, dy, s, n), uses: "input",
    f64: (x) => Math.max(x, 0), grad64: (x) => (x > 0 ? 1 : 0), rtol: 0, atol: 0 },
  { name: "leaky_relu", forward: (k, y, x, n) => k.f32_leaky_relu(y, x, n, SLOPE), backward: (k, dx, dy, s, n) => k.f32_leaky_relu_backward(dx, dy, s, n, SLOPE), uses: "input",
    f64: (x) => (x > 0 ? x : SLOPE * x), grad64: (x) => (x > 0 ? 1 : SLOPE), rtol: 1e-7, atol: 0 },
  { name: "sigmoid", forward: (k, y, x, n) => k.f32_sigmoid(y, x, n), backward: (k, dx, dy, s, n) => k.f32_sigmoid_backward(dx, dy, s, n), uses: "output",
    f64: sigmoid64, grad64: (x) => sigmoid64(x) * (1 - sigmoid64(x)), rtol: 1e-6, atol: 1e-7 },
  { name: "tanh", forward: (k, y, x, n) => k.f32_tanh(y, x, n), backward: (k, dx, dy, s, n) => k.f32_tanh_backward(dx, dy, s, n), uses: "output",
    f64: Math.tanh, grad64: (x) => 1 - Math.tanh(x) ** 2, rtol: 1e-6, atol: 1e-7 },
  { name: "gelu", forward: (k, y, x, n) => k.f32_gelu(y, x, n), backward: (k, dx, dy, s, n) => k.f32_gelu_backward(dx, dy, s, n), uses: "input",
    f64: gelu64, grad64: geluGrad64, rtol: 1e-6, atol: 2e-6 },
];

describe("element-wise activation kernels", () => {
  for (const a of unary) {
    it(`${a.name}: backends agree on every length and on special values`, () => {
      for (const n of [...LENGTHS, SPECIAL.length]) {
        const x = n === SPECIAL.length ? Float32Array.from(SPECIAL) : randomValues(n, n + 1);
        const dy = randomValues(x.length, n + 2, 1);
        const [y] = agree([x], [x.length], (k, xp, yp) => a.forward(k, yp!, xp!, x.length), `${a.name} n=${x.length}`);
        const saved = a.uses === "input" ? x : y!;
        agree([dy, saved], [x.length], (k, dyp, sp, dxp) => a.backward(k, dxp!, dyp!, sp!, x.length), `${a.name} backward n=${x.length}`);
      }
    });

    it(`${a.name}: matches the float64 formula and its derivative`, () => {
      const x = randomValues(2000, 99, 10);
      const ones = new Float32Array(x.length).fill(1);
      const [y] = run(engines.simd, [x], [x.length], (k, xp, yp) => a.forward(k, yp!, xp!, x.length));
      expect(worstError(y!, Array.from(x, a.f64), a.rtol, a.atol)).toBeLessThanOrEqual(1);
      const saved = a.uses === "input" ? x : y!;
      const [dx] = run(engines.simd, [ones, saved], [x.length], (k, dyp, sp, dxp) => a.backward(k, dxp!, dyp!, sp!, x.length));
      expect(worstError(dx!, Array.from(x, a.grad64), 4 * a.rtol, 4 * a.atol)).toBeLessThanOrEqual(1);
    });
  }

  it("gelu is the exact erf form: x Φ(x), also in the tails", () => {
    const x = Float32Array.from([-9, -6, -4, -2, -0.5, 0, 0.5, 2, 4, 6, 9]);
    const [y] = run(engines.js, [x], [x.length], (k, xp, yp) => k.f32_gelu(yp!, xp!, x.length));
    x.forEach((v, i) => expect(Math.abs(y![i]! - 0.5 * v * (1 + erf64(v / Math.SQRT2)))).toBeLessThan(3e-7 * Math.max(1, Math.abs(v))));
    // The tanh approximation differs from the exact form by 4.4e-4 at x = 2.5 (the kernel must not use it).
    const [y25] = run(engines.js, [[2.5]], [1], (k, xp, yp) => k.f32_gelu(yp!, xp!, 1));
    const tanhApprox = 0.5 * 2.5 * (1 + Math.tanh(Math.sqrt(2 / Math.PI) * (2.5 + 0.044715 * 2.5 ** 3)));
    expect(Math.abs(y25![0]! - tanhApprox)).toBeGreaterThan(4e-4);
  });

  it("property: backends agree on arbitrary float32 inputs", () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noDefaultInfinity: false }), { maxLength: 40 }), (values) => {
        const x = Float32Array.from(values);
        for (const a of unary) {
          const outs = EXACT.map((b) => run(engines[b], [x], [x.length], (k, xp, yp) => a.forward(k, yp!, xp!, x.length))[0]!);
          expect(outs[1]).toEqual(outs[0]);
          expect(outs[2]).toEqual(outs[0]);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe("softmax kernels", () => {
  for (const cols of [1, 3, 4, 5, 10, 17]) {
    it(`${cols} columns: backends agree and match float64 softmax`, () => {
      const rows = 7;
      const x = randomValues(rows * cols, cols, 20);
      x[0] = 500; // a large logit: the max shift keeps it finite
      const [y] = agree([x], [x.length], (k, xp, yp) => k.f32_softmax_rows(yp!, xp!, rows, cols), `softmax ${cols}`);
      const expected = new Float64Array(x.length);
      for (let r = 0; r < rows; r++) {
        const row = x.subarray(r * cols, (r + 1) * cols);
        const lse = logSumExp64(row);
        row.forEach((v, j) => (expected[r * cols + j] = Math.exp(v - lse)));
      }
      expect(worstError(y!, expected, 2e-6, 1e-12)).toBeLessThanOrEqual(1);
      const dy = randomValues(x.length, 5, 1);
      const [dx] = agree([dy, y!], [x.length], (k, dyp, yp, dxp) => k.f32_softmax_rows_backward(dxp!, dyp!, yp!, rows, cols), `softmax backward ${cols}`);
      // The formula on the kernel's own y, in float64.
      const expectedDx = new Float64Array(x.length);
      for (let r = 0; r < rows; r++) {
        let dot = 0;
        for (let j = 0; j < cols; j++) dot += dy[r * cols + j]! * y![r * cols + j]!;
        for (let j = 0; j < cols; j++) expectedDx[r * cols + j] = y![r * cols + j]! * (dy[r * cols + j]! - dot);
      }
      expect(worstError(dx!, expectedDx, 1e-5, 1e-7)).toBeLessThanOrEqual(1);
    });
  }
});

describe("loss kernels", () => {
  function runLoss(engine: Engine, inputs: { f32?: ArrayLike<number>[]; labels?: number[] }, n: number, call: (k: Kernels, ptrs: number[], out: number) => number): { loss: number; grad: Float32Array } {
    const ins = (inputs.f32 ?? []).map((v) => engine.tensor(Array.from(v)).ptr);
    if (inputs.labels) {
      const lab = engine.allocI32(inputs.labels.length);
      lab.array.set(inputs.labels);
      ins.push(lab.ptr);
    }
    const out = engine.allocF32(n);
    const loss = call(engine.kernels, ins, out.ptr);
    return { loss, grad: out.array.slice() };
  }

  function agreeLoss(inputs: { f32?: ArrayLike<number>[]; labels?: number[] }, n: number, call: (k: Kernels, ptrs: number[], out: number) => number) {
    const results = [...EXACT, "relaxed-simd" as const].map((b) => runLoss(engines[b], inputs, n, call));
    for (const r of results.slice(1)) {
      expect(r.loss).toBe(results[0]!.loss); // scalar code in every build: identical, even relaxed
      expect(r.grad).toEqual(results[0]!.grad);
    }
    const withoutGrad = runLoss(engines.simd, inputs, n, (k, p) => call(k, p, 0));
    expect(withoutGrad.loss).toBe(results[0]!.loss);
    return results[0]!;
  }

  it("cross entropy: sum of log-sum-exp minus the label's logit; gradient softmax − one-hot, scaled", () => {
    const rows = 6, cols = 5;
    const x = randomValues(rows * cols, 3, 30);
    x[2] = 1e4; // extreme logits stay finite
    x[7] = -1e4;
    const labels = [2, 0, 4, 1, 3, 4];
    const { loss, grad } = agreeLoss({ f32: [x], labels }, x.length, (k, [xp, lp], out) => k.f32_cross_entropy(xp!, lp!, out, rows, cols, 0.25));
    let expected = 0;
    const expectedGrad = new Float64Array(x.length);
    for (let r = 0; r < rows; r++) {
      const row = x.subarray(r * cols, (r + 1) * cols);
      const lse = logSumExp64(row);
      expected += lse - row[labels[r]!]!;
      row.forEach((v, j) => (expectedGrad[r * cols + j] = (Math.exp(v - lse) - (j === labels[r] ? 1 : 0)) * 0.25));
    }
    expect(Number.isFinite(loss)).toBe(true);
    expect(worstError([loss], [expected], 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(worstError(grad, expectedGrad, 1e-5, 1e-7)).toBeLessThanOrEqual(1);
  });

  it("mean squared error: Σ (p − t)², gradient (p − t) · scale", () => {
    for (const n of LENGTHS) {
      const p = randomValues(n, 1), t = randomValues(n, 2);
      const { loss, grad } = agreeLoss({ f32: [p, t] }, n, (k, [pp, tp], out) => k.f32_mse(pp!, tp!, out, n, 0.5));
      let expected = 0;
      p.forEach((v, i) => (expected += (v - t[i]!) ** 2));
      expect(worstError([loss], [expected], 1e-6, 1e-9)).toBeLessThanOrEqual(1);
      expect(worstError(grad, Array.from(p, (v, i) => (v - t[i]!) * 0.5), 1e-6, 0)).toBeLessThanOrEqual(1);
    }
  });

  it("binary cross entropy with logits: stable for large |x|, gradient σ(x) − t", () => {
    const x = Float32Array.from([-200, -30, -3, -0.5, 0, 0.5, 3, 30, 200, ...randomValues(20, 4, 6)]);
    const t = Float32Array.from(x, (_, i) => (i % 3 === 0 ? 1 : i % 3 === 1 ? 0 : 0.3));
    const n = x.length;
    const { loss, grad } = agreeLoss({ f32: [x, t] }, n, (k, [xp, tp], out) => k.f32_bce_with_logits(xp!, tp!, out, n, 1));
    let expected = 0;
    x.forEach((v, i) => (expected += Math.max(v, 0) - v * t[i]! + Math.log1p(Math.exp(-Math.abs(v)))));
    expect(worstError([loss], [expected], 1e-6, 1e-6)).toBeLessThanOrEqual(1);
    expect(worstError(grad, Array.from(x, (v, i) => sigmoid64(v) - t[i]!), 1e-6, 1e-7)).toBeLessThanOrEqual(1);
  });

  it("label range check and argmax hits", () => {
    for (const b of EXACT) {
      const e = engines[b];
      const lab = e.allocI32(5);
      lab.array.set([0, 2, 1, 3, 2]);
      expect(e.kernels.i32_find_out_of_range(lab.ptr, 5, 4)).toBe(-1);
      expect(e.kernels.i32_find_out_of_range(lab.ptr, 5, 3)).toBe(3);
      lab.array[1] = -1;
      expect(e.kernels.i32_find_out_of_range(lab.ptr, 5, 4)).toBe(1);
      lab.array.set([0, 2, 1, 0, 1]);
      // rows: argmax 0; 2; 1 (tie 1 vs 2: the first); 2; 1
      const pred = e.tensor([5, 1, 2, 0, 0, 9, 1, 7, 7, 0, 1, 3, -1, 4, -2]);
      expect(e.kernels.f32_argmax_hits(pred.ptr, lab.ptr, 5, 3)).toBe(4);
    }
  });
});

describe("dropout kernel", () => {
  const n = 4099;
  const x = randomValues(n, 11, 3);
  const threshold = (p: number) => Math.round(p * 2 ** 24);

  it("backends agree bit for bit; the mask depends only on (seed, counter, index)", () => {
    const [a] = agree([x], [n], (k, xp, yp) => k.f32_dropout(yp!, xp!, n, threshold(0.3), 1 / 0.7, 12345, 1), "dropout");
    const [again] = run(engines.simd, [x], [n], (k, xp, yp) => k.f32_dropout(yp!, xp!, n, threshold(0.3), 1 / 0.7, 12345, 1));
    expect(again).toEqual(a);
    const [shorter] = run(engines.scalar, [x.subarray(0, 17)], [17], (k, xp, yp) => k.f32_dropout(yp!, xp!, 17, threshold(0.3), 1 / 0.7, 12345, 1));
    expect(shorter).toEqual(a!.subarray(0, 17));
    const [next] = run(engines.simd, [x], [n], (k, xp, yp) => k.f32_dropout(yp!, xp!, n, threshold(0.3), 1 / 0.7, 12345, 2));
    const [otherSeed] = run(engines.simd, [x], [n], (k, xp, yp) => k.f32_dropout(yp!, xp!, n, threshold(0.3), 1 / 0.7, 12346, 1));
    const overlap = (u: Float32Array, v: Float32Array) => u.reduce((s, ui, i) => s + (ui === 0 && v[i] === 0 ? 1 : 0), 0) / n;
    // Independent masks with p = 0.3 are both zero on ~9% of the positions, identical ones on 30%.
    expect(overlap(a!, next!)).toBeLessThan(0.13);
    expect(overlap(a!, otherSeed!)).toBeLessThan(0.13);
  });

  for (const p of [0, 0.1, 0.5, 0.9, 1]) {
    it(`p = ${p}: drops about p of the values and scales the rest by 1/(1 − p)`, () => {
      const scale = 1 / (1 - p);
      const [y] = run(engines.simd, [x], [n], (k, xp, yp) => k.f32_dropout(yp!, xp!, n, threshold(p), scale, 7, 3));
      let dropped = 0;
      y!.forEach((v, i) => {
        if (v === 0) dropped++;
        else expect(v).toBe(Math.fround(x[i]! * Math.fround(scale)));
      });
      // Binomial(n, p): 5 standard deviations.
      expect(Math.abs(dropped / n - p)).toBeLessThanOrEqual(5 * Math.sqrt((p * (1 - p)) / n) + 1e-9);
    });
  }
});
