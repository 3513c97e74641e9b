// RAdam (torch.optim.RAdam, PyTorch 2.x): Adam with a rectified adaptive learning rate (Liu et al., 2020):
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  θ_{t-1} = θ_{t-1} (1 − γ λ)  if decoupledWeightDecay,  else  g_t = g_t + λ θ_{t-1}
//   m_t = β1 m_{t-1} + (1 − β1) g_t
//   v_t = β2 v_{t-1} + (1 − β2) g_t²
//   m̂_t = m_t / (1 − β1^t)
//   ρ_∞ = 2 / (1 − β2) − 1,   ρ_t = ρ_∞ − 2 t β2^t / (1 − β2^t)
//   if ρ_t > 5:  r_t = √((ρ_t − 4)(ρ_t − 2) ρ_∞ / ((ρ_∞ − 4)(ρ_∞ − 2) ρ_t))
//                θ_t = θ_{t-1} − γ m̂_t r_t √(1 − β2^t) / (√v_t + ε)
//   else:        θ_t = θ_{t-1} − γ m̂_t
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface RAdamOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export class RAdam extends Optimizer<RAdamOptions> {
  override get kind(): string {
    return "RAdam";
  }

  constructor(params: ParamsInput<RAdamOptions>, options: Partial<RAdamOptions> = {}) {
    super(params, {
      lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
    }, options);
  }

  protected validate(o: RAdamOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("eps", o.eps);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("decoupledWeightDecay", o.decoupledWeightDecay);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["expAvg", "expAvgSq"];
  }

  protected updateGroup(group: ParamGroup<RAdamOptions>, state: GroupState): void {
    const t = state.step + 1;
    const { lr, weightDecay } = group;
    const [beta1, beta2] = group.betas;
    const bc1 = 1 - beta1 ** t;
    const bc2 = 1 - beta2 ** t;
    const rhoInf = 2 / (1 - beta2) - 1;
    const rhoT = rhoInf - (2 * t * beta2 ** t) / bc2;
    const rectified = rhoT > 5;
    const rect = rectified ? Math.sqrt(((rhoT - 4) * (rhoT - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rhoT)) : 0;
    const stepSize = rectified ? (lr * rect * Math.sqrt(bc2)) / bc1 : lr / bc1;
    const l2 = group.decoupledWeightDecay ? 0 : weightDecay;
    const decay = group.decoupledWeightDecay ? 1 - lr * weightDecay : 1;
    for (const r of state.runs) {
      this.engine.kernels.f32_radam(r.data.ptr, r.grad.ptr, r.buffers.expAvg!.ptr, r.buffers.expAvgSq!.ptr, r.run.length,
        beta1, beta2, 1 - beta1, 1 - beta2, group.eps, l2, decay, stepSize, rectified ? 1 : 0, group.maximize ? -1 : 1);
    }
  }
}
