// The vanishing-gradient experiment, small: what its theory says must show in the seeded measurement.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { createEngine } from "../src/engine/engine.js";
import { vanishingGradients, vanishingToJson } from "../src/lab/gradients-vanishing.js";
import { describeVanishing, vanishingReport } from "../src/lab/html/gradients-vanishing-report.js";

const { train, test } = loadDigits();
const data = { train: train.subset(Array.from({ length: 256 }, (_, i) => i)), test: test.subset(Array.from({ length: 64 }, (_, i) => i)) };

describe("vanishingGradients", () => {
  it("at depth 15, sigmoid with the default init loses more than 3 orders of magnitude from the last layer to the first; ReLU with Kaiming and BatchNorm do not", async () => {
    const engine = await createEngine({ backend: "simd" });
    const result = await vanishingGradients({ engine, data, depth: 15, width: 32, epochs: 1, activations: ["sigmoid", "relu"], seed: 1 });
    expect(result.runs.map((r) => r.name)).toEqual([
      "sigmoid, default init", "sigmoid, default init, BatchNorm", "sigmoid, Xavier init", "sigmoid, Xavier init, BatchNorm",
      "ReLU, default init", "ReLU, default init, BatchNorm", "ReLU, Kaiming init", "ReLU, Kaiming init, BatchNorm",
    ]);
    const run = (name: string) => result.runs.find((r) => r.name === name)!;
    for (const r of result.runs) {
      expect(r.atStart.length).toBe(15);
      expect(r.ratioAtStart).toBe(r.atStart[0]! / r.atStart[14]!);
    }
    expect(run("sigmoid, default init").ratioAtStart).toBeLessThan(1e-3);
    expect(run("sigmoid, Xavier init").ratioAtStart).toBeLessThan(1e-3); // σ' ≤ 1/4 whatever the scale
    expect(run("ReLU, default init").ratioAtStart).toBeLessThan(1e-2);
    expect(run("ReLU, Kaiming init").ratioAtStart).toBeGreaterThan(1e-1);
    expect(run("ReLU, Kaiming init").ratioAtStart).toBeLessThan(10);
    for (const r of result.runs.filter((r) => r.batchNorm)) expect(r.ratioAtStart).toBeGreaterThan(1e-2);
    // The gradient of the first layer, not of the data: the first layer's norm is tiny, not zero.
    expect(run("sigmoid, default init").atStart[0]).toBeGreaterThan(0);

    const text = describeVanishing(result).join("\n");
    expect(text).toMatch(/vanished .* in 3 of 8 configurations: sigmoid, default init \(\d+\.\d orders of magnitude\)/);
    expect(text).toMatch(/Kaiming initialization with ReLU recovered \d+\.\d orders of magnitude over the default and keeps/);
    expect(text).toMatch(/Xavier initialization with sigmoid .* but the gradient still vanishes/);
    const html = await vanishingReport(result);
    for (const heading of ["What happened", "Gradient norm by layer, at the first step", "During training", "Training loss", "Why", "Setup"]) expect(html).toContain(`<h2>${heading}</h2>`);
    expect((html.match(/<svg/g) ?? []).length).toBe(6);
    expect(JSON.stringify(vanishingToJson(result))).toContain('"ratioAtStart"');
  }, 60_000);

  it("refuses bad options before any work", async () => {
    await expect(vanishingGradients({ depth: 1 })).rejects.toThrow(/depth must be an integer >= 2/);
    await expect(vanishingGradients({ activations: ["swish" as "relu"] })).rejects.toThrow(/unknown activation 'swish'/);
    await expect(vanishingGradients({ dept: 3 } as object)).rejects.toThrow(/dept/);
  });
});
