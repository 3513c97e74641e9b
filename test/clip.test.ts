// clipGradNorm / clipGradValue on every backend, against norms and clipped gradients computed here in float64.
import { describe, expect, it } from "vitest";
import { clipGradNorm, clipGradValue, createEngine, type Backend, type Parameter } from "../src/index.js";

const backends: Backend[] = ["simd", "scalar", "js"];

/** Parameters in three contiguous runs (two chunks, and a gap left by a parameter that is not clipped). */
async function setup(backend: Backend, seed = 1) {
  const engine = await createEngine({ backend });
  const [a, b, skipped, c] = engine.parameters([{ values: 7 }, { values: 13 }, { values: 5 }, { values: 9 }]);
  const [d] = engine.parameters([{ values: 1003 }]);
  const params = [d!, c!, a!, b!];
  let s = seed;
  const rand = () => ((s = (s * 16807) % 2147483647) / 2147483647) * 2 - 1;
  for (const p of [...params, skipped!]) for (let i = 0; i < p.length; i++) p.grad[i] = 3 * rand();
  return { params, skipped: skipped! };
}

const grads = (params: Parameter[]) => params.flatMap((p) => Array.from(p.grad));

function norm(values: number[], type: number): number {
  if (type === Infinity) return Math.max(0, ...values.map(Math.abs));
  if (type === 1) return values.reduce((s, v) => s + Math.abs(v), 0);
  return Math.sqrt(values.reduce((s, v) => s + v * v, 0));
}

describe("clipGradNorm", () => {
  for (const backend of backends) {
    for (const type of [2, 1, Infinity]) {
      it(`scales to maxNorm and returns the norm before clipping (norm ${type}, ${backend})`, async () => {
        const { params, skipped } = await setup(backend);
        const before = grads(params);
        const skippedBefore = Array.from(skipped.grad);
        const expected = norm(before, type);
        const maxNorm = expected / 3;
        const total = clipGradNorm(params, maxNorm, type);
        expect(total).toBeCloseTo(expected, 10);
        const c = Math.fround(maxNorm / (expected + 1e-6));
        expect(grads(params)).toEqual(before.map((g) => Math.fround(g * c)));
        expect(Math.abs(norm(grads(params), type) / maxNorm - 1)).toBeLessThan(1e-6); // float32 rounding
        expect(Array.from(skipped.grad)).toEqual(skippedBefore);
      });
    }
  }

  it("leaves gradients alone when the norm is within maxNorm", async () => {
    const { params } = await setup("simd");
    const before = grads(params);
    const total = clipGradNorm(params, 1e6);
    expect(total).toBeCloseTo(norm(before, 2), 9);
    expect(grads(params)).toEqual(before);
  });

  it("gives the same bits on every backend", async () => {
    const results = await Promise.all(backends.map(async (b) => {
      const { params } = await setup(b, 7);
      return [clipGradNorm(params, 0.5), ...grads(params)];
    }));
    for (const r of results) expect(r).toEqual(results[0]);
  });

  it("accepts a single parameter and an empty list", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter(2);
    p.grad.set([3, 4]);
    expect(clipGradNorm(p, 1)).toBe(5);
    expect(Array.from(p.grad)).toEqual([3, 4].map((g) => Math.fround(g * Math.fround(1 / (5 + 1e-6)))));
    expect(clipGradNorm([], 1)).toBe(0);
  });

  it("handles non-finite norms as torch: NaN gradients, or an error naming the norm", async () => {
    const { params } = await setup("simd");
    params[2]!.grad[3] = Infinity;
    expect(() => clipGradNorm(params, 1, 2, { errorIfNonfinite: true })).toThrow(/total norm of order 2 .* is Infinity/);
    expect(params[2]!.grad[3]).toBe(Infinity); // untouched when throwing
    expect(clipGradNorm(params, 1, Infinity)).toBe(Infinity);
    expect(params[0]!.grad.every((g) => g === 0)).toBe(true); // scaled by 1 / ∞
    params[1]!.grad[0] = NaN;
    expect(() => clipGradNorm(params, 1, 1, { errorIfNonfinite: true })).toThrow(/order 1 .* is NaN/);
    expect(clipGradNorm(params, 1)).toBeNaN();
    expect(grads(params).every(Number.isNaN)).toBe(true);
  });

  it("rejects bad options by name", async () => {
    const { params } = await setup("js");
    expect(() => clipGradNorm(params, -1)).toThrow(/Invalid maxNorm: -1/);
    expect(() => clipGradNorm(params, 1, 3)).toThrow(/Invalid normType: 3/);
    expect(() => clipGradNorm([params[0]!, params[0]!], 1)).toThrow(/appears more than once/);
    const other = await createEngine({ backend: "js" });
    expect(() => clipGradNorm([params[0]!, other.parameter(1)], 1)).toThrow(/another engine/);
  });
});

describe("clipGradValue", () => {
  for (const backend of backends) {
    it(`clamps into [-clipValue, clipValue] (${backend})`, async () => {
      const { params, skipped } = await setup(backend);
      const before = grads(params);
      const skippedBefore = Array.from(skipped.grad);
      clipGradValue(params, 1.25);
      expect(grads(params)).toEqual(before.map((g) => Math.min(Math.max(g, -1.25), 1.25)));
      expect(Array.from(skipped.grad)).toEqual(skippedBefore);
      expect(() => clipGradValue(params, -1)).toThrow(/Invalid clipValue: -1/);
    });
  }
});
