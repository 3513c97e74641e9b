// The base of optimizers that wrap another (Lookahead, SAM): their parameter groups are the inner optimizer's,
// seen through (reading or setting lr, betas, initialLr ... of a group reads or sets the inner one's, so schedulers,
// fit and checkpoints work unchanged), with the wrapper's own options (e.g. k, alpha) added. A state dict is the
// inner optimizer's with the wrapper's options in each group and its per-parameter buffers in each entry.
import { Optimizer, type OptimizerStateDict, type ParamGroupInput } from "./optimizer.js";

export abstract class OptimizerWrapper<O extends object> extends Optimizer<O> {
  readonly inner: Optimizer<object>;

  constructor(inner: Optimizer<object>, defaults: O, options: Partial<O>, what: string) {
    if (!(inner instanceof Optimizer)) throw new TypeError(`${what}: the first argument must be the optimizer to wrap (e.g. new SGD(params))`);
    super(inner.paramGroups.map((g) => ({ params: g.params }) as unknown as ParamGroupInput<O>), defaults, options);
    this.inner = inner;
    this.paramGroups.forEach((group, i) => {
      const target = inner.paramGroups[i] as Record<string, unknown>;
      for (const key of [...Object.keys(inner.defaults), "initialLr"]) {
        Object.defineProperty(group, key, { get: () => target[key], set: (v) => (target[key] = v), enumerable: key !== "initialLr", configurable: true });
      }
    });
  }

  protected override groupKeys(): string[] {
    return [...super.groupKeys(), ...(this.inner ? Object.keys(this.inner.defaults) : [])];
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
    const keys = Object.keys(this.defaults);
    const paramGroups = inner.paramGroups.map((g, i) => ({ ...g, ...Object.fromEntries(keys.map((k) => [k, own.paramGroups[i]![k]])) }));
    return { optimizer: this.kind, state, paramGroups };
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    if (dict?.optimizer !== this.kind) throw new Error(`${this.kind}.loadStateDict: the state dict is of ${String(dict?.optimizer)}, not ${this.kind}`);
    const ownOptions = Object.keys(this.defaults);
    const ownBuffers = this.stateBuffers(this.defaults);
    const pick = (o: object, keep: (key: string) => boolean) => Object.fromEntries(Object.entries(o).filter(([key]) => keep(key)));
    const innerState: OptimizerStateDict["state"] = {}, ownState: OptimizerStateDict["state"] = {};
    for (const [i, e] of Object.entries(dict.state ?? {})) {
      innerState[Number(i)] = pick(e, (key) => !ownBuffers.includes(key));
      ownState[Number(i)] = pick(e, (key) => ownBuffers.includes(key) || key === "step");
    }
    const groups = dict.paramGroups ?? [];
    const innerGroups = groups.map((g) => pick(g, (key) => !ownOptions.includes(key)));
    const ownGroups = groups.map((g) => pick(g, (key) => ownOptions.includes(key) || key === "params"));
    // Each checks before it changes anything; the inner one first, put back if the wrapper's part is refused.
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
