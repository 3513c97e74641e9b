import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compareReport } from "../src/lab/html/compare-report.js";
import { writeReport } from "../src/report/write.js";
import { Dataset } from "../src/data/dataset.js";
import { DataLoader } from "../src/data/loader.js";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { compareOptimizers, type CompareResult } from "../src/lab/compare.js";
import { labModel } from "../src/lab/setup.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";
import { smoothEma } from "../src/lab/stats.js";

/** 3 well-separated classes in 4-D, 90 training and 30 test samples. */
function tinyData(): { train: Dataset; test: Dataset } {
  const [train, test] = makeBlobs({ samples: 120, centers: 3, features: 4, std: 1, box: [-3, 3], seed: 3 }).split(0.75, 0);
  return { train: train!, test: test! };
}

const SPECS = ["sgd:lr=0.1", "sgd:lr=0.05,momentum=0.9", "adam:lr=0.01"];

async function run(seed = 0, extra: Partial<Parameters<typeof compareOptimizers>[0]> = {}): Promise<CompareResult> {
  return compareOptimizers({
    engine: await createEngine({ backend: "simd" }),
    data: tinyData(),
    model: "mlp:8",
    optimizers: SPECS.map((s) => parseOptimizerSpec(s)),
    epochs: 3,
    batchSize: 16,
    seed,
    ...extra,
  });
}

/** Cross-entropy in float64 of logits (rows of k) against labels. */
function crossEntropy(logits: Float32Array, labels: Int32Array, n: number, k: number): number {
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const row = Array.from(logits.subarray(i * k, (i + 1) * k));
    const max = Math.max(...row);
    const lse = max + Math.log(row.reduce((s, v) => s + Math.exp(v - max), 0));
    sum += lse - row[labels[i]!]!;
  }
  return sum / n;
}

