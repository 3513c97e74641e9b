// Runs optimizers on a 2-D landscape: each one, from the same start, moves a 2-element Parameter with its real
// kernels. The gradient of the landscape (plus optional seeded Gaussian noise) is written into the parameter's
// gradient before each step; closure-based optimizers (LBFGS) get a closure that does the same. Second-order
// methods (landscape-newton.ts: Newton, damped Newton, Levenberg-Marquardt) step in float64 with the analytic
// Hessian and the same (noisy) gradient.
//
//   converged:      the run ends within `tolerance` (Euclidean distance) of one of the landscape's minima;
//                   reachedAt = the first step from which it stays within tolerance to the end
//   diverged:       a coordinate became non-finite or left the box |x|, |y| ≤ bound; the run stops there
//   not-converged:  neither (always the case on the saddle, which has no minimum)
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import { Rng } from "../engine/rng.js";
import type { Optimizer } from "../optim/optimizer.js";
import { requireFinite, requireInteger, requireNonNegative, requirePositive } from "../optim/validate.js";
import { landscape, type Landscape, type LandscapeName } from "./landscapes.js";
import { checkOptions, keysOf } from "../engine/options.js";
import type { HessianLandscapeOptimizer } from "./landscape-newton.js";

/** A torch-style optimizer on a 2-element parameter, or a second-order method (which has `begin`). */
export type LandscapeOptimizer = { name: string; make: (params: Parameter[]) => Optimizer<any> } | HessianLandscapeOptimizer;

export interface RunLandscapeOptions {
  fn: Landscape | LandscapeName;
  optimizers: readonly LandscapeOptimizer[];
  /** Default: the landscape's start. */
  start?: readonly [number, number];
  steps: number;
  /** Distance to the nearest minimum that counts as converged. */
  tolerance: number;
  /** Standard deviation of the Gaussian noise added to each gradient component (default 0). */
  noise?: number;
  /** Seed of the noise; every optimizer sees the same noise sequence (default 0). */
  seed?: number;
  engine: Engine;
  /** Half-width of the box whose exit counts as divergence (default 10 × the largest |coordinate| of the domain). */
  bound?: number;
}

export type LandscapeStatus = "converged" | "diverged" | "not-converged";

export interface LandscapeRun {
  name: string;
  /** The points visited, interleaved: x0, y0, x1, y1, … (the start, then one point per step taken). */
  path: Float64Array;
  /** f at each point of the path. */
  values: Float64Array;
  stepsTaken: number;
  status: LandscapeStatus;
  /** The first step from which the run stays within tolerance of a minimum (0: the start already is), or null. */
  reachedAt: number | null;
  /** The step that diverged, or null. */
  divergedAt: number | null;
  /** The last point of the path, its value, and its distance to the nearest minimum (Infinity without minima). */
  final: { x: number; y: number; value: number; distance: number };
}

export interface LandscapeResult {
  landscape: Landscape;
  start: readonly [number, number];
  tolerance: number;
  noise: number;
  bound: number;
  runs: LandscapeRun[];
}

export function runLandscape(options: RunLandscapeOptions): LandscapeResult {
  checkOptions("runLandscape", options, RUN_LANDSCAPE_OPTIONS);
  const fn = typeof options.fn === "string" ? landscape(options.fn) : options.fn;
  const start = options.start ?? fn.start;
  const { steps, tolerance, engine } = options;
  const noise = options.noise ?? 0;
  const seed = options.seed ?? 0;
  const bound = options.bound ?? 10 * Math.max(...fn.domain.x.map(Math.abs), ...fn.domain.y.map(Math.abs));
  requireFinite("start[0]", start[0]);
  requireFinite("start[1]", start[1]);
  requireInteger("steps", steps);
  requirePositive("tolerance", tolerance);
  requireNonNegative("noise", noise);
  requireInteger("seed", seed);
  if (!(bound > 0)) throw new RangeError(`Invalid bound: ${bound} (must be > 0; Infinity detects only non-finite values)`);
  if (options.optimizers.length === 0) throw new RangeError("runLandscape: optimizers is empty");
  const runs = options.optimizers.map((o) => runOne(fn, o, start, steps, tolerance, noise, seed, bound, engine));
  return { landscape: fn, start, tolerance, noise, bound, runs };
}

