// Lookahead (Zhang, Lucas, Hinton & Ba 2019, "Lookahead Optimizer: k steps forward, 1 step back"; as
// optax.lookahead): any optimizer takes the fast steps, and every k steps the slow weights move part of the way:
//
//   φ_0 = θ_0  (the slow weights, at the first step)
//   θ ← inner.step()                          (k times; the inner optimizer keeps its own state)
//   φ ← φ + α (θ − φ);   θ ← φ               (f32_lerp and f32_copy, one call each per run)
//
// Its groups are the inner optimizer's (./wrapper.ts); a state dict adds each parameter's `slow` weights.
import type { Optimizer, GroupState, ParamGroup } from "./optimizer.js";
import { requireInRange, requireInteger } from "./validate.js";
import { OptimizerWrapper } from "./wrapper.js";

export interface LookaheadOptions {
  k: number;
  alpha: number;
}

export class Lookahead extends OptimizerWrapper<LookaheadOptions> {
  override get kind(): string {
    return "Lookahead";
  }

  constructor(inner: Optimizer<object>, options: Partial<LookaheadOptions> = {}) {
    super(inner, { k: 5, alpha: 0.5 }, options, "Lookahead");
  }

  protected validate(o: LookaheadOptions): void {
    requireInteger("k", o.k, 1);
    requireInRange("alpha", o.alpha, 0, 1, true);
  }

  protected stateBuffers(): readonly string[] {
    return ["slow"];
  }

  override step(): void {
    const k = this.engine.kernels;
    this.groupStates.forEach((s) => {
      if (s.step === 0) for (const r of s.runs) k.f32_copy(r.buffers.slow!.ptr, r.data.ptr, r.run.length);
    });
    this.inner.step();
    super.step();
  }

  protected updateGroup(group: ParamGroup<LookaheadOptions>, state: GroupState): void {
    if ((state.step + 1) % group.k !== 0) return;
    const k = this.engine.kernels;
    for (const r of state.runs) {
      const slow = r.buffers.slow!.ptr;
      k.f32_lerp(slow, r.data.ptr, r.run.length, group.alpha, 1 - group.alpha);
      k.f32_copy(r.data.ptr, slow, r.run.length);
    }
  }
}
