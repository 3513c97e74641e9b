// Penalties on the weights that fit adds to the gradient, and projections it applies after each step.
//
//   l1: λ                       loss + λ ‖θ‖₁                 g ← g + λ sign(θ)
//   elasticNet: { alpha, l1Ratio }   (scikit-learn's ElasticNet naming)
//                               loss + α r ‖θ‖₁ + ½ α (1 − r) ‖θ‖²    g ← g + α r sign(θ) + α (1 − r) θ
//
// The term is added to the gradient after the backward passes and before clipping, over every parameter of the
// model (biases too, as torch's weightDecay of a group holding them): one f32_l1_l2_grad call per contiguous run,
// normally one for the whole model. The loss fit records is the data loss, without the penalty. This is the
// coupled form: an adaptive optimizer (Adam) rescales the penalty's gradient like any other; L1 this way makes
// weights hover around 0 rather than reach it (ProximalSGD gives exact zeros).
//
//   constrain: { maxNorm }      tf.keras.constraints.MaxNorm, after each optimizer step: every output unit's
//                               incoming weights (a row of a Linear weight [out, in], a filter [out, in, kh, kw]:
//                               Keras' default axis for its [in, out] / [kh, kw, in, out] layouts) are scaled
//                               by min(‖w‖, m) / (1e-7 + ‖w‖); applies to parameters of 2 or more dimensions
//                               (weights, not biases), one f32_max_norm_rows call per weight
//   constrain: { min, max }     a box: every parameter clamped into [min, max] (one f32_clamp call per run)
import { contiguousRuns, type ParamRun, type Parameter } from "../engine/parameter.js";
import { checkOptions, keysOf } from "../engine/options.js";
import type { Kernels } from "../kernels/kernels.js";

export interface ElasticNetOptions {
  /** α: the strength of the whole penalty. */
  alpha: number;
  /** r in [0, 1]: the share of L1 (1: lasso, 0: ridge). */
  l1Ratio: number;
}

export interface ConstrainOptions {
  /** The largest L2 norm of each output unit's incoming weights (Keras' MaxNorm max_value). */
  maxNorm?: number;
  /** Lower bound of every parameter (a box constraint). */
  min?: number;
  /** Upper bound of every parameter. */
  max?: number;
}

const ELASTIC_NET_OPTIONS = keysOf<ElasticNetOptions>({ alpha: 1, l1Ratio: 1 });
const CONSTRAIN_OPTIONS = keysOf<ConstrainOptions>({ maxNorm: 1, min: 1, max: 1 });
/** Keras' backend epsilon(), in MaxNorm's denominator. */
const MAX_NORM_EPS = 1e-7;

/** The L1 and L2 coefficients (λ₁, λ₂) of fit's l1 / elasticNet options, checked; null when neither is set. */
export function penaltyCoefficients(l1: number | undefined, elasticNet: ElasticNetOptions | undefined): [number, number] | null {
  if (l1 !== undefined && elasticNet !== undefined) throw new RangeError("fit: give l1 or elasticNet, not both (elasticNet with l1Ratio 1 is l1)");
  if (l1 !== undefined) {
    if (!(typeof l1 === "number" && l1 >= 0 && Number.isFinite(l1))) throw new RangeError(`fit: l1 must be a finite number >= 0, got ${String(l1)}`);
    return [l1, 0];
  }
  if (elasticNet === undefined) return null;
  checkOptions("fit: elasticNet", elasticNet, ELASTIC_NET_OPTIONS);
  const { alpha, l1Ratio } = elasticNet;
  if (!(typeof alpha === "number" && alpha >= 0 && Number.isFinite(alpha))) throw new RangeError(`fit: elasticNet.alpha must be a finite number >= 0, got ${String(alpha)}`);
  if (!(typeof l1Ratio === "number" && l1Ratio >= 0 && l1Ratio <= 1)) throw new RangeError(`fit: elasticNet.l1Ratio must be in [0, 1], got ${String(l1Ratio)}`);
  return [alpha * l1Ratio, alpha * (1 - l1Ratio)];
}

/** Adds λ₁ sign(θ) + λ₂ θ to the gradients of `params`: one kernel call per contiguous run. */
export class WeightPenalty {
  private readonly runs: ParamRun[];

  constructor(params: readonly Parameter[], private readonly kernels: Kernels, readonly l1: number, readonly l2: number) {
    this.runs = contiguousRuns(params);
  }

  apply(): void {
    for (const r of this.runs) this.kernels.f32_l1_l2_grad(r.dataPtr, r.gradPtr, r.length, this.l1, this.l2);
  }
}

/** Checks fit's constrain option; null when it is not set. */
export function checkConstrain(options: ConstrainOptions | undefined): ConstrainOptions | null {
  if (options === undefined) return null;
  checkOptions("fit: constrain", options, CONSTRAIN_OPTIONS);
  const { maxNorm, min, max } = options;
  if (maxNorm !== undefined && !(typeof maxNorm === "number" && maxNorm > 0)) throw new RangeError(`fit: constrain.maxNorm must be a number > 0, got ${String(maxNorm)}`);
  for (const [key, v] of [["min", min], ["max", max]] as const) {
    if (v !== undefined && !(typeof v === "number" && !Number.isNaN(v))) throw new RangeError(`fit: constrain.${key} must be a number, got ${String(v)}`);
  }
  if (min !== undefined && max !== undefined && min > max) throw new RangeError(`fit: constrain.min (${min}) is above constrain.max (${max})`);
  if (maxNorm === undefined && min === undefined && max === undefined) throw new RangeError("fit: constrain needs maxNorm, or min and/or max");
  return options;
}

/** The projections of fit's constrain option, applied after each optimizer step. */
export class WeightConstraint {
  private readonly weights: Parameter[];
  private readonly runs: ParamRun[];

  constructor(params: readonly Parameter[], private readonly kernels: Kernels, private readonly options: ConstrainOptions) {
    this.weights = options.maxNorm === undefined ? [] : params.filter((p) => p.shape.length >= 2);
    this.runs = options.min === undefined && options.max === undefined ? [] : contiguousRuns(params);
  }

  apply(): void {
    const { maxNorm, min = -Infinity, max = Infinity } = this.options;
    const k = this.kernels;
    for (const w of this.weights) {
      const rows = w.shape[0]!;
      k.f32_max_norm_rows(w.dataSlice.ptr, rows, rows === 0 ? 0 : w.length / rows, maxNorm!, MAX_NORM_EPS);
    }
    for (const r of this.runs) k.f32_clamp(r.dataPtr, r.length, min, max);
  }
}
