// SGD (torch.optim.SGD), with momentum, dampening, Nesterov momentum, weight decay and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   if μ ≠ 0:  b_t = g_t on the first step, else b_t = μ b_{t-1} + (1 − τ) g_t
//              g_t = g_t + μ b_t  if nesterov,  else  g_t = b_t
//   θ_t = θ_{t-1} − γ g_t
//
// As in torch, the momentum buffer b is created by the first step with μ ≠ 0 (b = g_t then), which need not be
// the first step: a scheduler cycling momentum (OneCycleLR, CyclicLR) may switch it on for an SGD built with
// momentum 0. The buffer is planned (allocated) when the group gets μ ≠ 0: at construction, when such a
// scheduler is constructed (it calls planState()), or, failing both, at the first step with μ ≠ 0.
//
// stateDtype 'bf16' or 'int8' stores b in 2 bytes or 1 byte a value (./state-dtype.ts, assembly/optim/lowbit.ts).
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { quantizationMaps } from "./qmap.js";
import { requirePlannedDtype, requireStateDtype, type StateDtype } from "./state-dtype.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface SGDOptions {
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  /** How the momentum buffer is stored: 'f32' (default), 'bf16' or 'int8' (blockwise, bitsandbytes' dynamic map). */
  stateDtype: StateDtype;
}

export class SGD extends Optimizer<SGDOptions> {
  override get kind(): string {
    return "SGD";
  }

  constructor(params: ParamsInput<SGDOptions>, options: Partial<SGDOptions> = {}) {
    super(params, { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, stateDtype: "f32" }, options);
  }

  protected validate(o: SGDOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("momentum", o.momentum);
    requireNonNegative("dampening", o.dampening);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("nesterov", o.nesterov);
    requireBoolean("maximize", o.maximize);
    requireStateDtype(o.stateDtype);
    if (o.nesterov && (o.momentum <= 0 || o.dampening !== 0)) {
      throw new RangeError(`Invalid nesterov: true requires momentum > 0 and dampening = 0 (got momentum ${o.momentum}, dampening ${o.dampening})`);
    }
  }

  protected stateBuffers(o: SGDOptions): readonly string[] {
    return o.momentum !== 0 ? MOMENTUM : NONE;
  }

  protected override stateDtype(o: SGDOptions): StateDtype {
    return o.stateDtype;
  }

  protected override lazyBuffers(): readonly string[] {
    return MOMENTUM;
  }

  protected updateGroup(group: ParamGroup<SGDOptions>, state: GroupState): void {
    const k = this.engine.kernels;
    const sign = group.maximize ? -1 : 1;
    if (group.momentum === 0) {
      // Without momentum, a buffer kept from earlier steps is left as it is (torch's too).
      for (const r of state.runs) k.f32_sgd(r.data.ptr, r.grad.ptr, r.run.length, group.lr, group.weightDecay, sign);
      return;
    }
    const r0 = state.runs[0]!;
    if (!r0.buffers.momentumBuffer && !r0.lowBit.momentumBuffer) this.planGroupState(group, state);
    const first = state.unset.has("momentumBuffer") ? 1 : 0; // b = g on the buffer's first step
    const { lr, weightDecay, momentum } = group;
    const omd = 1 - group.dampening, nesterov = group.nesterov ? 1 : 0;
    requirePlannedDtype(group.stateDtype, r0.stateDtype);
    for (const r of state.runs) {
      const low = r.lowBit.momentumBuffer;
      if (low?.dtype === "bf16") {
        k.bf16_sgd_momentum(r.data.ptr, r.grad.ptr, low.codes.ptr, r.run.length, lr, weightDecay, momentum, omd, nesterov, first, sign);
      } else if (low) {
        // One call per parameter: int8 blocks never mix parameters (./state-dtype.ts).
        const qmap = quantizationMaps(this.engine).ptr;
        for (let j = 0; j < low.parts.length; j++) {
          const { start, length, absmaxAt } = low.parts[j]!;
          k.q8_sgd_momentum(r.data.ptr + 4 * start, r.grad.ptr + 4 * start, low.codes.ptr + start, low.absmax!.ptr + 4 * absmaxAt, length, qmap,
            lr, weightDecay, momentum, omd, nesterov, first, sign);
        }
      } else {
        k.f32_sgd_momentum(r.data.ptr, r.grad.ptr, r.buffers.momentumBuffer!.ptr, r.run.length, lr, weightDecay, momentum, omd, nesterov, first, sign);
      }
    }
    state.unset.delete("momentumBuffer");
  }
}

const MOMENTUM = ["momentumBuffer"] as const;
const NONE = [] as const;
