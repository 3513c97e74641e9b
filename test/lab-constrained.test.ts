import { describe, expect, it } from "vitest";
import { CONSTRAINED_PROBLEMS, constrainedProblem, kktPoint, runConstrained } from "../src/lab/constrained.js";

describe("constrained optimization on 2-D problems", () => {
  it("the line problem's KKT point is the closed form (0.4, 0.6), μ = 16/5", () => {
    // 2(x − 2) + μ = 0, 8(y − 1) + μ = 0, x + y = 1  ⇒  μ = 16/5, x = 2 − μ/2, y = 1 − μ/8
    const kkt = kktPoint(CONSTRAINED_PROBLEMS.line);
    expect(kkt.x).toBeCloseTo(0.4, 14);
    expect(kkt.y).toBeCloseTo(0.6, 14);
    expect(kkt.multiplier).toBeCloseTo(3.2, 13);
  });

  it("the disc problem's KKT point satisfies the KKT conditions with an active constraint (μ > 0)", () => {
    const p = CONSTRAINED_PROBLEMS.disc;
    const { x, y, multiplier } = kktPoint(p);
    expect(Math.hypot(x, y)).toBeCloseTo(1, 12);
    expect(multiplier).toBeGreaterThan(0);
    const [gx, gy] = p.objective.gradient(x, y);
    expect(Math.abs(gx + multiplier * 2 * x)).toBeLessThan(1e-9);
    expect(Math.abs(gy + multiplier * 2 * y)).toBeLessThan(1e-9);
    // The classic answer (MATLAB's fmincon example): (0.7864, 0.6177).
    expect(x).toBeCloseTo(0.7864, 4);
    expect(y).toBeCloseTo(0.6177, 4);
  });

  it.each(["line", "disc"] as const)("%s: every method reaches the KKT point and its multiplier", (name) => {
    const result = runConstrained({ problem: name, steps: name === "line" ? 300 : 20000 });
    const [pgd, penalty, al] = result.runs;
    const mu = result.kkt.multiplier;
    // Projected gradient: feasible at every step, at the KKT point up to the step's linear convergence.
    expect(pgd!.final.distance).toBeLessThan(1e-6);
    expect(Math.abs(pgd!.final.multiplier - mu)).toBeLessThan(1e-5 * (1 + mu));
    expect(pgd!.final.violation).toBeLessThan(1e-12);
    // Penalty: off by O(1/ρ) with ρ = 1e9 at the end, ρ c → μ.
    expect(penalty!.rhos.at(-1)).toBe(1e9);
    expect(penalty!.final.distance).toBeLessThan(1e-7);
    expect(Math.abs(penalty!.final.multiplier - mu)).toBeLessThan(1e-5 * (1 + mu));
    expect(penalty!.final.violation).toBeGreaterThan(0);
    // Augmented Lagrangian: ρ fixed at 10, exact to rounding.
    expect(al!.rhos.every((r) => r === 10)).toBe(true);
    expect(al!.final.distance).toBeLessThan(1e-8);
    expect(Math.abs(al!.final.multiplier - mu)).toBeLessThan(1e-7 * (1 + mu));
    // And the multiplier errors shrink from outer iteration to outer iteration.
    const errors = al!.multipliers.map((m) => Math.abs(m - mu));
    expect(errors[3]!).toBeLessThan(errors[0]!);
  });

  it("bad options are refused", () => {
    expect(() => constrainedProblem("square")).toThrow("Unknown constrained problem 'square' (known: line, disc)");
    expect(() => runConstrained({ problem: "line", rho: 0 })).toThrow("Invalid rho: 0");
    expect(() => runConstrained({ problem: "line", stepz: 1 } as never)).toThrow("stepz");
  });
});
