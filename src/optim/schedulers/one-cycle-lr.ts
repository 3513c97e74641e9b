// OneCycleLR (Smith & Topin, "Super-Convergence"), stepped after every batch, for totalSteps steps (N):
//
//   η_initial = maxLr / divFactor,   η_min = η_initial / finalDivFactor
//   two phases (default):  steps 0 … pN − 1:  η_initial → maxLr,   momentum maxMomentum → baseMomentum
//                          … N − 1:           maxLr → η_min,       momentum baseMomentum → maxMomentum
//   threePhase:            steps 0 … pN − 1:  η_initial → maxLr;   … 2pN − 2: maxLr → η_initial;  … N − 1: → η_min
//                          (momentum: max → base → max, then constant at maxMomentum)
//   (p = pctStart). Within a phase from step a to step b, with q = (t − a) / (b − a):
//   'cos':     v = end + (start − end) / 2 · (cos(π q) + 1)
//   'linear':  v = (end − start) · q + start
// Momentum (or beta1, for optimizers with betas) follows the same interpolation between its boundaries.
import { requireBoolean, requireInteger, requireNonNegative, requirePositive, requireInRange } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { momentumKey, planMomentum, setMomentum, type MomentumKey } from "./momentum.js";
import { checkOptions } from "../../engine/options.js";
import { perGroup, requireOneOf } from "./options.js";

export type AnnealStrategy = "cos" | "linear";

export interface OneCycleLROptions {
  /** Peak lr, per group or shared. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent raising the lr; default 0.3. */
  pctStart?: number;
  /** Default 'cos'. */
  annealStrategy?: AnnealStrategy;
  /** Default true. */
  cycleMomentum?: boolean;
  /** Default 0.85. */
  baseMomentum?: number | readonly number[];
  /** Default 0.95. */
  maxMomentum?: number | readonly number[];
  /** initialLr = maxLr / divFactor; default 25. */
  divFactor?: number;
  /** minLr = initialLr / finalDivFactor; default 1e4. */
  finalDivFactor?: number;
  /** Default false. */
  threePhase?: boolean;
  lastEpoch?: number;
}

type Boundary = "initial" | "max" | "min";
interface Phase {
  endStep: number;
  startLr: Boundary;
  endLr: Boundary;
  startMomentum: "max" | "base";
  endMomentum: "max" | "base";
}

const OPTION_NAMES = ["maxLr", "totalSteps", "epochs", "stepsPerEpoch", "pctStart", "annealStrategy", "cycleMomentum",
  "baseMomentum", "maxMomentum", "divFactor", "finalDivFactor", "threePhase", "lastEpoch"];

export class OneCycleLR extends LRScheduler {
  override get kind(): string {
    return "OneCycleLR";
  }

  readonly totalSteps: number;
  readonly phases: Phase[];
  readonly annealStrategy: AnnealStrategy;
  readonly maxLrs: number[];
  readonly minLrs: number[];
  readonly cycleMomentum: boolean;
  readonly momentumKey: MomentumKey | null;
  readonly baseMomentums: number[];
  readonly maxMomentums: number[];

  constructor(optimizer: SchedulerOptimizer, options: OneCycleLROptions) {
    checkOptions("OneCycleLR", options, OPTION_NAMES);
    const {
      pctStart = 0.3, annealStrategy = "cos", cycleMomentum = true, baseMomentum = 0.85, maxMomentum = 0.95,
      divFactor = 25, finalDivFactor = 1e4, threePhase = false, lastEpoch = -1,
    } = options;
    const totalSteps = resolveTotalSteps(options);
    requireInRange("pctStart", pctStart, 0, 1, true);
    requireOneOf("annealStrategy", annealStrategy, ["cos", "linear"]);
    requireBoolean("cycleMomentum", cycleMomentum);
    requirePositive("divFactor", divFactor);
    requirePositive("finalDivFactor", finalDivFactor);
    requireBoolean("threePhase", threePhase);
    const maxLrs = perGroup("maxLr", options.maxLr, optimizer, requireNonNegative);
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) groups.forEach((g, i) => (g.initialLr = maxLrs[i]! / divFactor));
    const key = cycleMomentum ? momentumKey("OneCycleLR", optimizer) : null;
    const maxMomentums = cycleMomentum ? perGroup("maxMomentum", maxMomentum, optimizer, requireNonNegative) : [];
    const baseMomentums = cycleMomentum ? perGroup("baseMomentum", baseMomentum, optimizer, requireNonNegative) : [];
    if (key && lastEpoch === -1) groups.forEach((g, i) => setMomentum(g, key, maxMomentums[i]!));
    if (key) planMomentum(optimizer);
    super(optimizer, lastEpoch);
    this.totalSteps = totalSteps;
    this.phases = threePhase
      ? [
          { endStep: pctStart * totalSteps - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
          { endStep: 2 * pctStart * totalSteps - 2, startLr: "max", endLr: "initial", startMomentum: "base", endMomentum: "max" },
          { endStep: totalSteps - 1, startLr: "initial", endLr: "min", startMomentum: "max", endMomentum: "max" },
        ]
      : [
          { endStep: pctStart * totalSteps - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
          { endStep: totalSteps - 1, startLr: "max", endLr: "min", startMomentum: "base", endMomentum: "max" },
        ];
    this.annealStrategy = annealStrategy;
    this.maxLrs = maxLrs;
    this.minLrs = this.baseLrs.map((initial) => initial / finalDivFactor);
    this.cycleMomentum = cycleMomentum;
    this.momentumKey = key;
    this.baseMomentums = baseMomentums;
    this.maxMomentums = maxMomentums;
    this.initialStep();
  }

  private anneal(start: number, end: number, pct: number): number {
    if (this.annealStrategy === "linear") return (end - start) * pct + start;
    return end + ((start - end) / 2) * (Math.cos(Math.PI * pct) + 1);
  }

  protected getLr(): number[] {
    const t = this.lastEpoch;
    if (t > this.totalSteps) {
      throw new Error(`OneCycleLR: tried to step ${t + 1} times, but totalSteps is ${this.totalSteps}`);
    }
    let start = 0;
    let phase = this.phases[this.phases.length - 1]!;
    for (const p of this.phases) {
      if (t <= p.endStep || p === phase) {
        phase = p;
        break;
      }
      start = p.endStep;
    }
    const pct = (t - start) / (phase.endStep - start);
    return this.optimizer.paramGroups.map((g, i) => {
      const lr = { initial: this.baseLrs[i]!, max: this.maxLrs[i]!, min: this.minLrs[i]! };
      if (this.momentumKey) {
        const m = { max: this.maxMomentums[i]!, base: this.baseMomentums[i]! };
        setMomentum(g, this.momentumKey, this.anneal(m[phase.startMomentum], m[phase.endMomentum], pct));
      }
      return this.anneal(lr[phase.startLr], lr[phase.endLr], pct);
    });
  }
}

function resolveTotalSteps(o: OneCycleLROptions): number {
  if (o.totalSteps !== undefined) {
    requireInteger("totalSteps", o.totalSteps, 1);
    return o.totalSteps;
  }
  if (o.epochs === undefined && o.stepsPerEpoch === undefined) {
    throw new RangeError("OneCycleLR: give totalSteps, or epochs and stepsPerEpoch");
  }
  requireInteger("epochs", o.epochs, 1);
  requireInteger("stepsPerEpoch", o.stepsPerEpoch, 1);
  return o.epochs * o.stepsPerEpoch;
}
