// The reduce kernels on every backend: the simd, scalar and js versions return the same bits (the sums follow one
// fixed float64 order); the sums lie within the float64 rounding bound of an independent sum; the element-wise
// operations match a float32 computation done here; relaxed SIMD (fused axpy) agrees within a tolerance.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, isBackendSupported, type Backend, type Engine, type F32Slice } from "../src/index.js";

const MAX_N = 2000;
const exactBackends: Backend[] = ["simd", "scalar", "js"];
const backends: Backend[] = isBackendSupported("relaxed-simd") ? ["relaxed-simd", ...exactBackends] : exactBackends;

interface Bench {
  engine: Engine;
  a: F32Slice;
  b: F32Slice;
}
const benches = new Map<Backend, Bench>();

beforeAll(async () => {
  for (const backend of backends) {
    const engine = await createEngine({ backend });
    benches.set(backend, { engine, a: engine.allocF32(MAX_N + 8), b: engine.allocF32(MAX_N + 8) });
  }
});

/** Writes x (and y) at element offset `shift` of each bench's buffers; returns the byte pointers. */
function load(bench: Bench, shift: number, x: Float32Array, y?: Float32Array): { pa: number; pb: number } {
  bench.a.array.fill(0).set(x, shift);
  bench.b.array.fill(0).set(y ?? x, shift);
  return { pa: bench.a.ptr + 4 * shift, pb: bench.b.ptr + 4 * shift };
}

const anyFloats = (n: number) => fc.float32Array({ minLength: n, maxLength: n, noNaN: true, noDefaultInfinity: true });
const moderate = (n: number) =>
  fc.array(fc.float({ min: -10, max: 10, noNaN: true }), { minLength: n, maxLength: n }).map((v) => Float32Array.from(v));
const vectorPair = fc
  .integer({ min: 0, max: MAX_N })
  .chain((n) => fc.tuple(fc.oneof(anyFloats(n), moderate(n)), fc.oneof(anyFloats(n), moderate(n)), fc.integer({ min: 0, max: 3 })));

/** |x − y| ≤ n · 2⁻⁵² · Σ|terms|: the error bound of any float64 summation order. */
function expectWithinSumBound(x: number, y: number, n: number, absSum: number): void {
  expect(Math.abs(x - y)).toBeLessThanOrEqual(n * 2 ** -52 * absSum);
}

const sumKernels = {
  f32_dot: (x: Float32Array, y: Float32Array, i: number) => x[i]! * y[i]!,
  f32_sum_squares: (x: Float32Array, _y: Float32Array, i: number) => x[i]! * x[i]!,
  f32_sum_abs: (x: Float32Array, _y: Float32Array, i: number) => Math.abs(x[i]!),
};

