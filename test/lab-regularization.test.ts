import { describe, expect, it } from "vitest";
import { createEngine } from "../src/index.js";
import { loadDigits } from "../src/data/builtin/digits.js";
import { runRegularization } from "../src/lab/regularization.js";
import { regularizationReport } from "../src/lab/html/regularization-report.js";

describe("runRegularization", () => {
  it("only proximal L1 leaves exact zeros; L1 by gradient leaves tiny weights; L2 shrinks the norm; the report says so", async () => {
    const { train, test } = loadDigits();
    const engine = await createEngine({ backend: "js" });
    const result = await runRegularization({ engine, data: { train, test }, model: "mlp:32", epochs: 4, batchSize: 32, l1: 3e-3, l2: 1e-2 });
    const by = Object.fromEntries(result.runs.map((r) => [r.name, r]));
    expect(result.runs.map((r) => r.name)).toEqual(["none", "L1", "L2", "elastic net", "proximal L1", "Adam + L2", "AdamW"]);
    expect(by["proximal L1"]!.zeros).toBeGreaterThan(0.05);
    for (const name of ["none", "L1", "L2", "AdamW"]) expect(by[name]!.zeros).toBe(0);
    expect(by["L1"]!.nearZero).toBeGreaterThan(by["none"]!.nearZero + 0.05);
    expect(by["L2"]!.l2Norm).toBeLessThan(by["none"]!.l2Norm);
    for (const r of result.runs) {
      expect(r.histogram.reduce((a, b) => a + b, 0)).toBe(r.weights - Math.round(r.zeros * r.weights));
      expect(r.testAccuracy).toBeGreaterThan(0.5);
    }
    const html = await regularizationReport(result, { dataDescription: "digits" });
    expect(html).toContain("proximal L1 left");
    expect(html).toContain("AdamW (Loshchilov &amp; Hutter) decouples it");
    expect(html.match(/<svg/g)!.length).toBe(7);
    await expect(runRegularization({ engine, data: { train }, model: "mlp:8", epochs: 1, batchSize: 32, bins: 2 })).rejects.toThrow("Invalid bins: 2");
  });
});
