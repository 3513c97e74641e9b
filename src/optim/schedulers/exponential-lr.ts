// ExponentialLR: decays the lr by γ every epoch:
//
//   η_t = η_{t-1} · γ  (t > 0)      (closed form: η_t = η_0 · γ^t)
import { requireFinite } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface ExponentialLROptions {
  gamma: number;
  lastEpoch?: number;
}

export class ExponentialLR extends LRScheduler {
  override get kind(): string {
    return "ExponentialLR";
  }

  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, options: ExponentialLROptions) {
    checkOptions("ExponentialLR", options, ["gamma", "lastEpoch"]);
    requireFinite("gamma", options.gamma);
    super(optimizer, options.lastEpoch);
    this.gamma = options.gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected closedFormLr(): number[] {
    return this.baseLrs.map((base) => base * this.gamma ** this.lastEpoch);
  }
}
