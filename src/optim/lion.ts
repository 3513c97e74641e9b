// Lion (Chen et al., 2023, "Symbolic Discovery of Optimization Algorithms"; as optax.lion). Not in torch.optim.
//
//   g_t = ∇f(θ_{t-1})
//   c_t = β1 m_{t-1} + (1 − β1) g_t
//   θ_t = θ_{t-1} (1 − γ λ) − γ sign(c_t)
//   m_t = β2 m_{t-1} + (1 − β2) g_t
//
// Every coordinate moves by ±γ: use a learning rate 3-10x smaller than AdamW's, and a larger weight decay.
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireNonNegative } from "./validate.js";

export interface LionOptions {
  lr: number;
  betas: Betas;
  weightDecay: number;
}

export class Lion extends Optimizer<LionOptions> {
  override get kind(): string {
    return "Lion";
  }

  constructor(params: ParamsInput<LionOptions>, options: Partial<LionOptions> = {}) {
    super(params, { lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 }, options);
  }

  protected validate(o: LionOptions): void {
    requireNonNegative("lr", o.lr);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
  }

  protected stateBuffers(): readonly string[] {
    return ["expAvg"];
  }

  protected updateGroup(group: ParamGroup<LionOptions>, state: GroupState): void {
    const [beta1, beta2] = group.betas;
    const decay = 1 - group.lr * group.weightDecay;
    for (const r of state.runs) {
      this.engine.kernels.f32_lion(r.data.ptr, r.grad.ptr, r.buffers.expAvg!.ptr, r.run.length,
        group.lr, beta1, beta2, 1 - beta1, 1 - beta2, decay);
    }
  }
}
