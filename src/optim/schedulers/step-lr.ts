// StepLR: decays the lr by γ every `stepSize` epochs:
//
//   η_t = η_{t-1} · γ   when t > 0 and t mod stepSize = 0, else η_{t-1}
//   (closed form: η_t = η_0 · γ^⌊t / stepSize⌋)
import { requireFinite, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface StepLROptions {
  stepSize: number;
  /** Default 0.1. */
  gamma?: number;
  lastEpoch?: number;
}

export class StepLR extends LRScheduler {
  override get kind(): string {
    return "StepLR";
  }

  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, options: StepLROptions) {
    checkOptions("StepLR", options, ["stepSize", "gamma", "lastEpoch"]);
    const { stepSize, gamma = 0.1 } = options;
    requireInteger("stepSize", stepSize, 1);
    requireFinite("gamma", gamma);
    super(optimizer, options.lastEpoch);
    this.stepSize = stepSize;
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
