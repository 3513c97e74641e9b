// ASGD, averaged stochastic gradient descent (torch.optim.ASGD), with weight decay and maximize:
//
//   g_t  = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ_wd ≠ 0:  g_t = g_t + λ_wd θ_{t-1}
//   θ_t  = θ_{t-1} (1 − λ η_t) − η_t g_t
//   ax_t = θ_t if μ_t = 1, else ax_{t-1} + μ_t (θ_t − ax_{t-1})
//   η_{t+1} = γ / (1 + λ γ t)^α
//   μ_{t+1} = 1 / max(1, t − t0)
//   (η_1 = γ, μ_1 = 1; ax is the running average of the iterates once t > t0)
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireFinite, requireNonNegative } from "./validate.js";

export interface ASGDOptions {
  lr: number;
  /** λ, the decay term. */
  lambd: number;
  /** α, the power of the eta schedule. */
  alpha: number;
  /** The step after which averaging starts. */
  t0: number;
  weightDecay: number;
  maximize: boolean;
}

export class ASGD extends Optimizer<ASGDOptions> {
  override get kind(): string {
    return "ASGD";
  }

  constructor(params: ParamsInput<ASGDOptions>, options: Partial<ASGDOptions> = {}) {
    super(params, { lr: 1e-2, lambd: 1e-4, alpha: 0.75, t0: 1e6, weightDecay: 0, maximize: false }, options);
  }

  protected validate(o: ASGDOptions): void {
    requireNonNegative("lr", o.lr);
    requireFinite("lambd", o.lambd);
    requireFinite("alpha", o.alpha);
    requireFinite("t0", o.t0);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["ax"];
  }

  protected updateGroup(group: ParamGroup<ASGDOptions>, state: GroupState): void {
    const t = state.step + 1;
    // eta and mu are float32 tensors in torch (the default dtype): computed in float64, stored rounded.
    const eta = state.scalars.eta ?? Math.fround(group.lr);
    const mu = state.scalars.mu ?? 1;
    for (const r of state.runs) {
      this.engine.kernels.f32_asgd(r.data.ptr, r.grad.ptr, r.buffers.ax!.ptr, r.run.length,
        eta, 1 - group.lambd * eta, group.weightDecay, mu, mu !== 1 ? 1 : 0, group.maximize ? -1 : 1);
    }
    state.scalars.eta = Math.fround(group.lr / (1 + group.lambd * group.lr * t) ** group.alpha);
    state.scalars.mu = Math.fround(1 / Math.max(1, t - group.t0));
  }
}
