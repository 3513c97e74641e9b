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
