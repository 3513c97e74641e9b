import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { createEngine } from "../src/index.js";
import { runNewtonComparison } from "../src/lab/newton.js";
import { newtonReport } from "../src/lab/html/newton-report.js";

describe("runNewtonComparison", () => {
  const { train } = loadDigits();
  const small = train.subset(Array.from({ length: 200 }, (_, i) => i));

  it("softmax regression: Newton converges in the fewest iterations, gradient descent in the most; the report says why and shows memory", async () => {
    const engine = await createEngine({ backend: "js" });
    const result = await runNewtonComparison({ engine, data: { train: small }, tolerance: 1e-7, maxIterations: 300 });
    const by = Object.fromEntries(result.runs.map((r) => [r.method, r]));
    expect(result.runs.map((r) => r.name)).toEqual(["gradient descent", "L-BFGS", "Newton", "Hessian-free"]);
    expect(by.newton!.converged).toBe(true);
    expect(by.newton!.values.length).toBeLessThan(by.lbfgs!.values.length);
    expect(by["gradient-descent"]!.values.length).toBeGreaterThan(by.lbfgs!.values.length);
    expect(by.newton!.memoryFloats).toBe(650 * 650);
    const html = await newtonReport(result, { dataDescription: "digits" });
    expect(html).toContain("n² = 422500 float64 values (3.2 MiB)");
    expect(html.match(/<svg/g)!.length).toBe(2);
  });

  it("a network: Newton is skipped, with the reason", async () => {
    const engine = await createEngine({ backend: "js" });
    const result = await runNewtonComparison({ engine, data: { train: small }, model: "mlp:8", tolerance: 1e-4, maxIterations: 30 });
    expect(result.skipped).toContain("not a single Linear layer");
    expect(result.runs.map((r) => r.method)).toEqual(["gradient-descent", "lbfgs", "hessian-free"]);
  });
});
