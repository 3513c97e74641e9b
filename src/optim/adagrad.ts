// Adagrad (torch.optim.Adagrad), with learning-rate decay, weight decay and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   γ̃ = γ / (1 + (t − 1) η)                      (η: lrDecay)
//   s_t = s_{t-1} + g_t²                          (s_0 = initialAccumulatorValue)
//   θ_t = θ_{t-1} − γ̃ g_t / (√s_t + ε)
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface AdagradOptions {
  lr: number;
  lrDecay: number;
  weightDecay: number;
  initialAccumulatorValue: number;
  eps: number;
  maximize: boolean;
}

export class Adagrad extends Optimizer<AdagradOptions> {
  override get kind(): string {
    return "Adagrad";
  }

  constructor(params: ParamsInput<AdagradOptions>, options: Partial<AdagradOptions> = {}) {
    super(params, { lr: 1e-2, lrDecay: 0, weightDecay: 0, initialAccumulatorValue: 0, eps: 1e-10, maximize: false }, options);
  }

  protected validate(o: AdagradOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("lrDecay", o.lrDecay);
    requireNonNegative("weightDecay", o.weightDecay);
    requireNonNegative("initialAccumulatorValue", o.initialAccumulatorValue);
    requireNonNegative("eps", o.eps);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["sum"];
  }

  protected updateGroup(group: ParamGroup<AdagradOptions>, state: GroupState): void {
    const clr = group.lr / (1 + state.step * group.lrDecay);
    for (const r of state.runs) {
      const sum = r.buffers.sum!;
      if (state.step === 0) sum.array.fill(group.initialAccumulatorValue);
      this.engine.kernels.f32_adagrad(r.data.ptr, r.grad.ptr, sum.ptr, r.run.length, clr, group.eps, group.weightDecay,
        group.maximize ? -1 : 1);
    }
  }
}
