// The embedded digits and the synthetic generators: shapes, label counts, value ranges, determinism per seed.
import { describe, expect, it } from "vitest";
import { createEngine, DataLoader, digitsDataset, loadDigits, makeBlobs, makeFriedman1, makeMoons, makeSpirals, type Dataset } from "../src/index.js";

// scikit-learn's load_digits(): np.bincount(target), data.sum(), and the last sample.
const DIGITS_COUNTS = [178, 182, 177, 183, 181, 182, 181, 179, 174, 180];
const DIGITS_PIXEL_SUM = 561718;
const LAST_DIGIT = [
  0, 0, 10, 14, 8, 1, 0, 0, 0, 2, 16, 14, 6, 1, 0, 0, 0, 0, 15, 15, 8, 15, 0, 0, 0, 0, 5, 16, 16, 10, 0, 0, 0, 0, 12, 15, 15, 12,
  0, 0, 0, 4, 16, 6, 4, 16, 6, 0, 0, 8, 16, 10, 8, 16, 8, 0, 0, 1, 8, 12, 14, 12, 1, 0,
];

function total(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

describe("digits", () => {
  it("holds scikit-learn's 1797 samples: shape, labels, pixel values", () => {
    const all = digitsDataset();
    expect([all.length, all.featureSize, all.numClasses]).toEqual([1797, 64, 10]);
    expect(all.x).toBeInstanceOf(Uint8Array);
    expect(all.classCounts()).toEqual(DIGITS_COUNTS);
    expect(Math.max(...all.x)).toBe(16);
    expect(total(all.x)).toBe(DIGITS_PIXEL_SUM);
    expect(Array.from(all.x.subarray(1796 * 64))).toEqual(LAST_DIGIT);
    expect(all.labels![1796]).toBe(8);
    expect([all.scale, all.offset]).toEqual([1 / 16, 0]);
  });

  it("loadDigits: the fixed stratified 80/20 split, identical on every call", () => {
    const { train, test } = loadDigits();
    expect([train.length, test.length]).toEqual([1438, 359]);
    train.classCounts().forEach((n, c) => expect(Math.abs(n - 0.8 * DIGITS_COUNTS[c]!)).toBeLessThanOrEqual(1));
    expect(train.classCounts().map((n, c) => n + test.classCounts()[c]!)).toEqual(DIGITS_COUNTS);
    expect(Array.from(loadDigits().test.x)).toEqual(Array.from(test.x));
  });

  it("is gathered into [0, 1] floats by the loader", async () => {
    const engine = await createEngine({ backend: "simd" });
    const { test } = loadDigits();
    const x = engine.allocF32(359 * 64), y = engine.allocI32(359);
    for (const n of new DataLoader(engine, test, { batchSize: "full", shuffle: false }).epoch(x, y)) expect(n).toBe(359);
    const values = Array.from(x.array);
    expect(Math.min(...values)).toBe(0);
    expect(Math.max(...values)).toBe(1);
    expect(values.every((v) => Number.isInteger(v * 16))).toBe(true);
    expect(Array.from(y.array)).toEqual(Array.from(test.labels!));
  });
});

function fingerprint(d: Dataset): number[] {
  return [...d.x.subarray(0, 6), ...(d.labels ?? d.targets!).subarray(0, 3)];
}

describe("synthetic datasets", () => {
  const generators: [string, (seed: number) => Dataset][] = [
    ["spirals", (seed) => makeSpirals({ samples: 301, arms: 4, seed })],
    ["moons", (seed) => makeMoons({ samples: 101, seed })],
    ["blobs", (seed) => makeBlobs({ samples: 100, centers: 3, features: 5, seed })],
    ["friedman1", (seed) => makeFriedman1({ samples: 50, features: 7, seed })],
  ];
  for (const [name, make] of generators) {
    it(`${name}: the same seed gives the same samples, another seed others`, () => {
      expect(Array.from(make(1).x)).toEqual(Array.from(make(1).x));
      expect(fingerprint(make(1))).not.toEqual(fingerprint(make(2)));
      expect(make(1).x.every(Number.isFinite)).toBe(true);
    });
  }

  it("spirals: k arms of near-equal size, points within the unit disc (noise aside), radius growing along the arm", () => {
    const d = makeSpirals({ samples: 301, arms: 4, noise: 0, seed: 1 });
    expect([d.length, d.numClasses, ...d.shape]).toEqual([301, 4, 2]);
    expect(d.classCounts()).toEqual([76, 75, 75, 75]);
    const radius = (i: number) => Math.hypot(d.x[2 * i]!, d.x[2 * i + 1]!);
    expect(radius(0)).toBeCloseTo(0.5 / 76, 6);
    expect(radius(75)).toBeCloseTo(75.5 / 76, 6);
    // Arm j starts at angle 2πj/k (plus the turn made along r).
    expect(Math.atan2(d.x[2 * 76 + 1]!, d.x[2 * 76]!)).toBeCloseTo(Math.PI / 2 + (2 * Math.PI * 0.5) / 75, 5);
  });

  it("moons: two half circles, the upper one for class 0", () => {
    const d = makeMoons({ samples: 9, noise: 0 });
    expect(d.classCounts()).toEqual([4, 5]);
    expect([d.x[0], d.x[1]]).toEqual([1, 0]); // t = 0 on the outer moon
    expect(d.x[6]).toBeCloseTo(-1, 6); // t = π
    expect([d.x[8], d.x[9]]).toEqual([0, 0.5]); // inner moon, t = 0
    expect(d.x[17]).toBeCloseTo(0.5, 6); // inner moon, t = π: (2, ½)
  });

  it("blobs: samples gather around given centres with the given spread", () => {
    const d = makeBlobs({ samples: 3000, centers: [[0, 0], [10, -10]], std: 2, seed: 4 });
    expect(d.classCounts()).toEqual([1500, 1500]);
    const mean = [0, 0], sq = [0, 0];
    for (let i = 1500; i < 3000; i++) for (let j = 0; j < 2; j++) (mean[j]! += d.x[2 * i + j]! / 1500), (sq[j]! += d.x[2 * i + j]! ** 2 / 1500);
    expect(mean[0]).toBeCloseTo(10, 0);
    expect(mean[1]).toBeCloseTo(-10, 0);
    expect(Math.sqrt(sq[0]! - mean[0]! ** 2)).toBeCloseTo(2, 0);
    expect(() => makeBlobs({ centers: [[0, 0], [1]] })).toThrow(/centers must be a non-empty list of points of one dimension/);
  });

  it("friedman1: targets follow the formula (noise 0), features in [0, 1)", () => {
    const d = makeFriedman1({ samples: 20, noise: 0, seed: 3 });
    expect([d.targetSize, ...d.shape]).toEqual([1, 5]);
    expect(d.x.every((v) => v >= 0 && v < 1)).toBe(true);
    for (let i = 0; i < 20; i++) {
      const [a, b, c, e, g] = d.x.subarray(5 * i, 5 * i + 5);
      expect(d.targets![i]).toBeCloseTo(10 * Math.sin(Math.PI * a! * b!) + 20 * (c! - 0.5) ** 2 + 10 * e! + 5 * g!, 4);
    }
    expect(() => makeFriedman1({ features: 4 })).toThrow(/makeFriedman1: features must be an integer ≥ 5, got 4/);
  });
});
