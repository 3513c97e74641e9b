// Dataset: validation, subset, stratified seeded split, reshape, standardization fitted on one split.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dataset, Standardizer } from "../src/index.js";

function labelled(counts: number[]): Dataset {
  const labels = counts.flatMap((n, c) => new Array<number>(n).fill(c));
  return new Dataset({ x: Float32Array.from(labels, (_, i) => i), shape: [1], labels, name: "lab" });
}

describe("Dataset", () => {
  it("validates shapes, labels and targets with messages naming the dataset", () => {
    const x = new Uint8Array(12);
    expect(() => new Dataset({ x, shape: [5], labels: [0, 1], name: "d" })).toThrow(/^d: 12 feature values are not a whole number of samples of shape \[5\]$/);
    expect(() => new Dataset({ x, shape: [0, 2], labels: [], name: "d" })).toThrow(/^d: invalid sample shape \[0, 2\]$/);
    expect(() => new Dataset({ x, shape: [6], labels: [0], name: "d" })).toThrow(/^d: 1 labels for 2 samples$/);
    expect(() => new Dataset({ x, shape: [6], labels: [0, -1], name: "d" })).toThrow(/^d: label -1 of sample 1 is outside \[0, 1\)$/);
    expect(() => new Dataset({ x, shape: [6], name: "d" })).toThrow(/give either labels .* or targets/);
    expect(() => new Dataset({ x, shape: [6], targets: [1, 2, 3], name: "d" })).toThrow(/^d: 3 targets do not fit 2 samples/);
    const d = new Dataset({ x, shape: [2, 3], targets: [1, 2, 3, 4] });
    expect([d.length, d.featureSize, d.targetSize, d.numClasses]).toEqual([2, 6, 2, 0]);
  });

  it("subset takes samples in the given order, features with labels or targets", () => {
    const x = Uint8Array.from({ length: 8 }, (_, i) => i);
    const lab = new Dataset({ x, shape: [2], labels: [0, 1, 2, 3], scale: 0.5 });
    const s = lab.subset([3, 0, 3]);
    expect(Array.from(s.x)).toEqual([6, 7, 0, 1, 6, 7]);
    expect(s.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(s.labels!)).toEqual([3, 0, 3]);
    expect([s.numClasses, s.scale]).toEqual([4, 0.5]);
    const reg = new Dataset({ x, shape: [2], targets: [10, 11, 20, 21, 30, 31, 40, 41] });
    expect(Array.from(reg.subset([2, 1]).targets!)).toEqual([30, 31, 20, 21]);
    expect(() => lab.subset([4])).toThrow(/subset index 4 \(position 0\) is outside \[0, 4\)/);
  });

  it("split is stratified: every class keeps its proportion, the total is round(fraction · n)", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 6 }), fc.double({ min: 0.05, max: 0.95, noNaN: true }), fc.integer({ min: 0, max: 0xffffffff }), (counts, fraction, seed) => {
        fc.pre(counts.some((c) => c > 0));
        const data = labelled(counts);
        const [a, b] = data.split(fraction, seed);
        expect(a.length).toBe(Math.round(data.length * fraction));
        expect(a.length + b.length).toBe(data.length);
        a.classCounts().forEach((n, c) => {
          expect(n).toBeGreaterThanOrEqual(Math.floor(counts[c]! * fraction));
          expect(n).toBeLessThanOrEqual(Math.ceil(counts[c]! * fraction));
        });
        // The parts are disjoint and cover everything (features are the original indices).
        expect([...a.x, ...b.x].sort((p, q) => p - q)).toEqual(Array.from({ length: data.length }, (_, i) => i));
      }),
      { numRuns: 100 },
    );
  });

  it("split is seeded: same seed same parts, another seed other parts", () => {
    const data = labelled([50, 50]);
    const ids = (seed: number) => Array.from(data.split(0.5, seed)[0].x);
    expect(ids(3)).toEqual(ids(3));
    expect(ids(3)).not.toEqual(ids(4));
    const reg = new Dataset({ x: Float32Array.from({ length: 10 }, (_, i) => i), shape: [1], targets: new Float32Array(10) });
    expect(reg.split(0.3, 1)[0].length).toBe(3);
    expect(() => reg.split(1)).toThrow(/split fraction must be in \(0, 1\), got 1/);
  });

  it("reshape shares the data under a shape of the same size", () => {
    const d = new Dataset({ x: new Uint8Array(128), shape: [64], labels: [0, 1] });
    const r = d.reshape([1, 8, 8]);
    expect(r.shape).toEqual([1, 8, 8]);
    expect(r.x).toBe(d.x);
    expect(() => d.reshape([1, 8, 9])).toThrow(/cannot reshape samples of shape \[64\] to \[1, 8, 9\]/);
  });

  it("Standardizer: fitted on train (mean 0, std 1 there), the same μ and σ applied to test", () => {
    const train = new Dataset({ x: Float32Array.from([1, 10, 3, 10, 5, 10, 7, 10]), shape: [2], labels: [0, 1, 0, 1] });
    const test = new Dataset({ x: Float32Array.from([4, 12]), shape: [2], labels: [1] });
    const scaler = Standardizer.fit(train);
    expect(Array.from(scaler.mean)).toEqual([4, 10]);
    expect(Array.from(scaler.std)).toEqual([Math.sqrt(5), 1]); // the constant feature: σ = 1, only centred
    const t = scaler.apply(train);
    expect(Array.from(t.x)).toEqual([-3, -1, 1, 3].flatMap((v) => [Math.fround(v / Math.sqrt(5)), 0]));
    expect(Array.from(scaler.apply(test).x)).toEqual([0, 2]);
    expect(Array.from(scaler.apply(test).labels!)).toEqual([1]);
    // Bytes are standardized as the model sees them (byte · scale + offset).
    const bytes = new Dataset({ x: Uint8Array.from([0, 255]), shape: [1], labels: [0, 1], scale: 1 / 255, offset: -0.5 });
    const fitted = Standardizer.fit(bytes);
    expect(fitted.mean[0]).toBeCloseTo(0, 7);
    expect(fitted.std[0]).toBeCloseTo(0.5, 7);
    expect(() => fitted.apply(train)).toThrow(/2 features per sample, the Standardizer was fitted on 1/);
  });
});
