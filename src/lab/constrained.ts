// Constrained optimization on 2-D functions, in float64: minimize f(x, y) subject to one constraint c(x, y) = 0
// (equality) or c(x, y) ≤ 0 (inequality), by three methods, against the KKT point.
//
//   KKT conditions (L = f + μ c):   ∇f + μ ∇c = 0,   c = 0            (equality, μ of either sign)
//                                   ∇f + μ ∇c = 0,   c ≤ 0, μ ≥ 0, μ c = 0   (inequality)
//   solved here by Newton's method on (x, y, μ) with the analytic Hessians, from each problem's guess (the
//   inequality's constraint is active at its solution: μ > 0 is checked).
//
//   projected gradient   θ ← P(θ − γ ∇f)   with P the closest point of the feasible set (a line: the foot of the
//                        perpendicular; a disc: θ scaled back to the radius). Multiplier estimate at each step:
//                        μ ≈ −∇f·∇c / ‖∇c‖² (least squares; 0 for an inequality not active, clipped at 0)
//   penalty method       minimize f + (ρ/2) φ(c)²  (φ(c) = c, or max(0, c) for an inequality) for ρ = ρ₀, 10ρ₀, …;
//                        the constraint is violated by O(1/ρ), and ρ φ(c) → μ as ρ → ∞ (the problem gets
//                        ill-conditioned on the way)
//   augmented Lagrangian minimize f + (ψ² − m²) / (2ρ),  ψ = m + ρ c  (inequality: max(0, m + ρ c), Powell-
//   (method of           Hestenes-Rockafellar), then m ← ψ. With m = μ exactly, the minimizer is the KKT point
//   multipliers)         for any ρ large enough, so ρ stays fixed and m converges linearly to μ.
//
// The penalty method is the augmented Lagrangian with m = 0 and a growing ρ. Each inner minimization takes damped
// Newton steps (landscape-newton.ts) until the gradient vanishes; every step is a point of the path.
import { checkOptions, keysOf } from "../engine/options.js";
import { requireInteger, requirePositive } from "../optim/validate.js";
import { dampedNewtonStep } from "./landscape-newton.js";
import { rosenbrock, type Landscape } from "./landscapes.js";

/** The objective: a 2-D function with its gradient and Hessian, and what its chart needs. */
export type Objective = Pick<Landscape, "title" | "formula" | "f" | "gradient" | "hessian" | "domain" | "levels" | "minima">;

export interface Constraint {
  kind: "equality" | "inequality";
  /** 'x + y − 1 = 0', 'x² + y² − 1 ≤ 0'. */
  formula: string;
  c(x: number, y: number): number;
  gradient(x: number, y: number): [number, number];
  hessian(x: number, y: number): [number, number, number];
  /** The closest feasible point. */
  project(x: number, y: number): [number, number];
  /** Points along the boundary, to draw. */
  boundary: readonly (readonly [number, number])[];
}

export type ConstrainedProblemName = "line" | "disc";

export interface ConstrainedProblem {
  name: ConstrainedProblemName;
  title: string;
  objective: Objective;
  constraint: Constraint;
  start: readonly [number, number];
  /** Where Newton's method on the KKT equations starts: (x, y, μ). */
  kktGuess: readonly [number, number, number];
  /** Projected gradient's learning rate (below 2 / the largest curvature). */
  lr: number;
}

const bowl: Objective = {
  title: "Bowl",
  formula: "(x − 2)² + 4 (y − 1)²",
  f: (x, y) => (x - 2) ** 2 + 4 * (y - 1) ** 2,
  gradient: (x, y) => [2 * (x - 2), 8 * (y - 1)],
  hessian: () => [2, 0, 8],
  domain: { x: [-1, 3], y: [-1, 2.5] },
  minima: [[2, 1]],
  levels: "log",
};

export const CONSTRAINED_PROBLEMS: Readonly<Record<ConstrainedProblemName, ConstrainedProblem>> = {
  line: {
    name: "line",
    title: "A bowl on the line x + y = 1",
    objective: bowl,
    constraint: {
      kind: "equality",
      formula: "x + y − 1 = 0",
      c: (x, y) => x + y - 1,
      gradient: () => [1, 1],
      hessian: () => [0, 0, 0],
      project: (x, y) => {
        const excess = (x + y - 1) / 2;
        return [x - excess, y - excess];
      },
      boundary: [[-1, 2], [3, -2]],
    },
    start: [-0.5, -0.5],
    kktGuess: [0, 0, 0],
    lr: 0.1,
  },
  disc: {
    name: "disc",
    title: "Rosenbrock in the unit disc",
    objective: { ...rosenbrock, domain: { x: [-1.5, 1.5], y: [-1.5, 1.5] } },
    constraint: {
      kind: "inequality",
      formula: "x² + y² − 1 ≤ 0",
      c: (x, y) => x * x + y * y - 1,
      gradient: (x, y) => [2 * x, 2 * y],
      hessian: () => [2, 0, 2],
      project: (x, y) => {
        const r = Math.hypot(x, y);
        return r <= 1 ? [x, y] : [x / r, y / r];
      },
      boundary: Array.from({ length: 129 }, (_, i) => [Math.cos((2 * Math.PI * i) / 128), Math.sin((2 * Math.PI * i) / 128)] as const),
    },
    start: [-0.5, 0.5],
    kktGuess: [0.8, 0.6, 0.1],
    lr: 1e-3,
  },
};

