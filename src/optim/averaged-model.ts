// AveragedModel (torch.optim.swa_utils.AveragedModel: torch/optim/swa_utils.py), for stochastic weight averaging
// (Izmailov et al. 2018) and exponential moving averages of the weights. It keeps a copy of the parameters (one
// buffer, laid out as the parameters' runs) and, at each updateParameters():
//
//   n = 0:  θ_avg ← θ
//   SWA (default, get_swa_multi_avg_fn):      θ_avg ← θ_avg + (θ − θ_avg) / (n + 1)     (f32_swa_average)
//   EMA (getEmaMultiAvgFn(decay)):            θ_avg ← lerp(θ_avg, θ, 1 − decay)          (f32_lerp)
//   n ← n + 1
//
// one kernel call per contiguous run (a model's parameters are one). The average is for evaluating and keeping:
// copyTo() puts it into the model's parameters; then recompute BatchNorm statistics with updateBn
// (src/train/update-bn.ts), as torch's SWA recipe does. Buffers (use_buffers in torch) are not averaged.
import { checkOptions } from "../engine/options.js";
import { contiguousRuns, type ParamRun, type Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import { requireInRange } from "./validate.js";

/** How the average is updated: torch's get_swa_multi_avg_fn() or get_ema_multi_avg_fn(decay). */
export type MultiAvgFn = { kind: "swa" } | { kind: "ema"; decay: number };

/** The equal-weight running average (AveragedModel's default). */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return { kind: "swa" };
}

/** The exponential moving average θ_avg ← decay θ_avg + (1 − decay) θ (default decay 0.999, as torch's). */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  requireInRange("decay", decay, 0, 1, true);
  return { kind: "ema", decay };
}

export interface AveragedModelOptions {
  multiAvgFn?: MultiAvgFn;
}

export interface AveragedModelState {
  kind: "AveragedModel";
  nAveraged: number;
  values: Float32Array;
}

export class AveragedModel {
  readonly kind = "AveragedModel";
  readonly params: readonly Parameter[];
  readonly multiAvgFn: MultiAvgFn;
  /** Models averaged so far (torch's n_averaged). */
  nAveraged = 0;
  private readonly runs: { run: ParamRun; avg: F32Slice }[];

  constructor(params: readonly Parameter[], options: AveragedModelOptions = {}) {
    checkOptions("AveragedModel", options, ["multiAvgFn"]);
    const fn = options.multiAvgFn ?? getSwaMultiAvgFn();
    if (fn?.kind === "ema") requireInRange("multiAvgFn.decay", fn.decay, 0, 1, true);
    else if (fn?.kind !== "swa") throw new RangeError("AveragedModel: multiAvgFn must be getSwaMultiAvgFn() or getEmaMultiAvgFn(decay)");
    if (!Array.isArray(params) || params.length === 0) throw new Error("AveragedModel: got an empty parameter list");
    this.params = [...params];
    this.multiAvgFn = fn;
    const engine = params[0]!.engine;
    this.runs = contiguousRuns(this.params).map((run) => ({ run, avg: engine.allocF32(run.length) }));
  }

  /** Folds the parameters' current values into the average. */
  updateParameters(): void {
    const k = this.params[0]!.engine.kernels;
    const fn = this.multiAvgFn;
    for (const { run, avg } of this.runs) {
      if (this.nAveraged === 0) k.f32_copy(avg.ptr, run.dataPtr, run.length);
      else if (fn.kind === "swa") k.f32_swa_average(avg.ptr, run.dataPtr, run.length, this.nAveraged + 1);
      else k.f32_lerp(avg.ptr, run.dataPtr, run.length, 1 - fn.decay, fn.decay);
    }
    this.nAveraged++;
  }

  /** The averaged values of parameter `p` (a copy). */
  averagedValues(p: Parameter): Float32Array {
    const r = this.runs.find((x) => x.run.params.includes(p));
    if (!r) throw new Error(`AveragedModel: parameter '${p.name}' is not averaged here`);
    const start = (p.dataSlice.ptr - r.run.dataPtr) / 4;
    return r.avg.array.slice(start, start + p.length);
  }

  /** Writes the average into the parameters (to evaluate or save it). */
  copyTo(): void {
    if (this.nAveraged === 0) throw new Error("AveragedModel.copyTo: nothing averaged yet (call updateParameters first)");
    const k = this.params[0]!.engine.kernels;
    for (const { run, avg } of this.runs) k.f32_copy(run.dataPtr, avg.ptr, run.length);
  }

  stateDict(): AveragedModelState {
    const values = new Float32Array(this.runs.reduce((n, r) => n + r.run.length, 0));
    let at = 0;
    for (const r of this.runs) values.set(r.avg.array, at), (at += r.run.length);
    return { kind: "AveragedModel", nAveraged: this.nAveraged, values };
  }

  loadStateDict(state: AveragedModelState): void {
    const total = this.runs.reduce((n, r) => n + r.run.length, 0);
    if (state?.kind !== "AveragedModel") throw new Error(`AveragedModel.loadStateDict: not an AveragedModel state (${String(state?.kind)})`);
    if (!Number.isInteger(state.nAveraged) || state.nAveraged < 0) throw new RangeError(`AveragedModel.loadStateDict: Invalid nAveraged: ${state.nAveraged}`);
    if (!(state.values instanceof Float32Array) || state.values.length !== total) {
      throw new Error(`AveragedModel.loadStateDict: ${state.values?.length} values, the parameters have ${total}`);
    }
    let at = 0;
    for (const r of this.runs) r.avg.array.set(state.values.subarray(at, (at += r.run.length)));
    this.nAveraged = state.nAveraged;
  }
}
