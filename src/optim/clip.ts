// Gradient clipping (torch.nn.utils.clip_grad_norm_ and clip_grad_value_):
//
//   clipGradNorm:   ‖g‖ = (Σ_i |g_i|^p)^(1/p) over every gradient together (p = 2, 1, or ∞: max_i |g_i|)
//                   c = maxNorm / (‖g‖ + 1e-6);  if c < 1:  g ← c g;  returns ‖g‖
//   clipGradValue:  g ← min(max(g, −clipValue), clipValue)
//
// One reduction kernel call per contiguous run of parameters (usually one per model), summed in float64, then
// one scaling call per run. Unlike torch, which reduces in float32, the norm is accumulated and returned in
// float64: it does not overflow for gradients above 1.8e19 and is at least as accurate.
import type { Kernels } from "../kernels/kernels.js";
import { contiguousRuns, type ParamRun, type Parameter } from "../engine/parameter.js";
import { requireNonNegative } from "./validate.js";
import { checkOptions } from "../engine/options.js";

export interface ClipGradNormOptions {
  /** Throw an Error when the total norm is NaN or ±∞ (default false: the gradients are scaled anyway, as torch). */
  errorIfNonfinite?: boolean;
}

type Params = Parameter | readonly Parameter[];

interface Plan {
  list: Parameter[];
  runs: ParamRun[];
  kernels: Kernels | null;
}
// Clipping runs every step: the grouping into runs is planned once per parameter list (checked element by element,
// so a list changed in place is planned again) and the step itself allocates nothing.
const plans = new WeakMap<object, Plan>();

function runsOf(params: Params): Plan {
  const cached = plans.get(params);
  const list = Array.isArray(params) ? (params as readonly Parameter[]) : [params as Parameter];
  if (cached && cached.list.length === list.length && cached.list.every((p, i) => p === list[i])) return cached;
  const engine = list[0]?.engine;
  for (const p of list) {
    if (p.engine !== engine) throw new Error(`parameter '${p.name || "(unnamed)"}' belongs to another engine than the first one`);
  }
  const plan = { list: [...list], runs: contiguousRuns(list), kernels: engine ? engine.kernels : null };
  plans.set(params, plan);
  return plan;
}

/**
 * Scales all gradients together so that their total `normType`-norm is at most `maxNorm`, and returns the total
 * norm before clipping. `normType` is 2 (default), 1 or Infinity.
 */
const CLIP_GRAD_NORM_OPTIONS = ["errorIfNonfinite"] as const;

export function clipGradNorm(params: Params, maxNorm: number, normType = 2, options?: ClipGradNormOptions): number {
  checkOptions("clipGradNorm", options, CLIP_GRAD_NORM_OPTIONS);
  requireNonNegative("maxNorm", maxNorm);
  if (normType !== 2 && normType !== 1 && normType !== Infinity) {
    throw new RangeError(`Invalid normType: ${String(normType)} (must be 2, 1 or Infinity)`);
  }
  const { runs, kernels: k } = runsOf(params);
  if (!k) return 0;
  let total = 0;
  if (normType === Infinity) {
    for (const r of runs) total = Math.max(total, k.f32_max_abs(r.gradPtr, r.length));
  } else if (normType === 1) {
    for (const r of runs) total += k.f32_sum_abs(r.gradPtr, r.length);
  } else {
    for (const r of runs) total += k.f32_sum_squares(r.gradPtr, r.length);
    total = Math.sqrt(total);
  }
  if (!Number.isFinite(total) && options?.errorIfNonfinite) {
    throw new Error(`The total norm of order ${normType} of the gradients is ${total}, so it cannot be clipped (errorIfNonfinite is set)`);
  }
  if (clipsNorm(total, maxNorm)) for (const r of runs) k.f32_scale(r.gradPtr, r.length, maxNorm / (total + 1e-6));
  return total;
}

/** True when clipGradNorm scales gradients of total norm `total` (`!(c >= 1)` rather than `c < 1`: a NaN norm makes them NaN, as in torch). */
export function clipsNorm(total: number, maxNorm: number): boolean {
  return !(maxNorm / (total + 1e-6) >= 1);
}

/** Clamps every gradient element into [−clipValue, clipValue]; returns true when some element was outside (or NaN). */
export function clipGradValue(params: Params, clipValue: number): boolean {
  requireNonNegative("clipValue", clipValue);
  const { runs, kernels: k } = runsOf(params);
  if (!k) return false;
  let clipped = false;
  for (const r of runs) {
    clipped ||= !(k.f32_max_abs(r.gradPtr, r.length) <= Math.fround(clipValue));
    k.f32_clamp(r.gradPtr, r.length, -clipValue, clipValue);
  }
  return clipped;
}
