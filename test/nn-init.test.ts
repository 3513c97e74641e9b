// Initializers against torch.nn.init's formulas: the range / standard deviation each one must produce for a
// given shape, gain, mode and nonlinearity (checked on the sample statistics), and seeded reproducibility.
import { describe, expect, it } from "vitest";
import {
  calculateGain, defaultBiasInit, defaultWeightInit, fans, kaimingNormal, kaimingUniform, Rng, xavierNormal, xavierUniform,
} from "../src/index.js";

function stats(v: Float32Array): { max: number; mean: number; std: number } {
  let sum = 0, sq = 0, max = 0;
  for (const x of v) (sum += x), (sq += x * x), (max = Math.max(max, Math.abs(x)));
  const mean = sum / v.length;
  return { max, mean, std: Math.sqrt(sq / v.length - mean * mean) };
}

const N = 40_000;

/** The sample standard deviation within 4 standard errors (√(1/2N) relative for normals, less for uniforms). */
function expectStd(v: Float32Array, expected: number): void {
  expect(Math.abs(stats(v).std / expected - 1)).toBeLessThan(4 / Math.sqrt(2 * v.length));
}

describe("torch.nn.init", () => {
  it("fans of Linear and Conv2d weights", () => {
    expect(fans([10, 20])).toEqual({ fanIn: 20, fanOut: 10 });
    expect(fans([16, 3, 5, 5])).toEqual({ fanIn: 75, fanOut: 400 });
    expect(() => fans([7])).toThrow("fan in and fan out need a shape of at least 2 dimensions, got [7]");
  });

  it("calculateGain as torch", () => {
    expect(calculateGain("linear")).toBe(1);
    expect(calculateGain("conv2d")).toBe(1);
    expect(calculateGain("sigmoid")).toBe(1);
    expect(calculateGain("tanh")).toBeCloseTo(5 / 3, 15);
    expect(calculateGain("relu")).toBeCloseTo(Math.SQRT2, 15);
    expect(calculateGain("leaky_relu")).toBeCloseTo(Math.sqrt(2 / (1 + 0.01 ** 2)), 15);
    expect(calculateGain("leaky_relu", 0.2)).toBeCloseTo(Math.sqrt(2 / 1.04), 15);
    expect(calculateGain("selu")).toBe(0.75);
    expect(() => calculateGain("swish" as never)).toThrow("calculateGain: unknown nonlinearity 'swish'");
  });

  it("xavierUniform: U(±gain·√(6/(fanIn+fanOut)))", () => {
    const v = new Float32Array(N);
    xavierUniform(v, [200, 200], new Rng(1), 2);
    const bound = 2 * Math.sqrt(6 / 400);
    const s = stats(v);
    expect(s.max).toBeLessThanOrEqual(bound);
    expect(s.max).toBeGreaterThan(0.999 * bound);
    expectStd(v, bound / Math.sqrt(3));
    expect(Math.abs(s.mean)).toBeLessThan(0.01 * bound);
  });

  it("xavierNormal: N(0, gain²·2/(fanIn+fanOut))", () => {
    const v = new Float32Array(N);
    xavierNormal(v, [100, 300], new Rng(2));
    expectStd(v, Math.sqrt(2 / 400));
  });

  it("kaimingUniform: U(±√3·gain/√fan), mode and nonlinearity", () => {
    const v = new Float32Array(N);
    kaimingUniform(v, [100, 400], new Rng(3)); // leaky_relu with a = 0: gain √2, fan_in 400
    expect(stats(v).max).toBeLessThanOrEqual(Math.sqrt(3) * Math.SQRT2 / 20);
    expectStd(v, Math.SQRT2 / 20);
    kaimingUniform(v, [100, 400], new Rng(3), { mode: "fan_out", nonlinearity: "tanh" });
    expectStd(v, 5 / 3 / 10);
    expect(() => kaimingUniform(v, [100, 400], new Rng(3), { mode: "fanIn" as never })).toThrow("kaiming init: mode must be 'fan_in' or 'fan_out', got 'fanIn'");
  });

  it("kaimingNormal: N(0, gain²/fan)", () => {
    const v = new Float32Array(N);
    kaimingNormal(v, [50, 8, 5, 5], new Rng(4), { nonlinearity: "relu" }); // fan_in = 200
    expectStd(v, Math.SQRT2 / Math.sqrt(200));
  });

  it("PyTorch's default Linear init: kaiming_uniform(a = √5) = U(±1/√fanIn), bias U(±1/√fanIn)", () => {
    const w = new Float32Array(N);
    defaultWeightInit(w, [400, 100], new Rng(5));
    expect(stats(w).max).toBeLessThanOrEqual(0.1);
    expect(stats(w).max).toBeGreaterThan(0.0999);
    const b = new Float32Array(N);
    defaultBiasInit(b, 25, new Rng(6));
    expect(stats(b).max).toBeLessThanOrEqual(0.2);
    expectStd(b, 0.2 / Math.sqrt(3));
  });

  it("the same seed gives the same values", () => {
    const a = new Float32Array(100), b = new Float32Array(100), c = new Float32Array(100);
    kaimingNormal(a, [10, 10], new Rng(9));
    kaimingNormal(b, [10, 10], new Rng(9));
    kaimingNormal(c, [10, 10], new Rng(10));
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });
});
