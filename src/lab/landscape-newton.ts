// Second-order methods on a 2-D landscape, in float64, with the landscape's analytic Hessian H = [[a, b], [b, c]]
// (eigenvalues λ₁ ≤ λ₂, unit eigenvectors v₁, v₂):
//
//   newton         θ ← θ − H⁻¹ g
//                  the stationary point of the local quadratic model: a minimum only when H is positive definite;
//                  with a negative λ it steps uphill along that eigenvector (towards a saddle or a maximum)
//   damped-newton  d = −Σᵢ (vᵢᵀg / max(|λᵢ|, δ)) vᵢ,  θ ← θ + t d,   δ = 1e-8 · max(1, |λ₁|, |λ₂|)
//                  when H is positive definite this is the Newton direction; when it is not, each eigenvalue is
//                  replaced by its absolute value (Nocedal & Wright §3.4, 'saddle-free Newton' of Dauphin et al.
//                  2014), so d is always a descent direction and a negative curvature pushes away from a saddle.
//                  t: backtracking from 1, t ← shrink · t until f(θ + t d) ≤ f(θ) + c1 t gᵀd (Armijo)
//   lm             d = −(H + μ I)⁻¹ g  (Levenberg-Marquardt damping of the Hessian, a trust region in disguise:
//                  a large μ is a short gradient step of length ≈ |g|/μ, a small μ is Newton's step).
//                  The step is accepted when H + μI is positive definite and f decreases, then μ ← μ / down;
//                  otherwise θ stays where it is (the step still counts) and μ ← μ · up.
import { checkOptions, keysOf } from "../engine/options.js";
import { requirePositive } from "../optim/validate.js";
import type { Landscape } from "./landscapes.js";
import { checkKnownOptions, checkNoPositional, formatOptions, parseSpec, SpecError } from "./spec.js";

/** One step of a second-order method from (x, y), given the (possibly noisy) gradient there. */
export type HessianStep = (x: number, y: number, g: readonly [number, number]) => [number, number];

/** A second-order method for runLandscape: `begin` makes a fresh stepper (with its own state) for one run. */
export interface HessianLandscapeOptimizer {
  name: string;
  /** 'Newton', 'DampedNewton' or 'LevenbergMarquardt': the key of its explanation. */
  label: string;
  options: Record<string, number>;
  begin(fn: Landscape): HessianStep;
}

/** The eigen-decomposition of the symmetric [[a, b], [b, c]]: λ₁ ≤ λ₂ and unit eigenvectors. */
export function eigen2(a: number, b: number, c: number): { values: [number, number]; vectors: [[number, number], [number, number]] } {
  const mean = (a + c) / 2;
  const radius = Math.hypot((a - c) / 2, b);
  const l1 = mean - radius;
  const l2 = mean + radius;
  // (b, λ − a) and (λ − c, b) are both eigenvectors of λ; take the longer for accuracy.
  const vector = (l: number): [number, number] => {
    const [p0, q0] = Math.hypot(b, l - a) >= Math.hypot(l - c, b) ? [b, l - a] : [l - c, b];
    const m = Math.max(Math.abs(p0), Math.abs(q0)); // scaled first, so that subnormal entries normalize exactly
    if (m === 0) return [1, 0];
    const n = Math.hypot(p0 / m, q0 / m);
    return [p0 / m / n, q0 / m / n];
  };
  const v1 = radius === 0 ? ([1, 0] as [number, number]) : vector(l1);
  return { values: [l1, l2], vectors: [v1, [-v1[1], v1[0]]] };
}

export interface NewtonOptions {
  /** Step size multiplying the Newton step (default 1, the pure method). */
  lr?: number;
}

export function newton(options: NewtonOptions = {}): HessianLandscapeOptimizer {
  checkOptions("newton", options, keysOf<NewtonOptions>({ lr: 1 }));
  const lr = options.lr ?? 1;
  requirePositive("lr", lr);
  return {
    name: named("Newton", options), label: "Newton", options: { lr },
    begin: (fn) => (x, y, [gx, gy]) => {
      const [a, b, c] = fn.hessian(x, y);
      const det = a * c - b * b; // 0 for a singular Hessian: the step is not finite and the run counts as diverged
      return [x - (lr * (c * gx - b * gy)) / det, y - (lr * (a * gy - b * gx)) / det];
    },
  };
}

export interface DampedNewtonOptions {
  /** Armijo's sufficient-decrease constant (default 1e-4). */
  c1?: number;
  /** The factor the step shrinks by while the Armijo test fails (default 0.5). */
  shrink?: number;
}

const MAX_BACKTRACKS = 60;

export function dampedNewton(options: DampedNewtonOptions = {}): HessianLandscapeOptimizer {
  checkOptions("dampedNewton", options, keysOf<DampedNewtonOptions>({ c1: 1, shrink: 1 }));
  const c1 = options.c1 ?? 1e-4;
  const shrink = options.shrink ?? 0.5;
  if (!(c1 > 0 && c1 < 1)) throw new RangeError(`Invalid c1: ${c1} (must be in (0, 1))`);
  if (!(shrink > 0 && shrink < 1)) throw new RangeError(`Invalid shrink: ${shrink} (must be in (0, 1))`);
  return {
    name: named("Damped Newton", options), label: "DampedNewton", options: { c1, shrink },
    begin: (fn) => (x, y, g) => dampedNewtonStep(fn, x, y, g, c1, shrink),
  };
}

