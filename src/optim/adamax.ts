// Adamax (torch.optim.Adamax): Adam with the infinity norm in place of the second moment:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   m_t = β1 m_{t-1} + (1 − β1) g_t
//   u_t = max(β2 u_{t-1}, |g_t| + ε)
//   θ_t = θ_{t-1} − γ / (1 − β1^t) · m_t / u_t
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface AdamaxOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
  maximize: boolean;
}

export class Adamax extends Optimizer<AdamaxOptions> {
  override get kind(): string {
    return "Adamax";
  }

  constructor(params: ParamsInput<AdamaxOptions>, options: Partial<AdamaxOptions> = {}) {
    super(params, { lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: AdamaxOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("eps", o.eps);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["expAvg", "expInf"];
  }

  protected updateGroup(group: ParamGroup<AdamaxOptions>, state: GroupState): void {
    const [beta1, beta2] = group.betas;
    const stepSize = group.lr / (1 - beta1 ** (state.step + 1));
    for (const r of state.runs) {
      this.engine.kernels.f32_adamax(r.data.ptr, r.grad.ptr, r.buffers.expAvg!.ptr, r.buffers.expInf!.ptr, r.run.length,
        beta1, beta2, 1 - beta1, group.eps, group.weightDecay, stepSize, group.maximize ? -1 : 1);
    }
  }
}
