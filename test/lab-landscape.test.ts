import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Adam, createEngine, LBFGS, SGD, type Engine, type Parameter } from "../src/index.js";
import { distanceToMinimum, runLandscape, type LandscapeRun } from "../src/lab/landscape.js";
import { LANDSCAPES, landscape, ravine, rosenbrock, saddle } from "../src/lab/landscapes.js";

const engine: Promise<Engine> = createEngine({ backend: "simd" });

function ys(run: LandscapeRun): number[] {
  return Array.from({ length: run.path.length / 2 }, (_, k) => run.path[2 * k + 1]!);
}

describe("landscapes", () => {
  const names = Object.keys(LANDSCAPES);

  it.each(names)("%s: the gradient matches central finite differences", (name) => {
    const fn = landscape(name);
    const { x: [x0, x1], y: [y0, y1] } = fn.domain;
    fc.assert(
      fc.property(fc.double({ min: x0, max: x1, noNaN: true }), fc.double({ min: y0, max: y1, noNaN: true }), (x, y) => {
        const [gx, gy] = fn.gradient(x, y);
        const h = 1e-6;
        const dx = (fn.f(x + h, y) - fn.f(x - h, y)) / (2 * h);
        const dy = (fn.f(x, y + h) - fn.f(x, y - h)) / (2 * h);
        const scale = 1 + Math.abs(fn.f(x, y));
        expect(Math.abs(gx - dx)).toBeLessThan(1e-6 * scale);
        expect(Math.abs(gy - dy)).toBeLessThan(1e-6 * scale);
      }),
      { numRuns: 200 },
    );
  });

  it.each(names.filter((n) => n !== "saddle"))("%s: the minima are stationary, the lowest points of a grid over the domain", (name) => {
    const fn = landscape(name);
    const fmin = Math.min(...fn.minima.map(([x, y]) => fn.f(x, y)));
    for (const [x, y] of fn.minima) {
      const [gx, gy] = fn.gradient(x, y);
      expect(Math.hypot(gx, gy)).toBeLessThan(1e-9);
      expect(fn.f(x, y)).toBeCloseTo(fmin, 9);
    }
    const { x: [x0, x1], y: [y0, y1] } = fn.domain;
    for (let i = 0; i <= 100; i++) for (let j = 0; j <= 100; j++) {
      expect(fn.f(x0 + ((x1 - x0) * i) / 100, y0 + ((y1 - y0) * j) / 100)).toBeGreaterThanOrEqual(fmin - 1e-9);
    }
  });

  it("every start lies in its domain; an unknown name is refused with the known ones", () => {
    for (const fn of Object.values(LANDSCAPES)) {
      expect(fn.start[0]).toBeGreaterThanOrEqual(fn.domain.x[0]);
      expect(fn.start[0]).toBeLessThanOrEqual(fn.domain.x[1]);
      expect(fn.start[1]).toBeGreaterThanOrEqual(fn.domain.y[0]);
      expect(fn.start[1]).toBeLessThanOrEqual(fn.domain.y[1]);
    }
    expect(() => landscape("booth")).toThrow("Unknown landscape 'booth' (known: rosenbrock, beale, himmelblau, saddle, ravine, rastrigin)");
  });
});

