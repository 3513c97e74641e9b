// Proximal SGD for an L1 penalty (ISTA; the proximal-gradient method of Beck & Teboulle 2009, one step per batch):
//
//   minimize  f(θ) + λ ‖θ‖₁
//   z_t = θ_{t-1} − γ ∇f(θ_{t-1})                          (a plain gradient step on f)
//   θ_t = prox_{γλ‖·‖₁}(z_t) = sign(z_t) · max(|z_t| − γλ, 0)  (soft-thresholding, element by element)
//
// Unlike adding λ sign(θ) to the gradient (which makes the weights jitter around 0 and never reach it), the
// proximal step sets every weight with |z| ≤ γλ to exactly 0: the result is sparse. γλ is computed in float64
// once per step (γ may be scheduled) and passed to the kernel with γ; one kernel call per contiguous run.
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireNonNegative } from "./validate.js";

export interface ProximalSGDOptions {
  lr: number;
  /** λ of the L1 penalty λ ‖θ‖₁. */
  l1: number;
}

export class ProximalSGD extends Optimizer<ProximalSGDOptions> {
  override get kind(): string {
    return "ProximalSGD";
  }

  constructor(params: ParamsInput<ProximalSGDOptions>, options: Partial<ProximalSGDOptions> = {}) {
    super(params, { lr: 1e-3, l1: 0 }, options);
  }

  protected validate(o: ProximalSGDOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("l1", o.l1);
  }

  protected stateBuffers(): readonly string[] {
    return [];
  }

  protected updateGroup(group: ParamGroup<ProximalSGDOptions>, state: GroupState): void {
    const k = this.engine.kernels;
    const threshold = group.lr * group.l1;
    for (const r of state.runs) k.f32_sgd_prox_l1(r.data.ptr, r.grad.ptr, r.run.length, group.lr, threshold);
  }
}
