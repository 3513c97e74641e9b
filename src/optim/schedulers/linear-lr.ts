// LinearLR: multiplies the lr by a factor that moves linearly from startFactor to endFactor over totalIters
// epochs (s = startFactor, e = endFactor, T = totalIters):
//
//   η_0 = η · s;   η_t = η_{t-1} · (1 + (e − s) / (T s + (t − 1)(e − s)))  for 0 < t ≤ T;   else η_{t-1}
//   (closed form: η_t = η_0 · (s + (e − s) · min(t, T) / T))
import { requireInRange, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface LinearLROptions {
  /** In (0, 1]; default 1/3. */
  startFactor?: number;
  /** In [0, 1]; default 1. */
  endFactor?: number;
  /** Default 5. */
  totalIters?: number;
  lastEpoch?: number;
}

export class LinearLR extends LRScheduler {
  override get kind(): string {
    return "LinearLR";
  }

  readonly startFactor: number;
  readonly endFactor: number;
  readonly totalIters: number;

  constructor(optimizer: SchedulerOptimizer, options: LinearLROptions = {}) {
    checkOptions("LinearLR", options, ["startFactor", "endFactor", "totalIters", "lastEpoch"]);
    const { startFactor = 1 / 3, endFactor = 1, totalIters = 5 } = options;
    requireInRange("startFactor", startFactor, 0, 1, true);
    if (startFactor === 0) throw new RangeError("Invalid startFactor: 0 (must be in (0, 1])");
    requireInRange("endFactor", endFactor, 0, 1, true);
    requireInteger("totalIters", totalIters, 1);
    super(optimizer, options.lastEpoch);
    this.startFactor = startFactor;
    this.endFactor = endFactor;
    this.totalIters = totalIters;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { startFactor: s, endFactor: e, totalIters: T, lastEpoch: t } = this;
    if (t === 0) return groups.map((g) => g.lr * s);
    if (t > T) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 + (e - s) / (T * s + (t - 1) * (e - s))));
  }

  protected closedFormLr(): number[] {
    const { startFactor: s, endFactor: e, totalIters: T } = this;
    return this.baseLrs.map((base) => base * (s + ((e - s) * Math.min(T, this.lastEpoch)) / T));
  }
}