export interface KktPoint {
  x: number;
  y: number;
  multiplier: number;
  value: number;
}

/** Newton's method on ∇f + μ∇c = 0, c = 0 from the problem's guess; throws if it does not converge or μ < 0 for an inequality. */
export function kktPoint(problem: ConstrainedProblem): KktPoint {
  const { objective: f, constraint: con } = problem;
  let [x, y, mu] = problem.kktGuess;
  for (let k = 0; k < 100; k++) {
    const [gx, gy] = f.gradient(x, y);
    const [cx, cy] = con.gradient(x, y);
    const [a, b, c] = f.hessian(x, y);
    const [ca, cb, cc] = con.hessian(x, y);
    // [[a + μ ca, b + μ cb, cx], [b + μ cb, c + μ cc, cy], [cx, cy, 0]] · d = −[gx + μ cx, gy + μ cy, c]
    const m = [[a + mu * ca, b + mu * cb, cx], [b + mu * cb, c + mu * cc, cy], [cx, cy, 0]];
    const r = [-(gx + mu * cx), -(gy + mu * cy), -con.c(x, y)];
    const d = solve3(m, r);
    x += d[0]!, y += d[1]!, mu += d[2]!;
    if (Math.hypot(...d) < 1e-15 * (1 + Math.hypot(x, y, mu))) break;
  }
  const residual = Math.hypot(f.gradient(x, y)[0] + mu * con.gradient(x, y)[0], f.gradient(x, y)[1] + mu * con.gradient(x, y)[1], con.c(x, y));
  if (!(residual < 1e-9)) throw new Error(`kktPoint: Newton's method on the KKT equations of '${problem.name}' did not converge (residual ${residual})`);
  if (con.kind === "inequality" && !(mu > 0)) throw new Error(`kktPoint: '${problem.name}' has μ = ${mu} ≤ 0: the constraint is not active`);
  return { x, y, multiplier: mu, value: f.f(x, y) };
}

/** Gaussian elimination with partial pivoting, 3 × 3. */
function solve3(m: number[][], r: number[]): number[] {
  const a = m.map((row, i) => [...row, r[i]!]);
  for (let i = 0; i < 3; i++) {
    let p = i;
    for (let k = i + 1; k < 3; k++) if (Math.abs(a[k]![i]!) > Math.abs(a[p]![i]!)) p = k;
    [a[i], a[p]] = [a[p]!, a[i]!];
    for (let k = i + 1; k < 3; k++) {
      const t = a[k]![i]! / a[i]![i]!;
      for (let j = i; j < 4; j++) a[k]![j]! -= t * a[i]![j]!;
    }
  }
  const out = [0, 0, 0];
  for (let i = 2; i >= 0; i--) {
    let s = a[i]![3]!;
    for (let j = i + 1; j < 3; j++) s -= a[i]![j]! * out[j]!;
    out[i] = s / a[i]![i]!;
  }
  return out;
}

export type ConstrainedMethod = "projected-gradient" | "penalty" | "augmented-lagrangian";

export interface ConstrainedRun {
  method: ConstrainedMethod;
  name: string;
  /** Every point visited, interleaved x0, y0, x1, y1, … */
  path: Float64Array;
  /** The multiplier estimate after each iteration (projected gradient: each step; the others: each outer iteration). */
  multipliers: number[];
  /** ρ of each outer iteration (empty for projected gradient). */
  rhos: number[];
  final: { x: number; y: number; value: number; violation: number; distance: number; multiplier: number };
}

export interface ConstrainedResult {
  problem: ConstrainedProblem;
  kkt: KktPoint;
  runs: ConstrainedRun[];
}

export interface RunConstrainedOptions {
  problem: ConstrainedProblem | ConstrainedProblemName;
  /** Projected gradient's steps (default 2000) and learning rate (default: the problem's). */
  steps?: number;
  lr?: number;
  /** Outer iterations of the penalty and augmented-Lagrangian methods (default 10). */
  outer?: number;
  /** Most damped Newton steps per inner minimization (default 50). */
  inner?: number;
  /** The penalty method's first ρ (default 1; ×10 per outer iteration). */
  rho0?: number;
  /** The augmented Lagrangian's fixed ρ (default 10). */
  rho?: number;
}

export function runConstrained(options: RunConstrainedOptions): ConstrainedResult {
  checkOptions("runConstrained", options, RUN_CONSTRAINED_OPTIONS);
  const problem = typeof options.problem === "string" ? constrainedProblem(options.problem) : options.problem;
  const { steps = 2000, lr = problem.lr, outer = 10, inner = 50, rho0 = 1, rho = 10 } = options;
  requireInteger("steps", steps);
  requireInteger("outer", outer);
  requireInteger("inner", inner);
  requirePositive("lr", lr);
  requirePositive("rho0", rho0);
  requirePositive("rho", rho);
  const kkt = kktPoint(problem);
  const runs = [
    projectedGradient(problem, kkt, steps, lr),
    multiplierMethod(problem, kkt, "penalty", outer, inner, (k) => rho0 * 10 ** k),
    multiplierMethod(problem, kkt, "augmented-lagrangian", outer, inner, () => rho),
  ];
  return { problem, kkt, runs };
}