/** One damped Newton step on any 2-D function with value and Hessian (also the inner solver of lab/constrained.ts). */
export function dampedNewtonStep(
  fn: Pick<Landscape, "f" | "hessian">, x: number, y: number, g: readonly [number, number], c1 = 1e-4, shrink = 0.5,
): [number, number] {
  const [dx, dy] = absoluteNewtonDirection(fn.hessian(x, y), g);
  const f0 = fn.f(x, y);
  const slope = g[0] * dx + g[1] * dy;
  let t = 1;
  for (let k = 0; k < MAX_BACKTRACKS && !(fn.f(x + t * dx, y + t * dy) <= f0 + c1 * t * slope); k++) t *= shrink;
  return [x + t * dx, y + t * dy];
}

/** −|H|⁻¹ g: the Newton direction with each eigenvalue λ replaced by max(|λ|, δ). */
function absoluteNewtonDirection([a, b, c]: [number, number, number], [gx, gy]: readonly [number, number]): [number, number] {
  const { values, vectors } = eigen2(a, b, c);
  const delta = 1e-8 * Math.max(1, Math.abs(values[0]), Math.abs(values[1]));
  let dx = 0, dy = 0;
  for (let i = 0; i < 2; i++) {
    const [vx, vy] = vectors[i]!;
    const coefficient = (vx * gx + vy * gy) / Math.max(Math.abs(values[i]!), delta);
    dx -= coefficient * vx;
    dy -= coefficient * vy;
  }
  return [dx, dy];
}

export interface LevenbergMarquardtOptions {
  /** The initial damping μ (default 1e-3). */
  damping?: number;
  /** μ ← μ · up after a rejected step (default 2). */
  up?: number;
  /** μ ← μ / down after an accepted step (default 3). */
  down?: number;
}

export function levenbergMarquardt(options: LevenbergMarquardtOptions = {}): HessianLandscapeOptimizer {
  checkOptions("levenbergMarquardt", options, keysOf<LevenbergMarquardtOptions>({ damping: 1, up: 1, down: 1 }));
  const damping = options.damping ?? 1e-3;
  const up = options.up ?? 2;
  const down = options.down ?? 3;
  requirePositive("damping", damping);
  if (!(up > 1)) throw new RangeError(`Invalid up: ${up} (must be > 1)`);
  if (!(down > 1)) throw new RangeError(`Invalid down: ${down} (must be > 1)`);
  return {
    name: named("Levenberg-Marquardt", options), label: "LevenbergMarquardt", options: { damping, up, down },
    begin: (fn) => {
      let mu = damping;
      return (x, y, [gx, gy]) => {
        const [h11, b, h22] = fn.hessian(x, y);
        const a = h11 + mu;
        const c = h22 + mu;
        const det = a * c - b * b;
        if (a > 0 && det > 0) {
          const nx = x - (c * gx - b * gy) / det;
          const ny = y - (a * gy - b * gx) / det;
          if (fn.f(nx, ny) < fn.f(x, y)) {
            mu = Math.max(mu / down, 1e-12);
            return [nx, ny];
          }
        }
        mu = Math.min(mu * up, 1e12);
        return [x, y];
      };
    },
  };
}

function named(title: string, options: object): string {
  const described = formatOptions(options as never);
  return described ? `${title} (${described})` : title;
}

/** The second-order methods by their spec names (the command line's --opt of `landscape`). */
export const HESSIAN_METHODS: Readonly<Record<string, { options: readonly string[]; create(options: Record<string, number>): HessianLandscapeOptimizer }>> = {
  newton: { options: ["lr"], create: (o) => newton(o) },
  "damped-newton": { options: ["c1", "shrink"], create: (o) => dampedNewton(o) },
  lm: { options: ["damping", "up", "down"], create: (o) => levenbergMarquardt(o) },
};

/** 'newton', 'damped-newton:c1=0.1', 'lm:damping=1': a second-order method, or undefined for any other name. */
export function parseHessianSpec(text: string): HessianLandscapeOptimizer | undefined {
  const colon = text.indexOf(":");
  const name = (colon < 0 ? text : text.slice(0, colon)).trim().toLowerCase();
  const entry = Object.hasOwn(HESSIAN_METHODS, name) ? HESSIAN_METHODS[name]! : undefined;
  if (!entry) return undefined;
  // The spec grammar's names have no '-': parse the options under a stand-in name.
  const spec = parseSpec(`m${colon < 0 ? "" : text.slice(colon)}`, "optimizer");
  const shown = { ...spec, text: text.trim(), name };
  checkNoPositional(shown, "optimizer");
  checkKnownOptions(shown, entry.options, "optimizer");
  for (const [key, value] of Object.entries(spec.options)) {
    if (typeof value !== "number") throw new SpecError(`optimizer '${text.trim()}': ${key} must be a number`);
  }
  try {
    return entry.create(spec.options as Record<string, number>);
  } catch (e) {
    throw new SpecError(`optimizer '${text.trim()}': ${(e as Error).message}`);
  }
}
