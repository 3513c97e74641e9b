// Schedule-free AdamW (facebookresearch/schedule_free, schedulefree/adamw_schedulefree.py at 70785b5; the family's
// rule is in ./schedule-free.ts). Adam's normalized direction at y (no first moment unless innerMomentum > 0),
// with the weight decay at y:
//
//   v ← β2 v + (1 − β2) g²;   ĝ = g / (√(v / (1 − β2^t)) + ε) + λ y
//   (innerMomentum μ > 0:  m ← μ m + (1 − μ) g,  and m / (1 − μ^t) in place of g)
//   y ← lerp(y, z, c) + γ (β1 (1 − c) − 1) ĝ;   z ← z − γ ĝ
//
// Defaults as the reference: lr 0.0025, betas (0.9, 0.999), eps 1e-8.
import { type Betas, requireBetas } from "./betas.js";
import type { GroupState, ParamGroup, ParamsInput, RunState } from "./optimizer.js";
import { ScheduleFree, type ScheduleFreeCommon, type StepScalars } from "./schedule-free.js";
import { requireInRange, requireNonNegative } from "./validate.js";

export interface AdamWScheduleFreeOptions extends ScheduleFreeCommon {
  betas: Betas;
  eps: number;
  innerMomentum: number;
}

export class AdamWScheduleFree extends ScheduleFree<AdamWScheduleFreeOptions> {
  override get kind(): string {
    return "AdamWScheduleFree";
  }

  constructor(params: ParamsInput<AdamWScheduleFreeOptions>, options: Partial<AdamWScheduleFreeOptions> = {}) {
    super(params, {
      lr: 0.0025, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2, innerMomentum: 0,
    }, options);
  }

  protected validate(o: AdamWScheduleFreeOptions): void {
    this.validateCommon(o);
    requireBetas(o.betas);
    if (o.betas[0] === 0) throw new RangeError("Invalid betas[0]: 0 (must be > 0: eval() divides by it)");
    requireNonNegative("eps", o.eps);
    requireInRange("innerMomentum", o.innerMomentum, 0, 1);
  }

  protected stateBuffers(o: AdamWScheduleFreeOptions): readonly string[] {
    return o.innerMomentum !== 0 ? ["z", "expAvgSq", "expAvg"] : ["z", "expAvgSq"];
  }

  protected beta(o: AdamWScheduleFreeOptions): number {
    return o.betas[0];
  }

  protected updateRun(group: ParamGroup<AdamWScheduleFreeOptions>, _state: GroupState, r: RunState, s: StepScalars): void {
    const [, beta2] = group.betas;
    const mu = group.innerMomentum;
    const { z, expAvgSq, expAvg } = r.buffers;
    if (mu !== 0 && !expAvg) throw new Error(`${this.kind}: innerMomentum was set to ${mu} after construction without it`);
    this.engine.kernels.f32_adamw_schedule_free(r.data.ptr, r.grad.ptr, z!.ptr, expAvgSq!.ptr, expAvg?.ptr ?? 0, r.run.length,
      beta2, 1 - beta2, 1 - beta2 ** s.t, group.eps, mu, 1 - mu, mu !== 0 ? 1 / (1 - mu ** s.t) : 1,
      s.ckp1, 1 - s.ckp1, s.yStep, s.lr, group.weightDecay);
  }
}
