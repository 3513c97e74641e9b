// Statistics over seeds: the t quantile, mean / sd / interval by hand, paired differences, and the significance
// statement of a comparison, which must flip when two runs are made identical.
import { describe, expect, it } from "vitest";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { compareOptimizers } from "../src/lab/compare.js";
import { formatPlusMinus } from "../src/lab/format.js";
import { pairedDifference, summarize } from "../src/lab/seed-stats.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";
import { t975 } from "../src/lab/student-t.js";

/** P(T ≤ t) for Student's t with ν degrees of freedom, by Simpson's rule on the density (float64). */
function tCdf(t: number, df: number): number {
  const lgamma = (x: number): number => {
    // Lanczos (g = 7, n = 9), enough for this check.
    const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
    if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lgamma(1 - x);
    x -= 1;
    let a = c[0]!;
    const g = x + 7.5;
    for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
    return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(g) - g + Math.log(a);
  };
  const logNorm = lgamma((df + 1) / 2) - lgamma(df / 2) - 0.5 * Math.log(df * Math.PI);
  const density = (x: number) => Math.exp(logNorm - ((df + 1) / 2) * Math.log1p((x * x) / df));
  const n = 20000;
  const h = t / n;
  let sum = density(0) + density(t);
  for (let i = 1; i < n; i++) sum += (i % 2 ? 4 : 2) * density(i * h);
  return 0.5 + (sum * h) / 3;
}

describe("t975", () => {
  it("is the 97.5 % quantile of Student's t, from the table and from the expansion", () => {
    for (const df of [1, 2, 3, 4, 5, 9, 10, 19, 29, 30, 31, 40, 60, 120, 1000]) {
      expect(tCdf(t975(df), df), `df ${df}`).toBeCloseTo(0.975, df === 1 ? 4 : 5);
    }
    expect(t975(4)).toBe(2.7764);
    // Decreasing in ν, across the join of the table and the expansion.
    for (let df = 1; df < 100; df++) expect(t975(df + 1)).toBeLessThan(t975(df));
    expect(t975(1e6)).toBeCloseTo(1.96, 4);
    expect(() => t975(0)).toThrow(/positive integer/);
  });
});

describe("summarize and pairedDifference", () => {
  it("match a hand computation", () => {
    // 1, 2, 3, 4, 10: mean 4, squares 9+4+1+0+36 = 50, sd = √(50/4) = 3.5355…, half-width t(0.975; 4) · sd / √5.
    const s = summarize([1, 2, 3, 4, 10, NaN]);
    expect(s.n).toBe(5);
    expect(s.mean).toBe(4);
    expect(s.sd).toBeCloseTo(Math.sqrt(12.5), 12);
    expect(s.halfWidth).toBeCloseTo((2.7764 * Math.sqrt(12.5)) / Math.sqrt(5), 12);
    expect(s.low).toBeCloseTo(4 - s.halfWidth, 12);
    expect(summarize([7]).halfWidth).toBeNaN();
    // Differences 0.1, 0.2, 0.3 (a lower than b in none): mean 0.2, sd 0.1, interval 0.2 ± 4.3027 · 0.1 / √3.
    const d = pairedDifference([1.1, 2.2, 3.3], [1, 2, 3]);
    expect(d.difference.mean).toBeCloseTo(0.2, 12);
    expect(d.difference.halfWidth).toBeCloseTo((4.3027 * 0.1) / Math.sqrt(3), 12);
    expect(d.lower).toBe(0);
    expect(d.significant).toBe(false); // 0.2 ± 0.248 includes 0
    expect(pairedDifference([1.1, 2.1, 3.1, 4.1], [1, 2, 3, 4]).significant).toBe(true); // a constant shift: sd 0
    expect(pairedDifference([1, 2, 3], [1, 2, 3]).significant).toBe(false); // identical: 0 ± 0
  });

  it("formats an interval to the half-width's precision", () => {
    expect(formatPlusMinus(0.11013, 0.08887)).toBe("0.110 ± 0.089");
    expect(formatPlusMinus(84.7, 1.2, "%")).toBe("84.7% ± 1.2%");
    expect(formatPlusMinus(208.3, 461)).toBe("208 ± 461");
  });
});

describe("compareOptimizers over seeds", () => {
  const data = () => {
    const [train, test] = makeBlobs({ samples: 120, centers: 3, features: 4, std: 1.5, box: [-3, 3], seed: 3 }).split(0.75, 0);
    return { train: train!, test: test! };
  };
  const compare = async (second: string) => compareOptimizers({
    engine: await createEngine({ backend: "simd" }), data: data(), model: "mlp:8", epochs: 3, batchSize: 16, seeds: 4, warmup: false,
    optimizers: [parseOptimizerSpec("adam:lr=0.03", "Adam"), parseOptimizerSpec(second, "other")],
  });

  it("repeats every run per seed, summarizes each metric, and says which differences exceed the seed noise", async () => {
    const result = await compare("sgd:lr=0.001");
    expect(result.seeds).toEqual([0, 1, 2, 3]);
    expect(result.replicates).toHaveLength(4);
    for (const [k, runs] of result.replicates.entries()) for (const r of runs) expect(r.seed).toBe(k);
    // Each seed is the single-seed comparison of that seed.
    const single = await compareOptimizers({
      engine: await createEngine({ backend: "simd" }), data: data(), model: "mlp:8", epochs: 3, batchSize: 16, seed: 2, warmup: false,
      optimizers: [parseOptimizerSpec("adam:lr=0.03", "Adam"), parseOptimizerSpec("sgd:lr=0.001", "other")],
    });
    expect(Array.from(result.replicates[2]![1]!.stepLosses)).toEqual(Array.from(single.runs[1]!.stepLosses));
    // The statistics are those of the per-seed values.
    const values = result.replicates.map((runs) => runs[0]!.summary.finalTestLoss);
    const adam = result.statistics[0]!.metrics.finalTestLoss;
    expect(adam.mean).toBeCloseTo(values.reduce((a, b) => a + b) / 4, 12);
    expect(adam.sd).toBeCloseTo(Math.sqrt(values.reduce((a, v) => a + (v - adam.mean) ** 2, 0) / 3), 12);
    // The mean curve is the mean of the seeds' smoothed curves.
    const band = result.statistics[0]!.stepLoss;
    expect(band.mean[5]).toBeCloseTo(result.replicates.reduce((a, runs) => a + runs[0]!.smoothedLosses[5]!, 0) / 4, 12);
    expect(band.low[5]).toBeLessThan(band.high[5]!);
    // Adam at 0.03 against SGD at 1e-3 (which barely moves): a real difference.
    const [d] = result.differences;
    expect(d!.best).toBe("Adam");
    expect(d!.paired.significant).toBe(true);
    expect(d!.statement).toMatch(/^Adam's test loss is lower than other's in 4 of 4 seeds, by [\d.]+ ± [\d.]+ \(95 % CI\): larger than the seed noise\.$/);
  });

  it("calls two identical runs indistinguishable", async () => {
    const result = await compare("adam:lr=0.03");
    const [d] = result.differences;
    expect(d!.paired.significant).toBe(false);
    expect(d!.paired.difference.mean).toBe(0);
    expect(d!.statement).toContain("indistinguishable");
  });
});
