// Adam (torch.optim.Adam), with L2 weight decay, AMSGrad and maximize:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   if λ ≠ 0:  g_t = g_t + λ θ_{t-1}
//   m_t = β1 m_{t-1} + (1 − β1) g_t
//   v_t = β2 v_{t-1} + (1 − β2) g_t²
//   v̂_t = max(v̂_{t-1}, v_t) if amsgrad, else v_t
//   θ_t = θ_{t-1} − γ / (1 − β1^t) · m_t / (√v̂_t / √(1 − β2^t) + ε)
//
// stateDtype 'bf16' or 'int8' stores m and v in 2 bytes or 1 byte a value (./state-dtype.ts,
// assembly/optim/lowbit.ts); the update is the same, on the dequantized moments. AMSGrad keeps float32 state only.
import { type Betas, requireBetas } from "./betas.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput, type RunState } from "./optimizer.js";
import { quantizationMaps } from "./qmap.js";
import { requirePlannedDtype, requireStateDtype, type StateDtype } from "./state-dtype.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface AdamOptions {
  lr: number;
  betas: Betas;
  eps: number;
  weightDecay: number;
  amsgrad: boolean;
  maximize: boolean;
  /** How m and v are stored: 'f32' (default), 'bf16' or 'int8' (blockwise, bitsandbytes' dynamic map). */
  stateDtype: StateDtype;
}

export class Adam extends Optimizer<AdamOptions> {
  override get kind(): string {
    return "Adam";
  }

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super(params, { lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, stateDtype: "f32" }, options);
  }

  protected validate(o: AdamOptions): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("eps", o.eps);
    requireBetas(o.betas);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("amsgrad", o.amsgrad);
    requireBoolean("maximize", o.maximize);
    requireStateDtype(o.stateDtype);
    if (o.amsgrad && o.stateDtype !== "f32") throw new RangeError(`Invalid stateDtype: '${o.stateDtype}' with amsgrad (AMSGrad keeps 'f32' state only)`);
  }

  protected override stateDtype(o: AdamOptions): StateDtype {
    return o.stateDtype;
  }

  protected stateBuffers(o: AdamOptions): readonly string[] {
    return o.amsgrad ? ["expAvg", "expAvgSq", "maxExpAvgSq"] : ["expAvg", "expAvgSq"];
  }

  protected updateGroup(group: ParamGroup<AdamOptions>, state: GroupState): void {
    const t = state.step + 1;
    const [beta1, beta2] = group.betas;
    const stepSize = group.lr / (1 - beta1 ** t);
    const invBc2Sqrt = 1 / Math.sqrt(1 - beta2 ** t);
    requirePlannedDtype(group.stateDtype, state.runs[0]!.stateDtype);
    for (const r of state.runs) this.updateRun(r, group, stepSize, invBc2Sqrt);
  }

  /** One kernel call over a contiguous run of parameters. */
  protected updateRun(r: RunState, group: ParamGroup<AdamOptions>, stepSize: number, invBc2Sqrt: number): void {
    if (r.stateDtype !== "f32") return this.updateLowBit(r, group, false, group.weightDecay, stepSize, invBc2Sqrt);
    const { expAvg, expAvgSq, maxExpAvgSq } = r.buffers;
    const [beta1, beta2] = group.betas;
    this.engine.kernels.f32_adam(r.data.ptr, r.grad.ptr, expAvg!.ptr, expAvgSq!.ptr, maxExpAvgSq?.ptr ?? 0, r.run.length,
      beta1, beta2, 1 - beta1, 1 - beta2, group.eps, group.weightDecay, stepSize, invBc2Sqrt,
      group.maximize ? -1 : 1, group.amsgrad ? 1 : 0);
  }

  /** One kernel call over a run with bf16 or int8 state; `decay` is λ (Adam) or 1 − γλ (decoupled, AdamW). */
  protected updateLowBit(r: RunState, group: ParamGroup<AdamOptions>, decoupled: boolean, decay: number, stepSize: number, invBc2Sqrt: number): void {
    const k = this.engine.kernels;
    const { expAvg, expAvgSq } = r.lowBit;
    const [beta1, beta2] = group.betas;
    const sign = group.maximize ? -1 : 1;
    if (r.stateDtype === "bf16") {
      (decoupled ? k.bf16_adamw : k.bf16_adam)(r.data.ptr, r.grad.ptr, expAvg!.codes.ptr, expAvgSq!.codes.ptr, r.run.length,
        beta1, beta2, 1 - beta1, 1 - beta2, group.eps, decay, stepSize, invBc2Sqrt, sign);
    } else {
      // One call per parameter: int8 blocks never mix parameters (./state-dtype.ts); v's absmax follows m's.
      const q8 = decoupled ? k.q8_adamw : k.q8_adam;
      const qmap = quantizationMaps(this.engine).ptr, parts = expAvg!.parts, absmax = expAvg!.absmax!.ptr;
      for (let j = 0; j < parts.length; j++) {
        const { start, length, absmaxAt } = parts[j]!;
        q8(r.data.ptr + 4 * start, r.grad.ptr + 4 * start, expAvg!.codes.ptr + start, expAvgSq!.codes.ptr + start, absmax + 4 * absmaxAt, length,
          qmap, beta1, beta2, 1 - beta1, 1 - beta2, group.eps, decay, stepSize, invBc2Sqrt, sign);
      }
    }
  }
}
