// PolynomialLR: decays the lr polynomially to 0 over totalIters epochs (T = totalIters, p = power):
//
//   η_t = η_{t-1} · ((1 − t/T) / (1 − (t − 1)/T))^p   for 0 < t ≤ T;   else η_{t-1}
//   (closed form: η_t = η_0 · (1 − min(t, T)/T)^p)
import { requireFinite, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface PolynomialLROptions {
  /** Default 5. */
  totalIters?: number;
  /** Default 1. */
  power?: number;
  lastEpoch?: number;
}

export class PolynomialLR extends LRScheduler {
  override get kind(): string {
    return "PolynomialLR";
  }

  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: SchedulerOptimizer, options: PolynomialLROptions = {}) {
    checkOptions("PolynomialLR", options, ["totalIters", "power", "lastEpoch"]);
    const { totalIters = 5, power = 1 } = options;
    requireInteger("totalIters", totalIters, 1);
    requireFinite("power", power);
    super(optimizer, options.lastEpoch);
    this.totalIters = totalIters;
    this.power = power;
    this.initialStep();
  }

  protected getLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const { totalIters: T, lastEpoch: t } = this;
    if (t === 0 || t > T) return groups.map((g) => g.lr);
    const decay = ((1 - t / T) / (1 - (t - 1) / T)) ** this.power;
    return groups.map((g) => g.lr * decay);
  }

  protected closedFormLr(): number[] {
    const T = this.totalIters;
    return this.baseLrs.map((base) => base * (1 - Math.min(T, this.lastEpoch) / T) ** this.power);
  }
}
