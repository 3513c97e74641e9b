// MultiplicativeLR: each step multiplies the lr of group i by a function of the epoch:
//
//   η_t = η_{t-1} · λ_i(t)   (t > 0);   η_0 unchanged
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import type { LrLambda } from "./lambda-lr.js";
import { checkOptions } from "../../engine/options.js";
import { perGroupFunctions } from "./options.js";

export interface MultiplicativeLROptions {
  /** One function for every group, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  lastEpoch?: number;
}

export class MultiplicativeLR extends LRScheduler {
  override get kind(): string {
    return "MultiplicativeLR";
  }

  readonly lrLambdas: LrLambda[];

  constructor(optimizer: SchedulerOptimizer, options: MultiplicativeLROptions) {
    checkOptions("MultiplicativeLR", options, ["lrLambda", "lastEpoch"]);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = perGroupFunctions("lrLambda", options.lrLambda, optimizer);
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch > 0) return groups.map((g, i) => g.lr * this.lrLambdas[i]!(this.lastEpoch));
    return groups.map((g) => g.lr);
  }
}
