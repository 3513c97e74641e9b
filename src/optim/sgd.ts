// SGD (torch.optim.SGD), with momentum, dampening, Nesterov momentum, weight decay and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   if μ ≠ 0:  b_t = g_t on the first step, else b_t = μ b_{t-1} + (1 − τ) g_t
//              g_t = g_t + μ b_t  if nesterov,  else  g_t = b_t
//   θ_t = θ_{t-1} − γ g_t
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
}

export class SGD extends Optimizer<SGDOptions> {
  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, ...options });
  }

  protected validate(o: SGDOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("momentum", o.momentum);
    requireNonNegative("dampening", o.dampening);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("nesterov", o.nesterov);
    requireBoolean("maximize", o.maximize);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`Invalid nesterov: true requires momentum > 0 and dampening = 0 (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected stateBuffers(o: SGDOptions): readonly string[] {
    return o.momentum !== 0 ? ["momentumBuffer"] : [];
  }

  protected updateGroup(group: ParamGroup<SGDOptions>, state: GroupState): void {
    const k = this.engine.kernels;
    const sign = group.maximize ? -1 : 1;
    for (const r of state.runs) {
      const buf = r.buffers.momentumBuffer;
      if (buf) {
        k.f32_sgd_momentum(r.data.ptr, r.grad.ptr, buf.ptr, r.run.length, group.lr, group.weightDecay,
          group.momentum, 1 - group.dampening, group.nesterov ? 1 : 0, state.step === 0 ? 1 : 0, sign);
      } else {
        k.f32_sgd(r.data.ptr, r.grad.ptr, r.run.length, group.lr, group.weightDecay, sign);
      }
    }
  }
}
