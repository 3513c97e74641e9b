// Rprop, resilient backpropagation (torch.optim.Rprop), with maximize. Each element has its own step size η:
//
//   g_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   η_t = η_{t-1} η₊             if g_{t-1} g_t > 0
//   η_t = η_{t-1} η₋, g_t = 0    if g_{t-1} g_t < 0
//   η_t = η_{t-1}                otherwise
//   η_t = clamp(η_t, Γ_min, Γ_max)
//   θ_t = θ_{t-1} − η_t sign(g_t)
//   (η_0 = lr and g_0 = 0 in every element)
import { Optimizer, type GroupState, type ParamGroup, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";

export interface RpropOptions {
  lr: number;
  /** [η₋, η₊]: the factors that shrink and grow a step size, 0 < η₋ < 1 < η₊. */
  etas: [number, number];
  /** [Γ_min, Γ_max]: the bounds of every step size. */
  stepSizes: [number, number];
  maximize: boolean;
}

export class Rprop extends Optimizer<RpropOptions> {
  override get kind(): string {
    return "Rprop";
  }

  constructor(params: ParamsInput<RpropOptions>, options: Partial<RpropOptions> = {}) {
    super(params, { lr: 1e-2, etas: [0.5, 1.2], stepSizes: [1e-6, 50], maximize: false }, options);
  }

  protected validate(o: RpropOptions): void {
    requireNonNegative("lr", o.lr);
    const [etaMinus, etaPlus] = requirePair("etas", o.etas);
    if (!(0 < etaMinus && etaMinus < 1 && 1 < etaPlus)) {
      throw new RangeError(`Invalid etas: [${etaMinus}, ${etaPlus}] (must satisfy 0 < etaminus < 1 < etaplus)`);
    }
    const [stepMin, stepMax] = requirePair("stepSizes", o.stepSizes);
    if (!(0 <= stepMin && stepMin <= stepMax)) {
      throw new RangeError(`Invalid stepSizes: [${stepMin}, ${stepMax}] (must satisfy 0 <= min <= max)`);
    }
    requireBoolean("maximize", o.maximize);
  }

  protected stateBuffers(): readonly string[] {
    return ["prev", "stepSize"];
  }

  protected updateGroup(group: ParamGroup<RpropOptions>, state: GroupState): void {
    const [etaMinus, etaPlus] = group.etas;
    const [stepMin, stepMax] = group.stepSizes;
    for (const r of state.runs) {
      const { prev, stepSize } = r.buffers;
      if (state.step === 0) prev!.array.fill(0), stepSize!.array.fill(group.lr);
      this.engine.kernels.f32_rprop(r.data.ptr, r.grad.ptr, prev!.ptr, stepSize!.ptr, r.run.length,
        etaMinus, etaPlus, stepMin, stepMax, group.maximize ? -1 : 1);
    }
  }
}

function requirePair(name: string, value: unknown): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === "number" && !Number.isNaN(v))) {
    throw new RangeError(`Invalid ${name}: ${JSON.stringify(value)} (must be a pair of numbers)`);
  }
  return value as [number, number];
}
