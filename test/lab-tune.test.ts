// compare --tune lr: each run's own learning-rate search on a validation split, then the comparison at that rate.
import { describe, expect, it } from "vitest";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { compareOptimizers } from "../src/lab/compare.js";
import { compareReport } from "../src/lab/html/compare-report.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";

describe("tune: 'lr'", () => {
  it("searches past the edge for each run, uses the chosen rate, and the report says how it was chosen", async () => {
    const [train, test] = makeBlobs({ samples: 160, centers: 3, features: 4, std: 1.5, box: [-3, 3], seed: 5 }).split(0.75, 0);
    const result = await compareOptimizers({
      engine: await createEngine({ backend: "simd" }), data: { train: train!, test: test! }, model: "mlp:8", epochs: 4, batchSize: 16, warmup: false, tune: "lr",
      optimizers: [parseOptimizerSpec("sgd:lr=1e-4", "SGD"), parseOptimizerSpec("adam:lr=1e-3", "Adam")],
    });
    const [sgd, adam] = result.tuning!;
    // SGD at 1e-4 barely moves: the ladder 1e-5 … 1e-3 must be extended upwards, until the loss turns up.
    expect(sgd!.initialLr).toBe(1e-4);
    expect(sgd!.search.extended.above).toBeGreaterThan(0);
    expect(sgd!.search.bracketed).toBe(true);
    expect(sgd!.lr).toBeGreaterThan(1e-3);
    const best = sgd!.search.points[sgd!.search.best]!;
    expect(best.lr).toBe(sgd!.lr);
    for (const p of sgd!.search.points) if (!p.diverged) expect(p.loss).toBeGreaterThanOrEqual(best.loss);
    // Fitted on 80 % of the training set, scored on the rest; the comparison itself trains on all of it.
    expect(sgd!.trainSamples + sgd!.validationSamples).toBe(train!.length);
    expect(result.runs[0]!.stepLrs[0]).toBe(sgd!.lr);
    expect(result.runs[1]!.stepLrs[0]).toBe(adam!.lr);
    expect(sgd!.how).toMatch(/^lr [\d.e-]+, the best of \d+ rates from .* scored by the validation loss after 1 epoch on a split of 96 \/ 24 training samples$/);
    const html = await compareReport(result);
    expect(html).toContain("How each learning rate was chosen");
    expect(html).toContain(`SGD used ${sgd!.how.replace(/'/g, "&#39;")}`);
  });
});
