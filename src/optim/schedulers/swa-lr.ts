// SWALR (torch.optim.swa_utils.SWALR, torch/optim/swa_utils.py): anneals each group's lr from where it is to
// swaLr over annealEpochs steps, then holds it, for the averaging phase of SWA. With t = clamp(step / max(1, E), 0, 1)
// and α(t) = (1 − cos πt) / 2 ('cos') or t ('linear'), torch's chainable form is
//
//   lr_prev = (lr − α(t_prev) swaLr) / (1 − α(t_prev))   (swaLr when α(t_prev) = 1)
//   lr      = swaLr α(t) + lr_prev (1 − α(t))            (step = steps taken before this one; t_prev at step − 1)
import { checkOptions } from "../../engine/options.js";
import { requireInteger, requireNonNegative } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer } from "./lr-scheduler.js";

export interface SWALROptions {
  /** The lr to anneal to: one number for every group, or one per group. */
  swaLr: number | number[];
  /** Default 10. */
  annealEpochs?: number;
  /** 'cos' (default) or 'linear'. */
  annealStrategy?: "cos" | "linear";
  lastEpoch?: number;
}

export class SWALR extends LRScheduler {
  override get kind(): string {
    return "SWALR";
  }

  readonly swaLrs: number[];
  readonly annealEpochs: number;
  readonly annealStrategy: "cos" | "linear";

  constructor(optimizer: SchedulerOptimizer, options: SWALROptions) {
    checkOptions("SWALR", options, ["swaLr", "annealEpochs", "annealStrategy", "lastEpoch"]);
    const { swaLr, annealEpochs = 10, annealStrategy = "cos" } = options ?? ({} as SWALROptions);
    const groups = optimizer.paramGroups.length;
    const swaLrs = Array.isArray(swaLr) ? [...swaLr] : Array.from({ length: groups }, () => swaLr);
    if (swaLrs.length !== groups) throw new RangeError(`SWALR: swaLr has ${swaLrs.length} values, the optimizer ${groups} parameter groups`);
    swaLrs.forEach((v, i) => requireNonNegative(Array.isArray(swaLr) ? `swaLr[${i}]` : "swaLr", v));
    requireInteger("annealEpochs", annealEpochs, 0);
    if (annealStrategy !== "cos" && annealStrategy !== "linear") {
      throw new RangeError(`Invalid annealStrategy: ${JSON.stringify(annealStrategy)} (must be 'cos' or 'linear')`);
    }
    super(optimizer, options.lastEpoch);
    this.swaLrs = swaLrs;
    this.annealEpochs = annealEpochs;
    this.annealStrategy = annealStrategy;
    this.initialStep();
  }

  private anneal(t: number): number {
    return this.annealStrategy === "cos" ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  protected getLr(): number[] {
    let step = this.stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.annealEpochs);
    const prevAlpha = this.anneal(Math.max(0, Math.min(1, (step - 1) / span)));
    const alpha = this.anneal(Math.max(0, Math.min(1, step / span)));
    return this.optimizer.paramGroups.map((g, i) => {
      const swaLr = this.swaLrs[i]!;
      const prev = prevAlpha === 1 ? swaLr : (g.lr - prevAlpha * swaLr) / (1 - prevAlpha);
      return swaLr * alpha + prev * (1 - alpha);
    });
  }
}