function runOne(
  fn: Landscape, spec: LandscapeOptimizer, start: readonly [number, number], steps: number, tolerance: number,
  noise: number, seed: number, bound: number, engine: Engine,
): LandscapeRun {
  const rng = new Rng(seed);
  const noisy = (g: [number, number]): [number, number] => (noise > 0 ? [g[0] + noise * rng.normal(), g[1] + noise * rng.normal()] : g);
  const [x0, y0, advance] = "begin" in spec ? hessianStepper(fn, spec, start, noisy) : optimizerStepper(fn, spec, start, noisy, engine);

  const path = new Float64Array(2 * (steps + 1));
  const values = new Float64Array(steps + 1);
  const record = (k: number, x: number, y: number) => {
    path[2 * k] = x;
    path[2 * k + 1] = y;
    values[k] = fn.f(x, y);
  };
  record(0, x0, y0);
  let taken = 0;
  let divergedAt: number | null = null;
  let within = distanceToMinimum(fn, start[0], start[1]) <= tolerance;
  let reachedAt: number | null = within ? 0 : null;
  while (taken < steps) {
    const [x, y] = advance();
    if (!Number.isFinite(x) || !Number.isFinite(y)) {
      divergedAt = taken + 1;
      break;
    }
    taken++;
    record(taken, x, y);
    if (Math.abs(x) > bound || Math.abs(y) > bound) {
      divergedAt = taken;
      break;
    }
    const nowWithin = distanceToMinimum(fn, x, y) <= tolerance;
    if (nowWithin && !within) reachedAt = taken;
    within = nowWithin;
  }
  const last = 2 * taken;
  const fx = path[last]!;
  const fy = path[last + 1]!;
  const converged = divergedAt === null && within;
  return {
    name: spec.name,
    path: path.slice(0, last + 2),
    values: values.slice(0, taken + 1),
    stepsTaken: taken,
    status: converged ? "converged" : divergedAt !== null ? "diverged" : "not-converged",
    reachedAt: converged ? reachedAt : null,
    divergedAt,
    final: { x: fx, y: fy, value: values[taken]!, distance: distanceToMinimum(fn, fx, fy) },
  };
}

/** A stepper: the start as the method holds it (float32 in a Parameter), and a function that takes one step. */
type Stepper = [x: number, y: number, advance: () => [number, number]];

/** Steps a 2-element Parameter with the optimizer's kernels; returns its point after each step. */
function optimizerStepper(
  fn: Landscape, spec: { name: string; make: (params: Parameter[]) => Optimizer<any> }, start: readonly [number, number],
  noisy: (g: [number, number]) => [number, number], engine: Engine,
): Stepper {
  const param = engine.parameter([start[0], start[1]], [2], spec.name);
  const optimizer = spec.make([param]);
  // Muon orthogonalizes a matrix's update; on a point (a vector of 2) muonWithAdamW would hand it all to AdamW,
  // and a 1 × 2 matrix has one singular value, so the update would be the gradient's direction at a fixed length
  // (normalized gradient descent): neither shows Muon.
  if (optimizer.kind === "MuonWithAdamW" || optimizer.kind === "Muon") {
    throw new RangeError(
      `runLandscape: '${spec.name}' cannot run on a 2-D landscape: Muon orthogonalizes the update of a weight matrix, and a ` +
        "point has no matrix (as a 1 × 2 matrix its update would be the gradient's direction at a fixed length); compare Muon on a model with compare",
    );
  }
  const fillGradient = (): number => {
    const [x, y] = param.data;
    const [gx, gy] = noisy(fn.gradient(x!, y!));
    const grad = param.grad;
    grad[0] = gx;
    grad[1] = gy;
    return fn.f(x!, y!);
  };
  // Optimizers that re-evaluate the function (LBFGS) declare step(closure); the others use the gradient as set.
  const step = optimizer.step as (closure?: () => number) => unknown;
  const wantsClosure = step.length > 0;
  return [param.data[0]!, param.data[1]!, () => {
    if (wantsClosure) step.call(optimizer, fillGradient);
    else fillGradient(), step.call(optimizer);
    return [param.data[0]!, param.data[1]!];
  }];
}

/** Steps a second-order method in float64. */
function hessianStepper(
  fn: Landscape, spec: HessianLandscapeOptimizer, start: readonly [number, number], noisy: (g: [number, number]) => [number, number],
): Stepper {
  const step = spec.begin(fn);
  let [x, y] = start;
  return [x, y, () => {
    [x, y] = step(x, y, noisy(fn.gradient(x, y)));
    return [x, y];
  }];
}

/** Euclidean distance from (x, y) to the nearest of the landscape's minima (Infinity when it has none). */
export function distanceToMinimum(fn: Landscape, x: number, y: number): number {
  let best = Infinity;
  for (const [mx, my] of fn.minima) best = Math.min(best, Math.hypot(x - mx, y - my));
  return best;
}

/** The keys runLandscape accepts (tsc checks the list against RunLandscapeOptions). */
const RUN_LANDSCAPE_OPTIONS = keysOf<RunLandscapeOptions>({ fn: 1, optimizers: 1, start: 1, steps: 1, tolerance: 1, noise: 1, seed: 1, engine: 1, bound: 1 });
