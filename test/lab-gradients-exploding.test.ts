// The exploding-gradient experiment, small: a large recurrent scale makes the gradient explode, and clipping bounds
// every step (plain SGD: ‖Δθ‖ ≤ lr · maxNorm), counting the steps it clipped.
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { explodingGradients, explodingToJson } from "../src/lab/gradients-exploding.js";
import { describeExploding, explodingReport } from "../src/lab/html/gradients-exploding-report.js";

describe("explodingGradients", () => {
  it("at scale 3 the gradient explodes; clipping bounds each update and counts the clipped steps", async () => {
    const engine = await createEngine({ backend: "simd" });
    const lr = 0.05;
    const result = await explodingGradients({ engine, length: 30, samples: 128, hidden: 16, epochs: 2, lr, scale: 3, clipNorm: 1, clipValue: 0.1, seed: 2 });
    const [reference, plain, byNorm, byValue] = result.runs;
    expect(result.runs.map((r) => r.name)).toEqual(["default scale, no clipping", "scale 3, no clipping", "scale 3, clipGradNorm 1", "scale 3, clipGradValue 0.1"]);
    expect(plain!.maxGradientNorm).toBeGreaterThan(100 * reference!.maxGradientNorm);
    expect(plain!.maxUpdateNorm).toBeGreaterThan(100 * lr);
    expect(reference!.clippedSteps).toBe(0);
    expect(plain!.clippedSteps).toBe(0);
    expect(byNorm!.clippedSteps).toBeGreaterThan(0);
    expect(byNorm!.clippedSteps).toBe(byNorm!.history.steps); // every gradient was above 1
    expect(byNorm!.maxGradientNorm).toBeGreaterThan(100);
    expect(byNorm!.maxUpdateNorm).toBeLessThanOrEqual(lr * 1 * (1 + 1e-5));
    expect(byNorm!.maxUpdateNorm).toBeGreaterThan(0.99 * lr);
    expect(byValue!.clippedSteps).toBeGreaterThan(0);
    expect(byValue!.maxUpdateNorm).toBeLessThanOrEqual(lr * 0.1 * Math.sqrt(result.parameters) * (1 + 1e-5));
    for (const r of [byNorm!, byValue!]) expect(r.diverged).toBe(false);
    // The per-step series line up with the history's steps.
    for (const r of result.runs) {
      expect(r.gradientNorms.length).toBe(r.history.steps);
      expect(r.updateNorms.length).toBe(r.history.steps);
    }
    const text = describeExploding(result).join("\n");
    expect(text).toMatch(/with the recurrent weights at scale 3 it reached .*orders of magnitude more/);
    expect(text).toMatch(new RegExp(`clipGradNorm changed ${byNorm!.clippedSteps} of ${byNorm!.history.steps} steps; the largest update was [\\d.]+, within its bound of 0\\.05`));
    const html = await explodingReport(result);
    expect((html.match(/<svg/g) ?? []).length).toBe(3);
    expect(JSON.stringify(explodingToJson(result))).toContain('"clippedSteps"');
  }, 60_000);

  it("refuses bad options before any work", async () => {
    await expect(explodingGradients({ scale: 0 })).rejects.toThrow(/scale must be a finite number > 0, got 0/);
    await expect(explodingGradients({ length: 1.5 })).rejects.toThrow(/length must be a positive integer/);
    await expect(explodingGradients({ clip: 1 } as object)).rejects.toThrow(/clip/);
  });
});
