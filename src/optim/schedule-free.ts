// The schedule-free family (Defazio et al. 2024, "The Road Less Scheduled"; facebookresearch/schedule_free,
// schedulefree/sgd_schedulefree.py and adamw_schedulefree.py at 70785b5): no learning-rate schedule, an average
// instead. Three sequences: z, the base optimizer's iterate; x, a weighted average of the z's (what is evaluated);
// y, where the gradient is taken. At step t (k = t − 1 steps before):
//
//   γ_t = γ · min(1, t / warmupSteps)                      (the warm-up is the only schedule)
//   γmax = max(γmax, γ_t);   w_t = t^r · γmax^weightLrPower;   c_t = w_t / Σ_{i≤t} w_i
//   z_t = z_{t-1} − γ_t ĝ_t                                (ĝ: the SGD or Adam direction at y)
//   x_t = (1 − c_t) x_{t-1} + c_t z_t
//   y_t = (1 − β) z_t + β x_t
//
// The parameters hold y while training, and x is never stored: the kernel updates y in place as
// y ← lerp(y, z, c) + γ (β (1 − c) − 1) ĝ, then z. So the optimizer must be told when the weights are to be
// evaluated: eval() moves the parameters to x = lerp(y, z, 1 − 1/β), train() back to y = lerp(x, z, 1 − β);
// step() refuses to run in eval mode, as the reference does (it starts in eval mode: call train() first). fit does
// both (train() at the start, x for validation and checkpoints, and eval() at the end, so the model holds x).
//
// With BatchNorm, the running statistics were gathered at y: recompute them at x (updateBn, src/train/update-bn.ts)
// before evaluating, as the reference's README says.
import type { F32Slice } from "../engine/views.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamGroupInput, type ParamsInput } from "./optimizer.js";
import { requireInteger, requireNonNegative } from "./validate.js";

/** The options both share (torch's names in camelCase). */
export interface ScheduleFreeCommon {
  lr: number;
  weightDecay: number;
  warmupSteps: number;
  r: number;
  weightLrPower: number;
}

/** A parameter group of the family: its options and the mode, saved in state dicts as the reference's train_mode. */
type ScheduleFreeGroup<O> = ParamGroup<O> & { trainMode: boolean };

/** What fit needs of an optimizer whose parameters must be switched before evaluating (duck-typed, by `kind`). */
export interface TrainEvalOptimizer {
  train(): void;
  eval(): void;
  /** Runs fn with the parameters at x, then puts back y bit for bit (no rounding of a round trip). */
  withEvalWeights<T>(fn: () => T): T;
}

export function hasTrainEval(optimizer: object): optimizer is TrainEvalOptimizer {
  const o = optimizer as Partial<TrainEvalOptimizer>;
  return typeof o.train === "function" && typeof o.eval === "function" && typeof o.withEvalWeights === "function";
}

/** The family's common part: the averaging weight c_t, z's initialization, train()/eval(). */
export abstract class ScheduleFree<O extends ScheduleFreeCommon> extends Optimizer<O> implements TrainEvalOptimizer {
  /** Per group and run, a copy of y while withEvalWeights runs (planned with the group). */
  private backups?: F32Slice[][];

  constructor(params: ParamsInput<O>, defaults: O, options?: Partial<O>) {
    super(params, defaults, options);
    this.planBackups();
  }

  private planBackups(): void {
    this.backups ??= [];
    for (let gi = this.backups.length; gi < this.groupStates.length; gi++) {
      this.backups.push(this.groupStates[gi]!.runs.map((r) => this.engine.allocF32(r.run.length)));
    }
  }

  /** β: momentum (SGD) or betas[0] (AdamW). */
  protected abstract beta(group: O): number;
  /** One kernel call over a run; `s` holds the step's scalars. */
  protected abstract updateRun(group: O, state: GroupState, r: GroupState["runs"][number], s: StepScalars): void;