describe("reduce kernels", () => {
  for (const [name, term] of Object.entries(sumKernels)) {
    it(`${name}: the same bits on every backend, within rounding of a sequential float64 sum`, () => {
      fc.assert(
        fc.property(vectorPair, ([x, y, shift]) => {
          const n = x.length;
          let sequential = 0, absSum = 0;
          for (let i = 0; i < n; i++) sequential += term(x, y, i), (absSum += Math.abs(term(x, y, i)));
          const results = backends.map((backend) => {
            const bench = benches.get(backend)!;
            const { pa, pb } = load(bench, shift, x, y);
            const k = bench.engine.kernels;
            return name === "f32_dot" ? k.f32_dot(pa, pb, n) : k[name as "f32_sum_abs"](pa, n);
          });
          for (const r of results) expect(Object.is(r, results[0])).toBe(true);
          expectWithinSumBound(results[0]!, sequential, n, absSum);
        }),
        { numRuns: 60 },
      );
    });
  }

  it("f32_dot follows the documented order: four partial sums by i mod 4, (s0 + s1) + (s2 + s3), then the tail", () => {
    // (1 + 1) + (2^54 − 2^54) + 3 + 5 = 10, where a sequential sum loses the 2 to rounding at 2^54 and gives 8.
    const x = Float32Array.from([1, 1, 2 ** 54, -(2 ** 54), 3, 5]);
    const ones = new Float32Array(x.length).fill(1);
    for (const backend of backends) {
      const bench = benches.get(backend)!;
      const { pa, pb } = load(bench, 1, x, ones);
      expect(bench.engine.kernels.f32_dot(pa, pb, x.length)).toBe(10);
      expect(bench.engine.kernels.f32_sum_squares(pa, 2)).toBe(2);
    }
  });

  it("f32_max_abs: the largest magnitude, 0 when empty, NaN when a NaN is present", () => {
    fc.assert(
      fc.property(vectorPair, fc.nat(), ([x, , shift], nanAt) => {
        const expected = x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
        for (const backend of backends) {
          const bench = benches.get(backend)!;
          const { pa } = load(bench, shift, x);
          expect(bench.engine.kernels.f32_max_abs(pa, x.length)).toBe(expected);
          if (x.length > 0) {
            bench.a.array[shift + (nanAt % x.length)] = NaN;
            expect(bench.engine.kernels.f32_max_abs(pa, x.length)).toBeNaN();
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("f32_all_finite: 1 for finite vectors, 0 with one ±Infinity or NaN anywhere", () => {
    fc.assert(
      fc.property(vectorPair, fc.nat(), fc.constantFrom(Infinity, -Infinity, NaN), ([x, , shift], at, bad) => {
        for (const backend of backends) {
          const bench = benches.get(backend)!;
          const { pa } = load(bench, shift, x);
          bench.a.array[shift + x.length] = NaN; // just past the end: must not be read
          expect(bench.engine.kernels.f32_all_finite(pa, x.length)).toBe(1);
          if (x.length > 0) {
            bench.a.array[shift + (at % x.length)] = bad;
            expect(bench.engine.kernels.f32_all_finite(pa, x.length)).toBe(0);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("f32_scale, f32_axpy, f32_clamp match float32 arithmetic done here, leaving neighbours alone", () => {
    const scalar = fc.float({ min: -4, max: 4, noNaN: true });
    fc.assert(
      fc.property(vectorPair, scalar, scalar, scalar, ([x, y, shift], s, lo, hi) => {
        const f = Math.fround;
        const n = x.length;
        const scaled = x.map((v) => v * f(s));
        const axpy = y.map((v, i) => f(f(s) * x[i]!) + v);
        const clamped = x.map((v) => Math.min(Math.max(v, f(lo)), f(hi)));
        for (const backend of backends) {
          const bench = benches.get(backend)!;
          const k = bench.engine.kernels;
          const window = () => bench.a.array.subarray(shift, shift + n);
          let { pa, pb } = load(bench, shift, x, y);
          bench.a.array[shift + n] = 42;
          k.f32_scale(pa, n, s);
          expect(window()).toEqual(scaled);
          expect(bench.a.array[shift + n]).toBe(42);
          k.f32_clamp(pa, n, lo, hi);
          expect(bench.a.array[shift + n]).toBe(42);
          ({ pa, pb } = load(bench, shift, x, y));
          k.f32_clamp(pa, n, lo, hi);
          expect(window()).toEqual(clamped);
          ({ pa, pb } = load(bench, shift, y, x));
          k.f32_axpy(pa, pb, n, s);
          if (backend === "relaxed-simd") {
            // One rounding instead of two: within an ulp of the product plus one of the sum (and where the
            // unfused product overflows, the fused result stays finite).
            window().forEach((v, i) => {
              // Where the unfused product overflows, the fused result is the exact a·x + y rounded once.
              if (!Number.isFinite(axpy[i]!)) {
                const exact = f(s) * x[i]! + y[i]!;
                if (!Number.isFinite(f(exact))) return expect(v).toBe(f(exact));
                return expect(Math.abs(v - exact)).toBeLessThanOrEqual(2 ** -23 * Math.abs(exact));
              }
              const bound = 2 ** -23 * (Math.abs(f(s) * x[i]!) + Math.abs(axpy[i]!)) + 2 ** -149; // one ulp of the subnormals, where the relative term vanishes
              expect(Math.abs(v - axpy[i]!)).toBeLessThanOrEqual(bound);
            });
          } else {
            expect(window()).toEqual(axpy);
          }
        }
      }),
      { numRuns: 40 },
    );
  });

  it("f32_clamp keeps NaN and lets hi win when lo > hi, as torch.clamp", () => {
    for (const backend of backends) {
      const bench = benches.get(backend)!;
      const x = Float32Array.from([NaN, -5, 0.5, 5, -0, 0, 1, 2, 3]);
      const { pa } = load(bench, 0, x);
      bench.engine.kernels.f32_clamp(pa, x.length, -1, 1);
      expect(Array.from(bench.a.array.subarray(0, x.length))).toEqual([NaN, -1, 0.5, 1, -0, 0, 1, 1, 1]);
      bench.engine.kernels.f32_clamp(pa, x.length, 2, 1);
      expect(Array.from(bench.a.array.subarray(1, x.length))).toEqual(new Array(x.length - 1).fill(1));
    }
  });

  it("f32_copy copies n floats, also between overlapping ranges", () => {
    fc.assert(
      fc.property(vectorPair, fc.integer({ min: -3, max: 3 }), ([x, , shift], delta) => {
        for (const backend of backends) {
          const bench = benches.get(backend)!;
          const { pa, pb } = load(bench, shift, x, new Float32Array(x.length));
          bench.engine.kernels.f32_copy(pb, pa, x.length);
          expect(bench.b.array.subarray(shift, shift + x.length)).toEqual(x);
          // Overlap: move the window by delta elements inside a.
          const to = 4 + delta;
          bench.a.array.fill(0).set(x, 4);
          bench.engine.kernels.f32_copy(bench.a.ptr + 4 * to, bench.a.ptr + 16, x.length);
          expect(bench.a.array.subarray(to, to + x.length)).toEqual(x);
        }
      }),
      { numRuns: 30 },
    );
  });
});