describe("runLandscape", () => {
  it("ravine: momentum and Adam reach the tolerance in fewer steps than plain SGD at the same lr; SGD as predicted", async () => {
    const lr = 0.01;
    const tolerance = 1e-2;
    const result = runLandscape({
      fn: "ravine", engine: await engine, steps: 10000, tolerance, optimizers: [
        { name: "SGD", make: (p) => new SGD(p, { lr }) },
        { name: "SGD momentum 0.9", make: (p) => new SGD(p, { lr, momentum: 0.9 }) },
        { name: "Adam", make: (p) => new Adam(p, { lr }) },
      ],
    });
    const [sgd, momentum, adam] = result.runs;
    for (const run of result.runs) expect(run.status, run.name).toBe("converged");
    expect(momentum!.reachedAt!).toBeLessThan(sgd!.reachedAt!);
    expect(adam!.reachedAt!).toBeLessThan(sgd!.reachedAt!);
    // Plain gradient descent on a quadratic: x_t = x_0 (1 − 0.1 lr)^t, y_t = y_0 (1 − 10 lr)^t.
    const [x0, y0] = ravine.start;
    let predicted = 0;
    while (Math.hypot(x0 * (1 - 0.1 * lr) ** predicted, y0 * (1 - 10 * lr) ** predicted) > tolerance) predicted++;
    expect(Math.abs(sgd!.reachedAt! - predicted)).toBeLessThanOrEqual(2);
    // The path holds the start and one point per step, and the reported final point is the last one.
    expect(sgd!.path.length).toBe(2 * (10000 + 1));
    expect([sgd!.path[0], sgd!.path[1]]).toEqual([Math.fround(x0), Math.fround(y0)]);
    expect(sgd!.final.distance).toBe(distanceToMinimum(ravine, sgd!.path.at(-2)!, sgd!.path.at(-1)!));
  });

  it("saddle: gradient descent on the ridge stays on it; noise, or momentum with a tiny perturbation, escapes", async () => {
    const common = { fn: saddle, engine: await engine, steps: 2000, tolerance: 1e-3 };
    const sgd = { name: "SGD", make: (p: Parameter[]) => new SGD(p, { lr: 0.01 }) };
    const momentum = { name: "momentum", make: (p: Parameter[]) => new SGD(p, { lr: 0.01, momentum: 0.9 }) };

    const [onRidge] = runLandscape({ ...common, optimizers: [sgd] }).runs;
    expect(ys(onRidge!).every((y) => y === 0)).toBe(true);
    expect(onRidge!.status).toBe("not-converged"); // the saddle has no minimum to converge to
    expect(onRidge!.stepsTaken).toBe(2000);
    expect(Math.abs(onRidge!.final.x)).toBeLessThan(1e-6); // it slid down the ridge into the saddle point

    const [noisy] = runLandscape({ ...common, noise: 0.1, seed: 7, optimizers: [sgd] }).runs;
    expect(noisy!.status).toBe("diverged");
    expect(Math.max(...ys(noisy!).map(Math.abs))).toBeGreaterThan(20);

    const nudged = runLandscape({ ...common, start: [1.5, 1e-6], optimizers: [sgd, momentum] }).runs;
    for (const run of nudged) expect(Math.max(...ys(run).map(Math.abs)), run.name).toBeGreaterThan(20);
    // |y| grows by (1 + 2 lr) per step under gradient descent, faster under momentum (the larger root of
    // z² − (1 + μ + 2 lr) z + μ = 0): leaving |y| ≤ 20 takes ⌈ln(2e7) / ln 1.02⌉ = 849 steps for plain GD.
    expect(nudged[0]!.divergedAt).toBe(849);
    expect(nudged[1]!.divergedAt!).toBeLessThan(nudged[0]!.divergedAt! / 3);
  });

  it("the same seed gives the same noisy path; another seed another", async () => {
    const e = await engine;
    const run = (seed: number) => runLandscape({
      fn: "himmelblau", engine: e, steps: 50, tolerance: 1e-3, noise: 1, seed,
      optimizers: [{ name: "SGD", make: (p) => new SGD(p, { lr: 0.005 }) }],
    }).runs[0]!.path;
    expect(run(1)).toEqual(run(1));
    expect(run(1)).not.toEqual(run(2));
  });

  it("rosenbrock: Adam converges near (1, 1); so does LBFGS with a strong-Wolfe line search, through step(closure)", async () => {
    const result = runLandscape({
      fn: rosenbrock, engine: await engine, steps: 5000, tolerance: 1e-2, optimizers: [
        { name: "Adam", make: (p) => new Adam(p, { lr: 0.01 }) },
        { name: "LBFGS", make: (p) => new LBFGS(p, { lineSearchFn: "strong_wolfe" }) },
      ],
    });
    for (const run of result.runs) {
      expect(run.status, run.name).toBe("converged");
      expect(Math.hypot(run.final.x - 1, run.final.y - 1), run.name).toBeLessThan(1e-2);
      expect(run.final.value).toBeLessThan(1e-4);
    }
    expect(result.runs[1]!.reachedAt!).toBeLessThan(20);
  });

  it("detects divergence: leaving the box, or a non-finite value with an unbounded box", async () => {
    const tooLarge = { name: "SGD lr 0.3", make: (p: Parameter[]) => new SGD(p, { lr: 0.3 }) }; // 1 − 10·0.3 = −2: |y| doubles
    const [boxed] = runLandscape({ fn: "ravine", engine: await engine, steps: 1000, tolerance: 1e-2, optimizers: [tooLarge] }).runs;
    expect(boxed!.status).toBe("diverged");
    expect(boxed!.divergedAt).toBe(6); // |y| = 0.8 · 2^t first exceeds the default bound 10 · 3 = 30 at t = 6
    expect(boxed!.reachedAt).toBeNull();
    const [unbounded] = runLandscape({
      fn: "ravine", engine: await engine, steps: 1000, tolerance: 1e-2, bound: Infinity, optimizers: [tooLarge],
    }).runs;
    expect(unbounded!.status).toBe("diverged");
    expect(unbounded!.path.every(Number.isFinite)).toBe(true);
    expect(unbounded!.stepsTaken).toBe(unbounded!.divergedAt! - 1);
    expect(unbounded!.path.length).toBe(2 * unbounded!.divergedAt!);
  });

  it("rejects bad options by name", async () => {
    const base = { fn: "ravine" as const, engine: await engine, steps: 10, tolerance: 1e-2, optimizers: [{ name: "SGD", make: (p: Parameter[]) => new SGD(p) }] };
    expect(() => runLandscape({ ...base, tolerance: 0 })).toThrow("Invalid tolerance: 0");
    expect(() => runLandscape({ ...base, steps: 1.5 })).toThrow("Invalid steps: 1.5");
    expect(() => runLandscape({ ...base, noise: -1 })).toThrow("Invalid noise: -1");
    expect(() => runLandscape({ ...base, start: [NaN, 0] })).toThrow("Invalid start[0]: NaN");
    expect(() => runLandscape({ ...base, optimizers: [] })).toThrow("optimizers is empty");
    expect(() => runLandscape({ ...base, fn: "nope" as "ravine" })).toThrow("Unknown landscape 'nope'");
  });
});
