// ConstantLR: multiplies the lr by a constant factor until epoch `totalIters`, then restores it:
//
//   η_0 = η · factor;   η_t = η_{t-1} / factor at t = totalIters;   else η_t = η_{t-1}
//   (closed form: η_t = η_0 · (factor if t < totalIters else 1))
import { requireInRange, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface ConstantLROptions {
  /** In (0, 1]; default 1/3. */
  factor?: number;
  /** Default 5. */
  totalIters?: number;
  lastEpoch?: number;
}

export class ConstantLR extends LRScheduler {
  override get kind(): string {
    return "ConstantLR";
  }

  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulerOptimizer, options: ConstantLROptions = {}) {
    checkOptions("ConstantLR", options, ["factor", "totalIters", "lastEpoch"]);
    const { factor = 1 / 3, totalIters = 5 } = options;
    requireInRange("factor", factor, 0, 1, true);
    if (factor === 0) throw new RangeError("Invalid factor: 0 (must be in (0, 1]: the lr is divided by it at totalIters)");
    requireInteger("totalIters", totalIters, 0);
    super(optimizer, options.lastEpoch);
    this.factor = factor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 / this.factor));
  }

  protected closedFormLr(): number[] {
    const after = this.lastEpoch >= this.totalIters ? 1 : 0;
    return this.baseLrs.map((base) => base * (this.factor + after * (1 - this.factor)));
  }
}
