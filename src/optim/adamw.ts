// AdamW (torch.optim.AdamW): Adam with decoupled weight decay (Loshchilov & Hutter, 2019):
//
//   θ_{t-1} = θ_{t-1} (1 − γ λ)
//   then the Adam step of ./adam.ts without the L2 term (AMSGrad and maximize as there).
import { Adam, type AdamOptions } from "./adam.js";
import type { ParamGroup, ParamsInput, RunState } from "./optimizer.js";

export class AdamW extends Adam {
  override get kind(): string {
    return "AdamW";
  }

  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    // Only AdamW's default weight decay differs; anything but an options object goes on to be refused.
    const isObject = typeof options === "object" && options !== null && !Array.isArray(options);
    super(params, isObject ? { weightDecay: 1e-2, ...options } : options);
  }

  protected override updateRun(r: RunState, group: ParamGroup<AdamOptions>, stepSize: number, invBc2Sqrt: number): void {
    if (r.stateDtype !== "f32") return this.updateLowBit(r, group, true, 1 - group.lr * group.weightDecay, stepSize, invBc2Sqrt);
    const { expAvg, expAvgSq, maxExpAvgSq } = r.buffers;
    const [beta1, beta2] = group.betas;
    this.engine.kernels.f32_adamw(r.data.ptr, r.grad.ptr, expAvg!.ptr, expAvgSq!.ptr, maxExpAvgSq?.ptr ?? 0, r.run.length,
      beta1, beta2, 1 - beta1, 1 - beta2, group.eps, 1 - group.lr * group.weightDecay, stepSize, invBc2Sqrt,
      group.maximize ? -1 : 1, group.amsgrad ? 1 : 0);
  }
}
