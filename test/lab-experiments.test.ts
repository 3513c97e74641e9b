// Every ready-made experiment, small, asserting what its theory says; and its report renders.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { batchLrExperiment } from "../src/lab/experiments/batch-lr.js";
import { batchModesExperiment } from "../src/lab/experiments/batch-modes.js";
import { generalizationExperiment } from "../src/lab/experiments/generalization.js";
import { learningRateExperiment } from "../src/lab/experiments/learning-rate.js";
import { momentumExperiment } from "../src/lab/experiments/momentum.js";
import { EXPERIMENTS, findExperiment } from "../src/lab/experiments/registry.js";

const small = async () => ({ engine: await createEngine({ backend: "simd" }), size: "small" as const });

async function rendersReport(r: { report: () => Promise<string>; findings: string[] }): Promise<string> {
  const html = await r.report();
  expect(html).toContain("The question");
  expect(html).toContain("What theory expects");
  for (const f of r.findings) expect(html).toContain(f.replace(/&/g, "&amp;").replace(/'/g, "&#39;").slice(0, 40));
  return html;
}

describe("experiments", () => {
  it("are listed once each, by name", () => {
    expect(EXPERIMENTS.map((e) => e.name)).toEqual([
      "batch-modes", "learning-rate", "batch-lr", "generalization", "momentum", "vanishing-gradients", "exploding-gradients", "recurrent-optimizers", "newton",
    ]);
    expect(findExperiment("momentum")!.run).toBe(momentumExperiment);
  });

  it("batch-modes: at one epoch's compute, stochastic GD reaches a lower training loss than full-batch GD on the digits", async () => {
    const r = await batchModesExperiment(await small());
    const [full, mini, sgd] = r.comparison.runs;
    expect([full!.history.steps, mini!.history.steps, sgd!.history.steps]).toEqual([1, 45, 1438]);
    expect(sgd!.summary.finalLoss).toBeLessThan(mini!.summary.finalLoss);
    expect(mini!.summary.finalLoss).toBeLessThan(full!.summary.finalLoss);
    // Noisier with smaller batches.
    expect(sgd!.summary.instability).toBeGreaterThan(mini!.summary.instability);
    expect(r.findings[0]).toContain("stochastic got furthest for the same work, as expected");
    await rendersReport(r);
  });

  it("learning-rate: the ladder goes from too small through good to divergent, and the divergent rate is reported as divergent", async () => {
    const r = await learningRateExperiment(await small());
    expect(r.outcomes.map((o) => o.verdict)).toEqual(["too small", "too small", "good", "too large", "diverged"]);
    expect(r.outcomes[4]!.divergedAt).not.toBeNull();
    expect(r.comparison.runs.map((x) => x.name)).toEqual(["lr 1e-3 (too small)", "lr 0.03 (too small)", "lr 0.3 (good)", "lr 3 (too large)", "lr 30 (diverged)"]);
    const html = await rendersReport(r);
    expect(html).toContain("lr 30 (diverged)");
  });

  it("batch-lr: the best rate grows with the batch size (the linear scaling rule's direction)", async () => {
    const r = await batchLrExperiment(await small());
    const { lrs, best, loss } = r.grid;
    expect(loss).toHaveLength(2);
    expect(lrs[best[1]!]!).toBeGreaterThan(lrs[best[0]!]!);
    const html = await rendersReport(r);
    expect(html).toContain("Final training loss");
  });

  it("generalization: the adaptive methods fit the training set as well as SGD+momentum and do worse on the test set (Wilson et al.)", async () => {
    const r = await generalizationExperiment(await small());
    const byName = Object.fromEntries(r.comparison.runs.map((x) => [x.name, x.summary]));
    const sgd = byName["SGD+momentum"]!;
    expect(sgd.finalAccuracy).toBe(1);
    for (const name of ["Adam", "RMSprop", "Adagrad", "Adam+L2 (coupled)", "AdamW (decoupled)"]) {
      expect(byName[name]!.finalAccuracy, name).toBe(1);
      expect(byName[name]!.finalTestAccuracy, name).toBeLessThan(sgd.finalTestAccuracy - 0.2);
      expect(byName[name]!.gap, name).toBeGreaterThan(sgd.gap);
    }
    await rendersReport(r);
  });

  it("momentum: on the ravine, momentum 0.9 and Nesterov reach the minimum far sooner than plain SGD", async () => {
    const r = await momentumExperiment(await small());
    const at = Object.fromEntries(r.ravine.runs.map((x) => [x.name, x.reachedAt ?? Infinity]));
    expect(at["momentum 0.9"]!).toBeLessThan(at["momentum 0.5"]!);
    expect(at["momentum 0.5"]!).toBeLessThan(at["momentum 0"]!);
    expect(at["Nesterov 0.9"]!).toBeLessThanOrEqual(at["momentum 0.9"]!);
    // Too much momentum overshoots: 0.99 takes longer than 0.9.
    expect(at["momentum 0.99"]!).toBeGreaterThan(at["momentum 0.9"]!);
    const html = await rendersReport(r);
    expect(html).toContain("On the ravine");
  });
});

describe("the gradient and second-order experiments in the list", () => {
  it.each(["vanishing-gradients", "exploding-gradients", "recurrent-optimizers", "newton"])("%s runs small, with findings and a report", async (name) => {
    const engine = await createEngine({ backend: "simd" });
    const r = await findExperiment(name)!.run({ engine, size: "small" });
    expect(r.findings.length).toBeGreaterThan(0);
    const html = await r.report({ command: `wasm-optim experiment ${name}` });
    expect(html).toContain("<svg");
    expect(JSON.stringify(r.json()).length).toBeGreaterThan(100);
    await expect(findExperiment(name)!.run({ engine, size: "small", seeds: 2 })).rejects.toThrow(`experiment ${name}: runs one seed`);
  });
});