export function constrainedProblem(name: string): ConstrainedProblem {
  const found = Object.hasOwn(CONSTRAINED_PROBLEMS, name) ? CONSTRAINED_PROBLEMS[name as ConstrainedProblemName] : undefined;
  if (!found) throw new RangeError(`Unknown constrained problem '${name}' (known: ${Object.keys(CONSTRAINED_PROBLEMS).join(", ")})`);
  return found;
}

function projectedGradient(problem: ConstrainedProblem, kkt: KktPoint, steps: number, lr: number): ConstrainedRun {
  const { objective: f, constraint: con } = problem;
  let [x, y] = problem.start;
  const path = [x, y];
  const multipliers: number[] = [];
  for (let k = 0; k < steps; k++) {
    const [gx, gy] = f.gradient(x, y);
    [x, y] = con.project(x - lr * gx, y - lr * gy);
    path.push(x, y);
    multipliers.push(multiplierEstimate(problem, x, y));
  }
  return finish(problem, kkt, "projected-gradient", "projected gradient", path, multipliers, []);
}

/** μ ≈ −∇f·∇c / ‖∇c‖², the least-squares solution of ∇f + μ∇c = 0; for an inequality 0 unless active, and ≥ 0. */
function multiplierEstimate({ objective: f, constraint: con }: ConstrainedProblem, x: number, y: number): number {
  if (con.kind === "inequality" && con.c(x, y) < -1e-12) return 0;
  const [gx, gy] = f.gradient(x, y);
  const [cx, cy] = con.gradient(x, y);
  const mu = -(gx * cx + gy * cy) / (cx * cx + cy * cy);
  return con.kind === "inequality" ? Math.max(0, mu) : mu;
}

function multiplierMethod(
  problem: ConstrainedProblem, kkt: KktPoint, method: "penalty" | "augmented-lagrangian", outer: number, inner: number, rhoAt: (k: number) => number,
): ConstrainedRun {
  const { objective: f, constraint: con } = problem;
  const inequality = con.kind === "inequality";
  let [x, y] = problem.start;
  let m = 0;
  const path = [x, y];
  const multipliers: number[] = [];
  const rhos: number[] = [];
  for (let k = 0; k < outer; k++) {
    const rho = rhoAt(k);
    const psi = (px: number, py: number) => (inequality ? Math.max(0, m + rho * con.c(px, py)) : m + rho * con.c(px, py));
    const merit = {
      f: (px: number, py: number) => f.f(px, py) + (psi(px, py) ** 2 - m * m) / (2 * rho),
      hessian: (px: number, py: number): [number, number, number] => {
        const [a, b, c] = f.hessian(px, py);
        const [ca, cb, cc] = con.hessian(px, py);
        const [cx, cy] = con.gradient(px, py);
        const s = psi(px, py);
        const active = !inequality || s > 0 ? rho : 0;
        return [a + s * ca + active * cx * cx, b + s * cb + active * cx * cy, c + s * cc + active * cy * cy];
      },
    };
    const gradient = (px: number, py: number): [number, number] => {
      const [gx, gy] = f.gradient(px, py);
      const [cx, cy] = con.gradient(px, py);
      const s = psi(px, py);
      return [gx + s * cx, gy + s * cy];
    };
    for (let j = 0; j < inner; j++) {
      const g = gradient(x, y);
      if (Math.hypot(...g) <= 1e-12 * (1 + rho)) break;
      [x, y] = dampedNewtonStep(merit, x, y, g);
      path.push(x, y);
    }
    const estimate = psi(x, y);
    if (method === "augmented-lagrangian") m = estimate;
    multipliers.push(estimate);
    rhos.push(rho);
  }
  return finish(problem, kkt, method, method === "penalty" ? "penalty method" : "augmented Lagrangian", path, multipliers, rhos);
}

function finish(
  problem: ConstrainedProblem, kkt: KktPoint, method: ConstrainedMethod, name: string, path: number[], multipliers: number[], rhos: number[],
): ConstrainedRun {
  const x = path[path.length - 2]!, y = path[path.length - 1]!;
  const c = problem.constraint.c(x, y);
  return {
    method, name, path: Float64Array.from(path), multipliers, rhos,
    final: {
      x, y, value: problem.objective.f(x, y), violation: problem.constraint.kind === "equality" ? Math.abs(c) : Math.max(0, c),
      distance: Math.hypot(x - kkt.x, y - kkt.y), multiplier: multipliers[multipliers.length - 1] ?? NaN,
    },
  };
}

const RUN_CONSTRAINED_OPTIONS = keysOf<RunConstrainedOptions>({ problem: 1, steps: 1, lr: 1, outer: 1, inner: 1, rho0: 1, rho: 1 });
