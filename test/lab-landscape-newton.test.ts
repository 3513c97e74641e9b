import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, SGD, type Engine } from "../src/index.js";
import { runLandscape } from "../src/lab/landscape.js";
import { curvatureAt } from "../src/lab/landscape-curvature.js";
import { dampedNewton, eigen2, levenbergMarquardt, newton, parseHessianSpec } from "../src/lab/landscape-newton.js";
import { LANDSCAPES, landscape, type Landscape } from "../src/lab/landscapes.js";

const engine: Promise<Engine> = createEngine({ backend: "js" });

// Strongly convex (the Hessian is diag(eˣ, eʸ) + ½[[1, −1], [−1, 1]] ⪰ diag(eˣ, eʸ)), minimum at (0, 0), with a
// non-zero third derivative there, so Newton's convergence is quadratic and no faster.
const bowl: Landscape = {
  name: "ravine", title: "exp bowl", formula: "eˣ − x + eʸ − y + ¼(x − y)²",
  f: (x, y) => Math.exp(x) - x + Math.exp(y) - y + 0.25 * (x - y) ** 2,
  gradient: (x, y) => [Math.exp(x) - 1 + 0.5 * (x - y), Math.exp(y) - 1 - 0.5 * (x - y)],
  hessian: (x, y) => [Math.exp(x) + 0.5, -0.5, Math.exp(y) + 0.5],
  domain: { x: [-3, 3], y: [-3, 3] }, minima: [[0, 0]], start: [1.5, -1], levels: "log",
};

function errors(path: Float64Array, [mx, my]: readonly [number, number]): number[] {
  return Array.from({ length: path.length / 2 }, (_, k) => Math.hypot(path[2 * k]! - mx, path[2 * k + 1]! - my));
}

describe("analytic Hessians", () => {
  it.each(Object.keys(LANDSCAPES))("%s: the Hessian matches central differences of the gradient", (name) => {
    const fn = landscape(name);
    const { x: [x0, x1], y: [y0, y1] } = fn.domain;
    fc.assert(
      fc.property(fc.double({ min: x0, max: x1, noNaN: true }), fc.double({ min: y0, max: y1, noNaN: true }), (x, y) => {
        const h = 1e-5;
        const [gxp, gyp] = fn.gradient(x + h, y), [gxm, gym] = fn.gradient(x - h, y);
        const [gxq] = fn.gradient(x, y + h), [gxr] = fn.gradient(x, y - h);
        const [, gyq] = fn.gradient(x, y + h), [, gyr] = fn.gradient(x, y - h);
        const [a, b, c] = fn.hessian(x, y);
        const scale = 1 + Math.abs(a) + Math.abs(b) + Math.abs(c);
        expect(Math.abs(a - (gxp - gxm) / (2 * h))).toBeLessThan(1e-5 * scale);
        expect(Math.abs(b - (gyp - gym) / (2 * h))).toBeLessThan(1e-5 * scale);
        expect(Math.abs(b - (gxq - gxr) / (2 * h))).toBeLessThan(1e-5 * scale);
        expect(Math.abs(c - (gyq - gyr) / (2 * h))).toBeLessThan(1e-5 * scale);
      }),
      { numRuns: 100 },
    );
  });

  it("eigen2: H v = λ v with unit, orthogonal eigenvectors and λ₁ ≤ λ₂", () => {
    fc.assert(
      fc.property(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (a, b, c) => {
        const { values, vectors } = eigen2(a, b, c);
        expect(values[0]).toBeLessThanOrEqual(values[1]);
        const scale = 1 + Math.abs(a) + Math.abs(b) + Math.abs(c);
        for (let i = 0; i < 2; i++) {
          const [vx, vy] = vectors[i]!;
          expect(Math.hypot(vx, vy)).toBeCloseTo(1, 12);
          expect(Math.abs(a * vx + b * vy - values[i]! * vx)).toBeLessThan(1e-9 * scale);
          expect(Math.abs(b * vx + c * vy - values[i]! * vy)).toBeLessThan(1e-9 * scale);
        }
        expect(Math.abs(vectors[0][0] * vectors[1][0] + vectors[0][1] * vectors[1][1])).toBeLessThan(1e-12);
      }),
    );
  });

  it("curvature: the ravine's condition number is 100, the saddle is a saddle, Himmelblau's (−0.27, −0.92) a hilltop", () => {
    const ravine = curvatureAt(landscape("ravine"), 0, 0);
    expect(ravine.shape).toBe("bowl");
    expect(ravine.eigenvalues[0]).toBeCloseTo(0.1, 12);
    expect(ravine.eigenvalues[1]).toBeCloseTo(10, 12);
    expect(curvatureAt(landscape("ravine"), 0, 0).condition).toBeCloseTo(100, 10);
    expect(curvatureAt(landscape("saddle"), 0, 0)).toMatchObject({ eigenvalues: [-2, 2], shape: "saddle", condition: null });
    expect(curvatureAt(landscape("himmelblau"), -0.270845, -0.923039).shape).toBe("hilltop");
  });
});

