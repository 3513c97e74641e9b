// Adadelta (torch.optim.Adadelta), with a learning rate, weight decay and maximize:
//
//   g_t  = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   v_t  = ρ v_{t-1} + (1 − ρ) g_t²
//   Δx_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t
//   u_t  = ρ u_{t-1} + (1 − ρ) Δx_t²
//   θ_t  = θ_{t-1} − γ Δx_t
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireInRange, requireNonNegative } from "./validate.js";

export interface AdadeltaOptions {
  lr: number;
  rho: number;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export class Adadelta extends Optimizer<AdadeltaOptions> {
  override get kind(): string {
    return "Adadelta";
  }

  constructor(params: ParamsInput<AdadeltaOptions>, options: Partial<AdadeltaOptions> = {}) {
    super(params, { lr: 1, rho: 0.9, eps: 1e-6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdadeltaOptions): void {
    requireNonNegative("lr", o.lr);
    requireInRange("rho", o.rho, 0, 1, true);
    requireNonNegative("eps", o.eps);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["squareAvg", "accDelta"];
  }

  protected updateGroup(group: ParamGroup<AdadeltaOptions>, state: GroupState): void {
    for (const r of state.runs) {
      const { squareAvg, accDelta } = r.buffers;
      this.engine.kernels.f32_adadelta(r.data.ptr, r.grad.ptr, squareAvg!.ptr, accDelta!.ptr, r.run.length,
        group.lr, group.rho, 1 - group.rho, group.eps, group.weightDecay, group.maximize ? -1 : 1);
    }
  }
}