describe("compareOptimizers", () => {
  it("gives every optimizer a history of the right length, from the same initial weights and batches", async () => {
    const result = await run();
    const stepsPerEpoch = Math.ceil(90 / 16);
    expect(result.stepsPerEpoch).toBe(stepsPerEpoch);
    expect(result.runs.map((r) => r.name)).toEqual(["SGD (lr=0.1)", "SGD (lr=0.05, momentum=0.9)", "Adam (lr=0.01)"]);
    for (const r of result.runs) {
      expect(r.history.epochs).toHaveLength(3);
      expect(r.history.steps).toBe(3 * stepsPerEpoch);
      expect(r.stepSeconds).toHaveLength(3 * stepsPerEpoch);
      expect(r.stepLrs).toHaveLength(3 * stepsPerEpoch);
      expect(r.summary.diverged).toBe(false);
      expect(Number.isFinite(r.history.last!.valLoss)).toBe(true);
      // Wall times only grow.
      for (let i = 1; i < r.stepSeconds.length; i++) expect(r.stepSeconds[i]).toBeGreaterThanOrEqual(r.stepSeconds[i - 1]!);
    }
    // The first step's loss is computed before any update: equal for all, and equal to the initial model's loss
    // on the first shuffled batch, computed here independently.
    const first = result.runs.map((r) => r.stepLosses[0]);
    expect(new Set(first).size).toBe(1);
    const engine = await createEngine({ backend: "simd" });
    const lab = labModel("mlp:8", tinyData());
    const model = lab.build(engine, 16, 0);
    const loader = new DataLoader(engine, lab.train, { batchSize: 16, shuffle: true, seed: 0 });
    const labels = engine.allocI32(16);
    const n = loader.epoch(model.input, labels).next().value as number;
    model.forward(n, true);
    expect(first[0]).toBeCloseTo(crossEntropy(model.output.array, labels.array, n, 3), 5);
    // The runs then differ.
    expect(new Set(result.runs.map((r) => r.stepLosses[5])).size).toBe(3);
  });

  it("is deterministic for a seed, and the seed matters", async () => {
    const [a, b, c] = [await run(7), await run(7), await run(8)];
    a.runs.forEach((r, i) => {
      expect(Array.from(b.runs[i]!.stepLosses)).toEqual(Array.from(r.stepLosses));
      expect(b.runs[i]!.history.last!.valLoss).toBe(r.history.last!.valLoss);
    });
    expect(c.runs[0]!.stepLosses[0]).not.toBe(a.runs[0]!.stepLosses[0]);
  });

  it("summarizes each run: finals, best epoch, time to target, instability", async () => {
    const result = await run(0, { targetLoss: 0.5 });
    expect(result.target).toBe(0.5);
    for (const r of result.runs) {
      const s = r.summary;
      const last = r.history.last!;
      expect([s.finalLoss, s.finalAccuracy, s.finalTestLoss, s.finalTestAccuracy]).toEqual([last.loss, last.accuracy, last.valLoss, last.valAccuracy]);
      const val = r.history.series("valLoss");
      expect(s.bestEpoch).toBe(val.indexOf(Math.min(...val)));
      expect(s.bestLoss).toBe(Math.min(...val));
      // The smoothed curve with the documented weight 2 / (w + 1), w = min(20, ⌈6 / 2⌉) = 3.
      expect(Array.from(r.smoothedLosses)).toEqual(Array.from(smoothEma(r.stepLosses, 0.5)));
      const crossing = Array.from(r.smoothedLosses).findIndex((v) => v <= 0.5);
      expect(s.stepsToTarget).toBe(crossing < 0 ? null : crossing + 1);
      if (s.stepsToTarget !== null) expect(s.secondsToTarget).toBe(r.stepSeconds[s.stepsToTarget - 1]);
      // Instability: population std of the last k = max(5, min(50, ⌈18 / 4⌉)) = 5 step losses.
      const tail = Array.from(r.stepLosses.slice(-5));
      const mean = tail.reduce((a, v) => a + v, 0) / 5;
      expect(s.instability).toBeCloseTo(Math.sqrt(tail.reduce((a, v) => a + (v - mean) ** 2, 0) / 5), 12);
    }
  });

  it("picks the median of the lowest smoothed losses as the default target", async () => {
    const result = await run();
    const lows = result.runs.map((r) => Math.min(...r.smoothedLosses)).sort((a, b) => a - b);
    expect(result.targetRule).toBe("median");
    expect(result.target).toBeGreaterThanOrEqual(lows[1]!);
    expect(result.target).toBeLessThan(lows[1]! * 1.1);
    expect(result.runs.filter((r) => r.summary.stepsToTarget !== null).length).toBeGreaterThanOrEqual(2);
  });

  it("stops a diverging run and keeps going with the others", async () => {
    const result = await compareOptimizers({
      engine: await createEngine({ backend: "simd" }),
      data: tinyData(),
      model: "mlp:8",
      optimizers: [parseOptimizerSpec("sgd:lr=1e4"), parseOptimizerSpec("adam:lr=0.01")],
      epochs: 3,
      batchSize: 16,
    });
    const [bad, good] = result.runs;
    expect(bad!.summary.diverged).toBe(true);
    expect(bad!.summary.divergedAt).toBeLessThan(18);
    expect(bad!.history.steps).toBe(bad!.summary.divergedAt);
    expect(good!.summary.diverged).toBe(false);
    expect(good!.history.steps).toBe(18);
  });

  it("applies a schedule to every run and records the lr of each step", async () => {
    const result = await run(0, { schedule: "step:stepSize=1,gamma=0.5" });
    const lrs = Array.from(result.runs[0]!.stepLrs);
    expect(lrs.slice(0, 6).every((v) => v === 0.1)).toBe(true);
    expect(lrs.slice(6, 12).every((v) => v === 0.05)).toBe(true);
    expect(lrs.slice(12).every((v) => v === 0.025)).toBe(true);
    const adam = Array.from(result.runs[2]!.stepLrs);
    expect(adam[17]).toBe(0.0025);
    // A per-batch schedule: OneCycleLR rises from maxLr / 25 (maxLr defaults to the optimizer's lr) to maxLr by
    // cosine annealing over steps 0 … 0.3 · 18 − 1 (torch's pctStart), then falls.
    const cycle = Array.from((await run(0, { schedule: "onecycle" })).runs[0]!.stepLrs);
    for (let t = 0; t <= 4; t++) expect(cycle[t]).toBeCloseTo(0.1 + ((0.004 - 0.1) / 2) * (Math.cos((Math.PI * t) / 4.4) + 1), 12);
    expect(cycle[17]).toBeLessThan(cycle[5]!);
  });

  it("rejects what cannot be compared", async () => {
    const base = { data: tinyData(), model: "mlp:8", epochs: 1, batchSize: 16 } as const;
    await expect(compareOptimizers({ ...base, optimizers: [] })).rejects.toThrow(/optimizers is empty/);
    const sgd = parseOptimizerSpec("sgd");
    await expect(compareOptimizers({ ...base, optimizers: [sgd, sgd] })).rejects.toThrow(/two optimizers are named 'SGD'/);
    await expect(compareOptimizers({ ...base, optimizers: [sgd], model: "mlp:8,frobnicate" })).rejects.toThrow(/unknown option 'frobnicate'/);
  });
});

describe("compareReport", () => {
  it("writes a report file with one chart per metric, the summary table and each optimizer's explanation", async () => {
    const result = await run();
    const dir = join(mkdtempSync(join(tmpdir(), "lab-compare-")), "report");
    await writeReport(dir, await compareReport(result, { dataDescription: "three blobs" }));
    expect(existsSync(join(dir, "report.html"))).toBe(true);
    const html = readFileSync(join(dir, "report.html"), "utf8");
    const charts = ["Training loss per step", "Training loss against wall time", "Test loss per epoch", "Test accuracy per epoch"];
    expect(html.match(/<svg/g)).toHaveLength(charts.length);
    for (const title of charts) expect(html.split(`>${title}</text>`).length - 1, title).toBe(1);
    for (const r of result.runs) expect(html).toContain(`<h3>${r.name}</h3>`);
    expect(html).toContain("SGD with momentum"); // the explanation picked from the options, not just the class
    expect(html).toContain("θ ← θ − γ g");
    expect(html).toContain("<th>steps to ");
    // A schedule adds the learning-rate chart.
    const scheduled = await compareReport(await run(0, { schedule: "cosine" }));
    expect(scheduled.match(/<svg/g)).toHaveLength(charts.length + 1);
    expect(scheduled).toContain("Learning rate per step");
  });
});
