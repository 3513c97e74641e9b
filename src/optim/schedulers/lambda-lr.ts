// LambdaLR: the lr of group i is its initial lr times a function of the epoch:
//
//   η_t = η_0 · λ_i(t)
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";
import { perGroupFunctions } from "./options.js";

export type LrLambda = (epoch: number) => number;

export interface LambdaLROptions {
  /** One function for every group, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  lastEpoch?: number;
}

export class LambdaLR extends LRScheduler {
  override get kind(): string {
    return "LambdaLR";
  }

  readonly lrLambdas: LrLambda[];

  constructor(optimizer: SchedulerOptimizer, options: LambdaLROptions) {
    checkOptions("LambdaLR", options, ["lrLambda", "lastEpoch"]);
    super(optimizer, options.lastEpoch);
    this.lrLambdas = perGroupFunctions("lrLambda", options.lrLambda, optimizer);
    this.initialStep();
  }

  protected getLr(): number[] {
    return this.baseLrs.map((base, i) => base * this.lrLambdas[i]!(this.lastEpoch));
  }
}