describe("Newton's method on 2-D landscapes", () => {
  it("converges quadratically on a strongly convex function: e_{k+1} / e_k² stays bounded while GD's e_{k+1}/e_k does not shrink", async () => {
    const res = runLandscape({ fn: bowl, optimizers: [newton(), { name: "SGD", make: (p) => new SGD(p, { lr: 0.3 }) }], steps: 40, tolerance: 1e-12, engine: await engine });
    const e = errors(res.runs[0]!.path, [0, 0]);
    const used = e.filter((v) => v > 1e-13);
    expect(used.length).toBeGreaterThanOrEqual(5);
    for (let k = 0; k + 1 < used.length; k++) expect(used[k + 1]! / used[k]! ** 2).toBeLessThan(1);
    // Genuinely quadratic, not faster: the last ratios approach f'''-dependent constant, not 0.
    expect(used[used.length - 1]! / used[used.length - 2]! ** 2).toBeGreaterThan(0.05);
    expect(res.runs[0]!.reachedAt).toBeLessThanOrEqual(6);
    // Gradient descent: linear, its error ratio settles near 1 − lr λ_min and does not shrink.
    const g = errors(res.runs[1]!.path, [0, 0]);
    expect(g[30]! / g[29]!).toBeGreaterThan(0.3);
    expect(g[30]! / g[29]!).toBeCloseTo(g[20]! / g[19]!, 2);
  });

  it("is attracted to the saddle point and to Himmelblau's hilltop, where damped Newton and LM go downhill", async () => {
    const e = await engine;
    const saddle = runLandscape({ fn: "saddle", start: [1.5, 0.1], optimizers: [newton(), dampedNewton(), levenbergMarquardt()], steps: 50, tolerance: 1e-2, engine: e });
    const [pure, damped, lm] = saddle.runs;
    // Newton lands on the saddle in one step (the quadratic is exact) and stays: y shrank from 0.1, uphill in y.
    expect([pure!.path[2], pure!.path[3]]).toEqual([0, 0]);
    expect(pure!.final.value).toBe(0);
    // Damped Newton flips the negative eigenvalue: it moves away from the saddle and f falls without bound.
    expect(damped!.status).toBe("diverged");
    expect(Math.abs(damped!.final.y)).toBeGreaterThan(10);
    expect(lm!.final.value).toBeLessThan(-1);

    const himmelblau = runLandscape({ fn: "himmelblau", optimizers: [newton(), dampedNewton()], steps: 50, tolerance: 1e-6, engine: e });
    const top = himmelblau.runs[0]!.final;
    expect(curvatureAt(landscape("himmelblau"), top.x, top.y).shape).toBe("hilltop");
    expect(Math.hypot(...landscape("himmelblau").gradient(top.x, top.y))).toBeLessThan(1e-9);
    expect(top.value).toBeGreaterThan(landscape("himmelblau").f(0, 0));
    expect(himmelblau.runs[1]!.status).toBe("converged");
  });

  it("damped Newton and Levenberg-Marquardt never increase f; on Rosenbrock they reach (1, 1)", async () => {
    const res = runLandscape({ fn: "rosenbrock", optimizers: [dampedNewton(), levenbergMarquardt()], steps: 200, tolerance: 1e-8, engine: await engine });
    for (const run of res.runs) {
      expect(run.status).toBe("converged");
      for (let k = 1; k < run.values.length; k++) expect(run.values[k]!).toBeLessThanOrEqual(run.values[k - 1]!);
    }
    expect(res.runs[0]!.reachedAt).toBeLessThan(40);
  });

  it("a singular Hessian makes the pure Newton step non-finite: the run is reported diverged", async () => {
    const flat: Landscape = { ...bowl, hessian: () => [1, 1, 1] };
    expect(runLandscape({ fn: flat, optimizers: [newton()], steps: 5, tolerance: 1e-3, engine: await engine }).runs[0]!.status).toBe("diverged");
  });

  it("specs: names, options, and errors naming the spec", () => {
    expect(parseHessianSpec("adam")).toBeUndefined();
    expect(parseHessianSpec("newton")!.name).toBe("Newton");
    expect(parseHessianSpec("damped-newton:c1=0.1")!.options).toEqual({ c1: 0.1, shrink: 0.5 });
    expect(parseHessianSpec("lm:damping=1")!.name).toBe("Levenberg-Marquardt (damping=1)");
    expect(() => parseHessianSpec("damped-newton:c1=2")).toThrow("optimizer 'damped-newton:c1=2': Invalid c1: 2 (must be in (0, 1))");
    expect(() => parseHessianSpec("lm:dampin=1")).toThrow("unknown option 'dampin' (known options of 'lm': damping, up, down)");
    expect(() => newton({ lr: -1 })).toThrow("Invalid lr: -1");
    expect(() => levenbergMarquardt({ dumping: 1 } as never)).toThrow("dumping");
  });
});
