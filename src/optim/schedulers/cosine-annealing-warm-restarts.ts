// CosineAnnealingWarmRestarts (SGDR): cosine annealing restarted every T_i epochs, T_0 = t0, T_{i+1} = tMult · T_i:
//
//   η_t = η_min + (η_max − η_min)(1 + cos(π T_cur / T_i)) / 2
//   step():       T_cur = T_cur + 1;  if T_cur ≥ T_i:  T_cur = T_cur − T_i,  T_i = tMult · T_i
//   stepTo(e):    T_cur = e mod t0 (tMult = 1), or with n = ⌊log_tMult(e (tMult − 1) / t0 + 1)⌋:
//                 T_cur = e − t0 (tMult^n − 1) / (tMult − 1),  T_i = t0 · tMult^n     (e may be fractional)
import { requireFinite, requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";

export interface CosineAnnealingWarmRestartsOptions {
  /** Epochs until the first restart. */
  t0: number;
  /** Factor of the period after each restart; default 1. */
  tMult?: number;
  /** Default 0. */
  etaMin?: number;
  lastEpoch?: number;
}

export class CosineAnnealingWarmRestarts extends LRScheduler {
  override get kind(): string {
    return "CosineAnnealingWarmRestarts";
  }

  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** The current period T_i, and the epochs since the last restart T_cur. */
  tI: number;
  tCur: number;

  constructor(optimizer: SchedulerOptimizer, options: CosineAnnealingWarmRestartsOptions) {
    checkOptions("CosineAnnealingWarmRestarts", options, ["t0", "tMult", "etaMin", "lastEpoch"]);
    const { t0, tMult = 1, etaMin = 0, lastEpoch = -1 } = options;
    requireInteger("t0", t0, 1);
    requireInteger("tMult", tMult, 1);
    requireFinite("etaMin", etaMin);
    super(optimizer, lastEpoch);
    this.t0 = t0;
    this.tI = t0;
    this.tMult = tMult;
    this.etaMin = etaMin;
    this.tCur = lastEpoch;
    this.initialStep();
  }

  protected getLr(): number[] {
    const { etaMin, tCur, tI } = this;
    return this.baseLrs.map((base) => etaMin + ((base - etaMin) * (1 + Math.cos((Math.PI * tCur) / tI))) / 2);
  }

  step(): void {
    if (this.lastEpoch < 0) return this.stepTo(0);
    this.tCur = this.tCur + 1;
    if (this.tCur >= this.tI) {
      this.tCur = this.tCur - this.tI;
      this.tI = this.tI * this.tMult;
    }
    this.lastEpoch = this.lastEpoch + 1;
    this.apply(this.getLr());
  }

  /** Moves to `epoch`, which may be fractional (e.g. epoch + batch / batchesPerEpoch). */
  stepTo(epoch: number): void {
    if (!Number.isFinite(epoch) || epoch < 0) throw new RangeError(`Invalid epoch: ${epoch} (must be >= 0)`);
    const { t0, tMult } = this;
    if (epoch >= t0) {
      if (tMult === 1) {
        this.tCur = epoch % t0;
      } else {
        const n = Math.trunc(Math.log((epoch / t0) * (tMult - 1) + 1) / Math.log(tMult));
        this.tCur = epoch - (t0 * (tMult ** n - 1)) / (tMult - 1);
        this.tI = t0 * tMult ** n;
      }
    } else {
      this.tI = t0;
      this.tCur = epoch;
    }
    this.lastEpoch = Math.floor(epoch);
    this.apply(this.getLr());
  }
}
