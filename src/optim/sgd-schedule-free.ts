// Schedule-free SGD (facebookresearch/schedule_free, schedulefree/sgd_schedulefree.py; the family's rule is in
// ./schedule-free.ts). The SGD direction at y, with an L2 penalty there:
//
//   ĝ = ∇f(y) + λ y;   y ← lerp(y, z, c) + γ (β (1 − c) − 1) ĝ;   z ← z − γ ĝ      (β = momentum)
//
// Defaults as the reference: lr 1 (it is a step size for z, which x averages: larger than SGD's), momentum 0.9.
import type { GroupState, ParamGroup, ParamsInput, RunState } from "./optimizer.js";
import { ScheduleFree, type ScheduleFreeCommon, type StepScalars } from "./schedule-free.js";
import { requireFinite } from "./validate.js";

export interface SGDScheduleFreeOptions extends ScheduleFreeCommon {
  momentum: number;
}

export class SGDScheduleFree extends ScheduleFree<SGDScheduleFreeOptions> {
  override get kind(): string {
    return "SGDScheduleFree";
  }

  constructor(params: ParamsInput<SGDScheduleFreeOptions>, options: Partial<SGDScheduleFreeOptions> = {}) {
    super(params, { lr: 1, momentum: 0.9, weightDecay: 0, warmupSteps: 0, r: 0, weightLrPower: 2 }, options);
  }

  protected validate(o: SGDScheduleFreeOptions): void {
    this.validateCommon(o);
    requireFinite("momentum", o.momentum);
    if (o.momentum <= 0 || o.momentum >= 1) throw new RangeError(`Invalid momentum: ${o.momentum} (must be in (0, 1), exclusive)`);
  }

  protected stateBuffers(): readonly string[] {
    return ["z"];
  }

  protected beta(o: SGDScheduleFreeOptions): number {
    return o.momentum;
  }

  protected updateRun(group: ParamGroup<SGDScheduleFreeOptions>, _state: GroupState, r: RunState, s: StepScalars): void {
    this.engine.kernels.f32_sgd_schedule_free(r.data.ptr, r.grad.ptr, r.buffers.z!.ptr, r.run.length,
      s.ckp1, 1 - s.ckp1, s.yStep, s.lr, group.weightDecay);
  }
}
