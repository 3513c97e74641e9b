// CyclicLR (Smith, "Cyclical Learning Rates for Training Neural Networks"), stepped after every batch. With
// t = lastEpoch, S = stepSizeUp + stepSizeDown and r = stepSizeUp / S:
//
//   cycle = ⌊1 + t / S⌋,   x = 1 + t / S − cycle,   s = x / r  if x ≤ r,  else (x − 1) / (r − 1)
//   η_t = baseLr + (maxLr − baseLr) · s · f,        f = scaleFn(cycle)  or  scaleFn(t)  (scaleMode 'iterations')
//   m_t = maxMomentum − (maxMomentum − baseMomentum) · s · f        (momentum, or beta1, cycled inversely)
//
//   modes: 'triangular' f = 1;  'triangular2' f = 1 / 2^(cycle − 1);  'exp_range' f = γ^t (per iteration)
import { requireBoolean, requireFinite, requireNonNegative, requirePositive } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { momentumKey, planMomentum, setMomentum, type MomentumKey } from "./momentum.js";
import { checkOptions } from "../../engine/options.js";
import { perGroup, requireOneOf } from "./options.js";

export type CyclicMode = "triangular" | "triangular2" | "exp_range";
export type ScaleMode = "cycle" | "iterations";

export interface CyclicLROptions {
  /** Lower lr boundary, per group or shared. */
  baseLr: number | readonly number[];
  /** Upper lr boundary, per group or shared. */
  maxLr: number | readonly number[];
  /** Iterations in the rising half of a cycle; default 2000. */
  stepSizeUp?: number;
  /** Iterations in the falling half; default stepSizeUp. */
  stepSizeDown?: number;
  /** Default 'triangular'; ignored when scaleFn is given. */
  mode?: CyclicMode;
  /** Of 'exp_range'; default 1. */
  gamma?: number;
  /** A custom amplitude scaling, 0 ≤ scaleFn(x) ≤ 1; replaces mode. */
  scaleFn?: (x: number) => number;
  /** What scaleFn receives: the cycle number (default) or the iteration. */
  scaleMode?: ScaleMode;
  /** Cycle momentum (or beta1) inversely to the lr; default true. */
  cycleMomentum?: boolean;
  /** Default 0.8. */
  baseMomentum?: number | readonly number[];
  /** Default 0.9. */
  maxMomentum?: number | readonly number[];
  lastEpoch?: number;
}

const OPTION_NAMES = ["baseLr", "maxLr", "stepSizeUp", "stepSizeDown", "mode", "gamma", "scaleFn", "scaleMode",
  "cycleMomentum", "baseMomentum", "maxMomentum", "lastEpoch"];

export class CyclicLR extends LRScheduler {
  override get kind(): string {
    return "CyclicLR";
  }

  readonly maxLrs: number[];
  readonly totalSize: number;
  readonly stepRatio: number;
  readonly mode: CyclicMode;
  readonly gamma: number;
  readonly scaleMode: ScaleMode;
  readonly customScaleFn: ((x: number) => number) | undefined;
  readonly cycleMomentum: boolean;
  readonly momentumKey: MomentumKey | null;
  readonly baseMomentums: number[];
  readonly maxMomentums: number[];

  constructor(optimizer: SchedulerOptimizer, options: CyclicLROptions) {
    checkOptions("CyclicLR", options, OPTION_NAMES);
    const {
      stepSizeUp = 2000, stepSizeDown = stepSizeUp, mode = "triangular", gamma = 1, scaleFn, cycleMomentum = true,
      baseMomentum = 0.8, maxMomentum = 0.9, lastEpoch = -1,
    } = options;
    const baseLrs = perGroup("baseLr", options.baseLr, optimizer, requireNonNegative);
    const maxLrs = perGroup("maxLr", options.maxLr, optimizer, requireNonNegative);
    requirePositive("stepSizeUp", stepSizeUp);
    requirePositive("stepSizeDown", stepSizeDown);
    if (scaleFn === undefined) requireOneOf("mode", mode, ["triangular", "triangular2", "exp_range"]);
    else if (typeof scaleFn !== "function") throw new RangeError(`Invalid scaleFn: ${String(scaleFn)} (must be a function)`);
    requireFinite("gamma", gamma);
    const scaleMode = scaleFn ? (options.scaleMode ?? "cycle") : mode === "exp_range" ? "iterations" : "cycle";
    requireOneOf("scaleMode", scaleMode, ["cycle", "iterations"]);
    requireBoolean("cycleMomentum", cycleMomentum);
    if (lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => (g.lr = baseLrs[i]!));
    const key = cycleMomentum ? momentumKey("CyclicLR", optimizer) : null;
    const baseMomentums = cycleMomentum ? perGroup("baseMomentum", baseMomentum, optimizer, requireNonNegative) : [];
    const maxMomentums = cycleMomentum ? perGroup("maxMomentum", maxMomentum, optimizer, requireNonNegative) : [];
    if (key && lastEpoch === -1) optimizer.paramGroups.forEach((g, i) => setMomentum(g, key, maxMomentums[i]!));
    if (key) planMomentum(optimizer);
    super(optimizer, lastEpoch);
    this.maxLrs = maxLrs;
    this.totalSize = stepSizeUp + stepSizeDown;
    this.stepRatio = stepSizeUp / this.totalSize;
    this.mode = mode;
    this.gamma = gamma;
    this.scaleMode = scaleMode;
    this.customScaleFn = scaleFn;
    this.cycleMomentum = cycleMomentum;
    this.momentumKey = key;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    // As torch: the initial step uses the groups' initialLr, later steps the baseLr option.
    this.initialStep();
    this.baseLrs = baseLrs;
  }

  scaleFn(x: number): number {
    if (this.customScaleFn) return this.customScaleFn(x);
    if (this.mode === "triangular") return 1;
    if (this.mode === "triangular2") return 1 / 2 ** (x - 1);
    return this.gamma ** x;
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    const cycle = Math.floor(1 + t / this.totalSize);
    const x = 1 + t / this.totalSize - cycle;
    const s = x <= this.stepRatio ? x / this.stepRatio : (x - 1) / (this.stepRatio - 1);
    const f = this.scaleFn(this.scaleMode === "cycle" ? cycle : t);
    const lrs = this.baseLrs.map((base, i) => base + (this.maxLrs[i]! - base) * s * f);
    if (this.momentumKey) {
      const key = this.momentumKey;
      this.optimizer.paramGroups.forEach((g, i) => {
        const max = this.maxMomentums[i]!;
        setMomentum(g, key, max - (max - this.baseMomentums[i]!) * s * f);
      });
    }
    return lrs;
  }
}
