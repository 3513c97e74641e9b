// Lookahead (Zhang, Lucas, Hinton & Ba 2019, "Lookahead Optimizer: k steps forward, 1 step back"; as
// optax.lookahead): any optimizer takes the fast steps, and every k steps the slow weights move part of the way:
//
//   φ_0 = θ_0  (the slow weights, at the first step)
//   θ ← inner.step()                          (k times; the inner optimizer keeps its own state)
//   φ ← φ + α (θ − φ);   θ ← φ               (f32_lerp and f32_copy, one call each per run)
//
// Lookahead's parameter groups are the inner optimizer's, seen through: reading or setting lr (a scheduler), betas
// or any other option of a group reads or sets the inner optimizer's, so schedulers, fit and checkpoints work
// unchanged. A state dict holds the inner optimizer's state with each parameter's `slow` weights added.
import { Optimizer, type GroupState, type OptimizerStateDict, type ParamGroup } from "./optimizer.js";
import { requireInRange, requireInteger } from "./validate.js";

export interface LookaheadOptions {
  k: number;
  alpha: number;
}

const OWN = ["k", "alpha"];

export class Lookahead extends Optimizer<LookaheadOptions> {
  readonly inner: Optimizer<object>;

  override get kind(): string {
    return "Lookahead";
  }

  constructor(inner: Optimizer<object>, options: Partial<LookaheadOptions> = {}) {
    if (!(inner instanceof Optimizer)) throw new TypeError("Lookahead: the first argument must be the optimizer to wrap (e.g. new Adam(params))");
    super(inner.paramGroups.map((g) => ({ params: g.params })), { k: 5, alpha: 0.5 }, options);
    this.inner = inner;
    this.paramGroups.forEach((group, i) => {
      const target = inner.paramGroups[i] as Record<string, unknown>;
      for (const key of [...Object.keys(inner.defaults), "initialLr"]) {
        Object.defineProperty(group, key, { get: () => target[key], set: (v) => (target[key] = v), enumerable: key !== "initialLr" || target[key] !== undefined, configurable: true });
      }
    });
  }

  protected validate(o: LookaheadOptions): void {
    requireInteger("k", o.k, 1);
    requireInRange("alpha", o.alpha, 0, 1, true);
  }

  protected override groupKeys(): string[] {
    return [...super.groupKeys(), ...(this.inner ? Object.keys(this.inner.defaults) : [])];
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

  override zeroGrad(): void {
    this.inner.zeroGrad();
  }

  override stateDict(): OptimizerStateDict {
    const own = super.stateDict();
    const inner = this.inner.stateDict();
    const state: OptimizerStateDict["state"] = {};
    for (const [i, entry] of Object.entries(inner.state)) state[Number(i)] = { ...entry, ...own.state[Number(i)] };
    for (const [i, entry] of Object.entries(own.state)) state[Number(i)] ??= { ...entry };
    const paramGroups = inner.paramGroups.map((g, i) => ({ ...g, k: own.paramGroups[i]!.k, alpha: own.paramGroups[i]!.alpha }));
    return { optimizer: this.kind, state, paramGroups };
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    if (dict?.optimizer !== this.kind) throw new Error(`Lookahead.loadStateDict: the state dict is of ${String(dict?.optimizer)}, not Lookahead`);
    const split = (keep: (key: string) => boolean) => (e: Record<string, number | Float32Array>) =>
      Object.fromEntries(Object.entries(e).filter(([key]) => keep(key)));
    const innerState: OptimizerStateDict["state"] = {}, ownState: OptimizerStateDict["state"] = {};
    for (const [i, e] of Object.entries(dict.state ?? {})) {
      innerState[Number(i)] = split((key) => key !== "slow")(e);
      ownState[Number(i)] = split((key) => key === "slow" || key === "step")(e);
    }
    const innerGroups = (dict.paramGroups ?? []).map((g) => Object.fromEntries(Object.entries(g).filter(([key]) => !OWN.includes(key))));
    const ownGroups = (dict.paramGroups ?? []).map((g) => Object.fromEntries(Object.entries(g).filter(([key]) => OWN.includes(key) || key === "params")));
    // Both check before they change anything; the inner optimizer first, so that a bad inner state changes nothing.
    const before = this.inner.stateDict();
    this.inner.loadStateDict({ optimizer: this.inner.kind, state: innerState, paramGroups: innerGroups });
    try {
      super.loadStateDict({ optimizer: this.kind, state: ownState, paramGroups: ownGroups });
    } catch (e) {
      this.inner.loadStateDict(before);
      throw e;
    }
  }
}
