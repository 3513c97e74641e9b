// Adam (torch.optim.Adam), with L2 weight decay, AMSGrad and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   m_t = β1 m_{t-1} + (1 − β1) g_t
//   v_t = β2 v_{t-1} + (1 − β2) g_t²
//   v̂_t = max(v̂_{t-1}, v_t) if amsgrad, else v_t
//   θ_t = θ_{t-1} − γ / (1 − β1^t) · m_t / (√v̂_t / √(1 − β2^t) + ε)
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput, type RunState } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface AdamOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
}

export class Adam extends Optimizer<AdamOptions> {
  override get kind(): string {
    return "Adam";
  }

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options);
  }

  protected validate(o: AdamOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("eps", o.eps);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("amsgrad", o.amsgrad);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(o: AdamOptions): readonly string[] {
    return o.amsgrad ? ["expAvg", "expAvgSq", "maxExpAvgSq"] : ["expAvg", "expAvgSq"];
  }

  protected updateGroup(group: ParamGroup<AdamOptions>, state: GroupState): void {
    const t = state.step + 1;
    const [beta1, beta2] = group.betas;
    const stepSize = group.lr / (1 - beta1 ** t);
    const invBc2Sqrt = 1 / Math.sqrt(1 - beta2 ** t);
    for (const r of state.runs) this.updateRun(r, group, stepSize, invBc2Sqrt);
  }

  /** One kernel call over a contiguous run of parameters. */
  protected updateRun(r: RunState, group: ParamGroup<AdamOptions>, stepSize: number, invBc2Sqrt: number): void {
    const { expAvg, expAvgSq, maxExpAvgSq } = r.buffers;
    const [beta1, beta2] = group.betas;
    this.engine.kernels.f32_adam(r.data.ptr, r.grad.ptr, expAvg!.ptr, expAvgSq!.ptr, maxExpAvgSq?.ptr ?? 0, r.run.length,
      beta1, beta2, 1 - beta1, 1 - beta2, group.eps, group.weightDecay, stepSize, invBc2Sqrt,
      group.maximize ? -1 : 1, group.amsgrad ? 1 : 0);
  }
}
