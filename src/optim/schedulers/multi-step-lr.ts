// MultiStepLR: decays the lr by γ at each milestone (by γ^k at a milestone listed k times):
//
//   η_t = η_{t-1} · γ^count(t ∈ milestones)
//   (closed form: η_t = η_0 · γ^#{milestones ≤ t})
import { requireFinite, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface MultiStepLROptions {
  /** Epoch indices; a milestone listed twice decays twice. */
  milestones: readonly number[];
  /** Default 0.1. */
  gamma?: number;
  lastEpoch?: number;
}

export class MultiStepLR extends LRScheduler {
  override get kind(): string {
    return "MultiStepLR";
  }

  readonly milestones: number[];
  readonly gamma: number;

  constructor(optimizer: SchedulerOptimizer, options: MultiStepLROptions) {
    checkOptions("MultiStepLR", options, ["milestones", "gamma", "lastEpoch"]);
    const { milestones, gamma = 0.1 } = options;
    if (!Array.isArray(milestones)) throw new RangeError(`Invalid milestones: ${String(milestones)} (must be a list of epochs)`);
    milestones.forEach((m, i) => requireInteger(`milestones[${i}]`, m, 0));
    requireFinite("gamma", gamma);
    super(optimizer, options.lastEpoch);
    this.milestones = [...milestones].sort((a, b) => a - b);
    this.gamma = gamma;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.milestones.filter((m) => m === this.lastEpoch).length;
    if (count === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected closedFormLr(): number[] {
    const passed = this.milestones.filter((m) => m <= this.lastEpoch).length;
    return this.baseLrs.map((base) => base * this.gamma ** passed);
  }
}