  override addParamGroup(input: ParamGroupInput<O>): void {
    if (typeof input === "object" && input !== null && "trainMode" in input) {
      throw new RangeError(`${this.kind}: trainMode is not an option; call optimizer.train() or optimizer.eval()`);
    }
    super.addParamGroup(input);
    (this.paramGroups.at(-1) as ScheduleFreeGroup<O>).trainMode = false; // as the reference: train() before the first step
    if (this.backups) this.planBackups(); // during construction the constructor plans them once super() returns
  }

  protected override groupKeys(): string[] {
    return [...super.groupKeys(), "trainMode"];
  }

  protected validateCommon(o: ScheduleFreeCommon): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("weightDecay", o.weightDecay);
    requireInteger("warmupSteps", o.warmupSteps);
    requireNonNegative("r", o.r);
    requireNonNegative("weightLrPower", o.weightLrPower);
  }

  /** True when the parameters hold y (after train()). */
  get trainMode(): boolean {
    return (this.paramGroups[0] as ScheduleFreeGroup<O>).trainMode;
  }

  override step(): void {
    if (!this.trainMode) {
      throw new Error(`${this.kind}: step() in eval mode; call optimizer.train() before training (the parameters hold x, the average, after eval())`);
    }
    super.step();
  }

  protected updateGroup(group: ParamGroup<O>, state: GroupState): void {
    const k = state.step;
    const sched = k < group.warmupSteps ? (k + 1) / group.warmupSteps : 1;
    const lr = group.lr * sched;
    const lrMax = Math.max(lr, state.scalars.lrMax ?? -1);
    const weight = (k + 1) ** group.r * lrMax ** group.weightLrPower;
    const weightSum = (state.scalars.weightSum ?? 0) + weight;
    const ckp1 = weightSum === 0 ? 0 : weight / weightSum;
    state.scalars.lrMax = lrMax;
    state.scalars.weightSum = weightSum;
    const yStep = lr * (this.beta(group) * (1 - ckp1) - 1);
    for (const r of state.runs) {
      if (k === 0) this.engine.kernels.f32_copy(r.buffers.z!.ptr, r.data.ptr, r.run.length); // z = clone(p)
      this.updateRun(group, state, r, { lr, ckp1, yStep, t: k + 1 });
    }
  }

  /** Parameters ← x (the average, to evaluate or save). */
  eval(): void {
    this.switchTo(false);
  }

  /** Parameters ← y (where the gradients are taken). */
  train(): void {
    this.switchTo(true);
  }

  private switchTo(train: boolean): void {
    this.paramGroups.forEach((g, gi) => {
      const group = g as ScheduleFreeGroup<O>;
      if (group.trainMode === train) return;
      const beta = this.beta(group);
      const w = train ? 1 - beta : 1 - 1 / beta;
      const state = this.groupStates[gi]!;
      if (state.step > 0) for (const r of state.runs) this.engine.kernels.f32_lerp(r.data.ptr, r.buffers.z!.ptr, r.run.length, w, 1 - w);
      group.trainMode = train;
    });
  }

  withEvalWeights<T>(fn: () => T): T {
    if (!this.trainMode) return fn();
    const k = this.engine.kernels;
    this.groupStates.forEach((s, gi) => s.runs.forEach((r, ri) => k.f32_copy(this.backups![gi]![ri]!.ptr, r.data.ptr, r.run.length)));
    this.eval();
    try {
      return fn();
    } finally {
      this.groupStates.forEach((s, gi) => s.runs.forEach((r, ri) => k.f32_copy(r.data.ptr, this.backups![gi]![ri]!.ptr, r.run.length)));
      for (const g of this.paramGroups) (g as ScheduleFreeGroup<O>).trainMode = true;
    }
  }
}

/** The scalars of one step, in float64. */
export interface StepScalars {
  lr: number;
  ckp1: number;
  yStep: number;
  t: number;
}
