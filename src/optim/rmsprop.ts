// RMSprop (torch.optim.RMSprop), centered or not, with momentum, weight decay and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   v_t = α v_{t-1} + (1 − α) g_t²
//   ṽ_t = v_t
//   if centered:  ḡ_t = α ḡ_{t-1} + (1 − α) g_t,   ṽ_t = ṽ_t − ḡ_t²
//   if μ > 0:     b_t = μ b_{t-1} + g_t / (√ṽ_t + ε),   θ_t = θ_{t-1} − γ b_t
//   else:         θ_t = θ_{t-1} − γ g_t / (√ṽ_t + ε)
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface RMSpropOptions {
  lr: number;
  alpha: number;
  eps: number;
  weightDecay: number;
  momentum: number;
  centered: boolean;
  maximize: boolean;
}

export class RMSprop extends Optimizer<RMSpropOptions> {
  override get kind(): string {
    return "RMSprop";
  }

  constructor(params: ParamsInput<RMSpropOptions>, options: Partial<RMSpropOptions> = {}) {
    super(params, { lr: 1e-2, alpha: 0.99, eps: 1e-8, weightDecay: 0, momentum: 0, centered: false, maximize: false }, options);
  }

  protected validate(o: RMSpropOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("alpha", o.alpha);
    requireNonNegative("eps", o.eps);
    requireNonNegative("weightDecay", o.weightDecay);
    requireNonNegative("momentum", o.momentum);
    requireBoolean("centered", o.centered);
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(o: RMSpropOptions): readonly string[] {
    return ["squareAvg", ...(o.momentum > 0 ? ["momentumBuffer"] : []), ...(o.centered ? ["gradAvg"] : [])];
  }

  protected updateGroup(group: ParamGroup<RMSpropOptions>, state: GroupState): void {
    // Torch creates the state at the first step, from the options then: switching centered or momentum on
    // before it (by hand, or by a scheduler cycling momentum, which plans the buffer itself) is fine.
    if (state.step === 0) this.planGroupState(group, state);
    for (const r of state.runs) {
      const { squareAvg, gradAvg, momentumBuffer } = r.buffers;
      // Like torch, switching these on after the state was created is an error.
      if (group.centered && !gradAvg) throw new Error("RMSprop: centered was turned on after the optimizer state was created");
      if (group.momentum > 0 && !momentumBuffer) {
        throw new Error(`RMSprop: momentum was set to ${group.momentum} after the optimizer state was created without momentum`);
      }
      this.engine.kernels.f32_rmsprop(r.data.ptr, r.grad.ptr, squareAvg!.ptr, gradAvg?.ptr ?? 0, momentumBuffer?.ptr ?? 0,
        r.run.length, group.lr, group.alpha, 1 - group.alpha, group.eps, group.weightDecay, group.momentum,
        group.centered ? 1 : 0, group.maximize ? -1 : 1);
    }
  }
}
