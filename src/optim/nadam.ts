// NAdam (torch.optim.NAdam, PyTorch 2.x): Adam with Nesterov momentum (Dozat, 2016), ψ the momentum decay:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  θ_{t-1} = θ_{t-1} (1 − γ λ)  if decoupledWeightDecay,  else  g_t = g_t + λ θ_{t-1}
//   μ_t = β1 (1 − ½ 0.96^{t ψ}),   μ_{t+1} = β1 (1 − ½ 0.96^{(t+1) ψ})
//   m_t = β1 m_{t-1} + (1 − β1) g_t
//   v_t = β2 v_{t-1} + (1 − β2) g_t²
//   θ_t = θ_{t-1} − γ [ (1 − μ_t) g_t / (1 − Π_{i≤t} μ_i) + μ_{t+1} m_t / (1 − Π_{i≤t+1} μ_i) ]
//                     / (√(v_t / (1 − β2^t)) + ε)
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface NAdamOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
  momentumDecay: number;
  decoupledWeightDecay: boolean;
  maximize: boolean;
}

export class NAdam extends Optimizer<NAdamOptions> {
  override get kind(): string {
    return "NAdam";
  }

  constructor(params: ParamsInput<NAdamOptions>, options: Partial<NAdamOptions> = {}) {
    super(params, {
      lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false,
      maximize: false,
    }, options);
  }

  protected validate(o: NAdamOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("eps", o.eps);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
    requireNonNegative("momentumDecay", o.momentumDecay);
    requireBoolean("decoupledWeightDecay", o.decoupledWeightDecay);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["expAvg", "expAvgSq"];
  }

  protected updateGroup(group: ParamGroup<NAdamOptions>, state: GroupState): void {
    const t = state.step + 1;
    const { lr, weightDecay, momentumDecay } = group;
    const [beta1, beta2] = group.betas;
    const mu = beta1 * (1 - 0.5 * 0.96 ** (t * momentumDecay));
    const muNext = beta1 * (1 - 0.5 * 0.96 ** ((t + 1) * momentumDecay));
    // Π μ_i is kept in float32, as torch keeps it in a float32 tensor (state['mu_product']).
    const muProduct = Math.fround((state.scalars.muProduct ?? 1) * Math.fround(mu));
    state.scalars.muProduct = muProduct;
    const gradCoef = (-lr * (1 - mu)) / (1 - muProduct);
    const avgCoef = (-lr * muNext) / (1 - muProduct * muNext);
    const l2 = group.decoupledWeightDecay ? 0 : weightDecay;
    const decay = group.decoupledWeightDecay ? 1 - lr * weightDecay : 1;
    const bc2 = 1 - beta2 ** t; // the kernel divides v by bc2 itself (Adam's kernel takes invBc2Sqrt = 1 / √bc2)
    for (const r of state.runs) {
      this.engine.kernels.f32_nadam(r.data.ptr, r.grad.ptr, r.buffers.expAvg!.ptr, r.buffers.expAvgSq!.ptr, r.run.length,
        beta1, beta2, 1 - beta1, 1 - beta2, group.eps, l2, decay, bc2, gradCoef, avgCoef, group.maximize ? -1 : 1);
    }
  }
}
