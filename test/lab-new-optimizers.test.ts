// The optimizers of 2024-2026 in the lab: compare and advise run each from its spec string (advise's lr-finder
// steps the optimizer itself, so the schedule-free ones must come out of their spec in train mode), the landscape
// runs the ones that make sense on a point, and the report explains each.
import { describe, expect, it } from "vitest";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { advise } from "../src/lab/advise.js";
import { compareOptimizers } from "../src/lab/compare.js";
import { runLandscape } from "../src/lab/landscape.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";
import { explainOptimizer } from "../src/report/explain.js";

const SPECS = ["adafactor:lr=0.05", "sgd_sf:lr=0.5", "adamw_sf:lr=0.01", "muon:lr=0.02"];

function tinyData() {
  const [train, test] = makeBlobs({ samples: 120, centers: 3, features: 4, std: 1, box: [-3, 3], seed: 3 }).split(0.75, 0);
  return { train: train!, test: test! };
}

describe("the optimizers of 2024-2026 in the lab", () => {
  it("compare trains each from its spec and explains it", async () => {
    const result = await compareOptimizers({
      engine: await createEngine({ backend: "simd" }), data: tinyData(), model: "mlp:8",
      optimizers: SPECS.map((s) => parseOptimizerSpec(s)), epochs: 4, batchSize: 16, seed: 0,
    });
    for (const run of result.runs) {
      expect(run.summary.diverged, run.name).toBe(false);
      expect(run.history.last!.valAccuracy, run.name).toBeGreaterThan(0.5);
    }
    for (const s of SPECS) expect(explainOptimizer(parseOptimizerSpec(s).name), s).toBeDefined();
  });

  it("advise sweeps their learning rates", async () => {
    const result = await advise({
      engine: await createEngine({ backend: "simd" }), data: tinyData(), model: "mlp:8",
      optimizers: ["sgd_sf", "adamw_sf"].map((s) => parseOptimizerSpec(s)), lrGrid: [0.01, 0.1], epochs: 2, batchSize: 16,
    });
    expect(result.optimizers).toHaveLength(2);
  });

  it("the landscape runs Adafactor and the schedule-free ones (the path of y, where their gradients are taken)", async () => {
    const engine = await createEngine({ backend: "js" });
    const specs = ["adafactor:lr=0.1", "sgd_sf:lr=0.05", "adamw_sf:lr=0.1"].map((s) => parseOptimizerSpec(s));
    const result = runLandscape({ fn: "himmelblau", optimizers: specs, steps: 300, tolerance: 0.05, engine });
    for (const r of result.runs) expect(r.status, r.name).not.toBe("diverged");
    for (const r of result.runs) expect(r.final.distance, r.name).toBeLessThan(1);
  });
});

describe("Lookahead and SAM from a spec: wrappers of any optimizer", () => {
  const WRAPPED = ["lookahead:base=adam,lr=0.01,k=5,alpha=0.5", "sam:base=sgd,lr=0.1,momentum=0.9,rho=0.05", "sam:base=adamw,lr=0.01,adaptive=true,rho=0.5"];

  it("compare trains each (fit hands SAM a closure that recomputes the gradient on the step's batch) and explains it", async () => {
    const specs = WRAPPED.map((s) => parseOptimizerSpec(s));
    let closures = 0;
    const counted = specs.map((s) => ({
      ...s,
      make: (p: Parameters<typeof s.make>[0]) => {
        const o = s.make(p);
        const step = o.step as (closure?: () => number) => unknown;
        if (step.length === 0) return o;
        return Object.assign(o, { step: (closure: () => number) => step.call(o, () => (closures++, closure())) });
      },
    }));
    const result = await compareOptimizers({ engine: await createEngine({ backend: "simd" }), data: tinyData(), model: "mlp:8", optimizers: counted, epochs: 4, batchSize: 16, seed: 0 });
    for (const run of result.runs) {
      expect(run.summary.diverged, run.name).toBe(false);
      expect(run.history.last!.valAccuracy, run.name).toBeGreaterThan(0.5);
    }
    expect(closures).toBe(2 * 4 * Math.ceil(90 / 16)); // two SAM runs, one closure call per step
    for (const s of specs) expect(explainOptimizer(s.name), s.name).toBeDefined();
  });

  it("the landscape runs them", async () => {
    const result = runLandscape({ engine: await createEngine({ backend: "js" }), fn: "himmelblau", optimizers: ["lookahead:base=sgd,lr=0.01", "sam:base=sgd,lr=0.01,rho=0.01"].map((s) => parseOptimizerSpec(s)), steps: 500, tolerance: 0.05 });
    for (const r of result.runs) expect(r.final.distance, r.name).toBeLessThan(0.1);
  });

  it("names a bad base or an option the base lacks", async () => {
    const engine = await createEngine({ backend: "js" });
    const { checkOptimizerSpec } = await import("../src/lab/spec-optimizers.js");
    expect(() => checkOptimizerSpec(parseOptimizerSpec("sam:base=lbfgs"), engine)).toThrow(/base must name an optimizer that steps without a closure .*got lbfgs/);
    expect(() => checkOptimizerSpec(parseOptimizerSpec("lookahead:base=adam,momentum=0.9"), engine)).toThrow("Adam (the base) has no option momentum");
    expect(() => parseOptimizerSpec("sam:rh=0.1")).toThrow(/rh/);
  });
});
