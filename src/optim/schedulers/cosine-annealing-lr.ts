// CosineAnnealingLR, in torch's recursive form (η_max = the initial lr, T = tMax):
//
//   η_t = η_min + (η_max − η_min)(1 + cos(π t / T)) / 2                       (first step when resuming, t > 0)
//   η_t = η_{t-1} + (η_max − η_min)(1 − cos(π / T)) / 2                        when (t − 1 − T) mod 2T = 0
//   η_t = (1 + cos(π t / T)) / (1 + cos(π (t − 1) / T)) · (η_{t-1} − η_min) + η_min      otherwise (t > 0)
//
// Alone, it follows the closed form η_t = η_min + (η_max − η_min)(1 + cos(π t / T)) / 2, rising again after T.
import { requireFinite, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface CosineAnnealingLROptions {
  tMax: number;
  /** Default 0. */
  etaMin?: number;
  lastEpoch?: number;
}

export class CosineAnnealingLR extends LRScheduler {
  override get kind(): string {
    return "CosineAnnealingLR";
  }

  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: SchedulerOptimizer, options: CosineAnnealingLROptions) {
    checkOptions("CosineAnnealingLR", options, ["tMax", "etaMin", "lastEpoch"]);
    const { tMax, etaMin = 0 } = options;
    requireInteger("tMax", tMax, 1);
    requireFinite("etaMin", etaMin);
    super(optimizer, options.lastEpoch);
    this.tMax = tMax;
    this.etaMin = etaMin;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { tMax: T, etaMin, lastEpoch: t } = this;
    if (t === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && t > 0) {
      return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((t * Math.PI) / T))) / 2);
    }
    if ((t - 1 - T) % (2 * T) === 0) {
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - etaMin) * (1 - Math.cos(Math.PI / T))) / 2);
    }
    return groups.map(
      (g) => ((1 + Math.cos((Math.PI * t) / T)) / (1 + Math.cos((Math.PI * (t - 1)) / T))) * (g.lr - etaMin) + etaMin,
    );
  }

  protected closedFormLr(): number[] {
    const { tMax: T, etaMin } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / T))) / 2);
  }
}
