// The recurrent-optimizers experiment, small: every optimizer runs on both tasks from the same weights, with and
// without clipping, and the claims' verdicts follow from the numbers (not written in advance).
import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { recurrentOptimizers } from "../src/lab/gradients-recurrent.js";
import { describeClaims, recurrentOptimizersReport } from "../src/lab/html/gradients-recurrent-report.js";
import { SGD } from "../src/optim/sgd.js";
import { Adam } from "../src/optim/adam.js";

describe("recurrentOptimizers", () => {
  it("compares the line-up on an LSTM and an RNN task, and judges the claims from the results", async () => {
    const engine = await createEngine({ backend: "simd" });
    const result = await recurrentOptimizers({ engine, lstmLength: 8, rnnLength: 6, samples: 96, hidden: 8, epochs: 1, batchSize: 32, seed: 3 });
    expect(result.tasks.map((t) => t.name)).toEqual(["LSTM on the adding problem (T = 8)", "RNN on the adding problem (T = 6)"]);
    for (const t of result.tasks) {
      expect(t.withoutClipping.runs.map((r) => r.name)).toEqual(["SGD", "SGD+momentum", "RMSprop", "Adam", "AdamW"]);
      expect(t.withClipping.runs).toHaveLength(5);
      // The same initial weights: the first step's loss is the same for every optimizer.
      const first = t.withoutClipping.runs.map((r) => r.stepLosses[0]);
      expect(new Set(first).size).toBe(1);
    }
    const [adaptive, clipping] = result.claims;
    expect(adaptive!.verdicts).toHaveLength(2);
    expect(clipping!.verdicts).toHaveLength(2);
    // The verdict is what the numbers say.
    for (const [i, t] of result.tasks.entries()) {
      const loss = (name: string) => t.withoutClipping.runs.find((r) => r.name === name)!.summary.finalTestLoss;
      const bestAdaptive = Math.min(loss("RMSprop"), loss("Adam"), loss("AdamW"));
      const bestSgd = Math.min(loss("SGD"), loss("SGD+momentum"));
      expect(adaptive!.verdicts[i]!.supported).toBe(bestAdaptive < 0.95 * bestSgd);
    }
    expect(describeClaims(result).join("\n")).toMatch(/^"RMSprop and Adam suit recurrent networks better than SGD": (supported|not supported|supported on 1 of 2)/);
    const html = await recurrentOptimizersReport(result);
    expect(html).toContain("<h2>The claims, measured</h2>");
    expect((html.match(/<svg/g) ?? []).length).toBe(4);
  }, 60_000);

  it("a run that diverges only without clipping makes the clipping claim hold", async () => {
    const engine = await createEngine({ backend: "simd" });
    const result = await recurrentOptimizers({
      engine, lstmLength: 6, rnnLength: 6, samples: 64, hidden: 8, epochs: 2, seed: 1, clip: 0.1,
      optimizers: [{ name: "SGD", make: (p) => new SGD(p, { lr: 50 }) }, { name: "Adam", make: (p) => new Adam(p, { lr: 1e-3 }) }],
    });
    for (const [i, t] of result.tasks.entries()) {
      const plain = t.withoutClipping.runs[0]!.summary, clipped = t.withClipping.runs[0]!.summary;
      if (plain.diverged && !clipped.diverged) expect(result.claims[1]!.verdicts[i]!.supported).toBe(true);
      expect(plain.diverged).toBe(true); // lr 50 without clipping
    }
  }, 60_000);
});
