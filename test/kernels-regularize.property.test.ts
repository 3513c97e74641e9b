// The penalty and projection kernels against their JavaScript twins: the L1/L2 gradient term, the proximal L1
// step of SGD (bit-identical on simd and scalar, within rounding on relaxed-simd, each check failing on plausible
// bugs), the soft-threshold's closed form, and the max-norm projection of rows on every backend.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type Backend } from "../src/index.js";
import { softThreshold } from "../src/kernels/reference/regularize.js";
import { HUGE, kernelInputs, kernelPropertyTests, kernelRunner, uniform, type KernelSpec } from "./helpers/kernel-property.js";

const abs = Math.abs;
const runOn = kernelRunner();
const unit = (min: number, max: number) => uniform(min, max).map(Math.fround);

interface Hyper {
  l1: number;
  l2: number;
  lr: number;
  threshold: number;
}

function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
    l1: fc.oneof(fc.constant(0), wide ? unit(0, 10) : unit(1e-3, 1)),
    l2: fc.oneof(fc.constant(0), wide ? unit(0, 10) : unit(1e-3, 1)),
    lr: wide ? unit(0, 10) : unit(1e-3, 1),
    threshold: fc.oneof(fc.constant(0), wide ? unit(0, 10) : unit(1e-3, 1)),
  });
}

// Exact zeros (+0 and −0) are frequent: sign(0) = 0 and the threshold's boundary are where bugs hide.
function inputs(_spec: unknown, wide: boolean) {
  const element = fc.oneof(
    { weight: 4, arbitrary: fc.float({ min: wide ? -HUGE : -10, max: wide ? HUGE : 10, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(0, -0, 0.5, -0.5) },
  );
  const vec = (n: number) => fc.array(element, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  return kernelInputs((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n), vec(n)));
}

const SPECS: Record<string, KernelSpec<Hyper>> = {
  f32_l1_l2_grad: {
    writes: () => [1],
    call: (k, [p, g], n, h) => k.f32_l1_l2_grad(p!, g!, n, h.l1, h.l2),
    scale: ([p, g], _y, i, h) => [0, 2 * (h.l2 * abs(p![i]!) + abs(g![i]!) + h.l1)],
    mutants: {
      "ignores the L1 term": (h) => ({ ...h, l1: 0 }),
      "ignores the L2 term": (h) => ({ ...h, l2: 0 }),
      "swaps λ₁ and λ₂": (h) => ({ ...h, l1: h.l2, l2: h.l1 }),
      "pushes θ away from zero (λ₁ sign(θ) subtracted)": (h) => ({ ...h, l1: -h.l1 }),
    },
  },
  f32_sgd_prox_l1: {
    writes: () => [0],
    call: (k, [p, g], n, h) => k.f32_sgd_prox_l1(p!, g!, n, h.lr, h.threshold),
    scale: ([p, g], _y, i, h) => [2 * (abs(p![i]!) + h.lr * abs(g![i]!) + h.threshold)],
    mutants: {
      "never thresholds": (h) => ({ ...h, threshold: 0 }),
      "thresholds by half the amount": (h) => ({ ...h, threshold: Math.fround(h.threshold / 2) }),
      "forgets the gradient step": (h) => ({ ...h, lr: 0 }),
    },
  },
};

describe("penalty kernels vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 8 });
});

const BACKENDS: Backend[] = ["js", "simd", "scalar"];

describe("penalty kernels: closed forms on every backend", () => {
  it.each(BACKENDS)("%s: g += λ₁ sign(θ) + λ₂ θ with sign(±0) = 0, as torch.sign", async (backend) => {
    const engine = await createEngine({ backend });
    const p = engine.allocF32(7), g = engine.allocF32(7);
    p.array.set([0, -0, 2, -2, 0.5, -0.25, 0]);
    g.array.set([1, 1, 1, 1, 1, 1, 1]);
    engine.kernels.f32_l1_l2_grad(p.ptr, g.ptr, 7, 0.5, 0.25);
    expect(Array.from(g.array)).toEqual([1, 1, 2, 0, 1.625, 0.4375, 1]);
  });

  it.each(BACKENDS)("%s: the proximal step is the soft-threshold of z = θ − γg, with exact (+0) zeros", async (backend) => {
    const engine = await createEngine({ backend });
    fc.assert(
      fc.property(fc.array(fc.float({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 40 }), fc.float({ min: 0, max: 1, noNaN: true }), (values, t) => {
        const n = values.length;
        const p = engine.allocF32(n), g = engine.allocF32(n);
        p.array.set(values);
        engine.kernels.f32_sgd_prox_l1(p.ptr, g.ptr, n, 0.1, t);
        for (let i = 0; i < n; i++) {
          const z = Math.fround(values[i]!);
          const expected = Math.sign(z) * Math.max(Math.abs(z) - Math.fround(t), 0);
          expect(p.array[i]).toBeCloseTo(expected, 6);
          if (Math.abs(z) <= Math.fround(t)) expect(Object.is(p.array[i], 0)).toBe(true);
        }
      }),
      { numRuns: 30 },
    );
    expect(softThreshold(-3, 1)).toBe(-2);
    expect(Object.is(softThreshold(-0.5, 1), 0)).toBe(true);
  });

  it("max-norm rows: the same bits on every backend; each row's norm ends ≤ the bound, a short row scaled by ‖w‖/(ε + ‖w‖)", async () => {
    const engines = await Promise.all(BACKENDS.map((backend) => createEngine({ backend })));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 37 }), fc.float({ min: Math.fround(0.01), max: 5, noNaN: true }), fc.integer(), (rows, cols, maxNorm, seed) => {
        const values = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(seed + i * 1.7) * 3);
        const out = engines.map((engine) => {
          const w = engine.allocF32(rows * cols + 1);
          w.array.set(values);
          w.array[rows * cols] = 12345.5;
          engine.kernels.f32_max_norm_rows(w.ptr, rows, cols, maxNorm, 1e-7);
          return w.array.slice();
        });
        for (const o of out) expect(Array.from(o)).toEqual(Array.from(out[0]!));
        expect(out[0]![rows * cols]).toBe(12345.5);
        for (let r = 0; r < rows; r++) {
          const norm = (a: Float32Array) => Math.hypot(...a.subarray(r * cols, (r + 1) * cols));
          const before = norm(values);
          expect(norm(out[0]!)).toBeLessThanOrEqual(maxNorm * (1 + 1e-6));
          if (before <= maxNorm && before > 0) expect(norm(out[0]!) / before).toBeCloseTo(before / (1e-7 + before), 6);
        }
      }),
      { numRuns: 60 },
    );
  });
});
