// The base of the learning-rate schedulers, as torch.optim.lr_scheduler.LRScheduler:
//
//   construction:  every group gets initialLr = lr (unless it has one already); baseLrs = the initialLrs;
//                  then the initial step: lastEpoch = lastEpoch + 1 (0 when starting) and lr = getLr()
//   step():        lastEpoch = lastEpoch + 1;  group.lr = getLr() for every group
//
// getLr() is the chainable (recursive) form of each schedule, as torch computes it, so that several schedulers
// can act on one optimizer and the numbers match torch's. stepTo(epoch) uses the closed form where there is one.
import { requireInteger } from "../validate.js";

/** What a scheduler reads and writes of a parameter group. */
export interface SchedulerGroup {
  lr: number;
  initialLr?: number;
  momentum?: number;
  betas?: readonly number[];
}

/** What a scheduler needs of an optimizer: its groups, and its defaults (to tell momentum from betas). */
export interface SchedulerOptimizer {
  readonly paramGroups: SchedulerGroup[];
  readonly defaults: object;
}

/** Serializable scheduler state: the scheduler's name and its plain-valued fields. */
export interface SchedulerStateDict {
  scheduler: string;
  [field: string]: unknown;
}

export abstract class LRScheduler {
  readonly optimizer: SchedulerOptimizer;
  /** The lr each group started from (its `initialLr`). */
  baseLrs: number[];
  /** Steps taken: 0 after construction. */
  lastEpoch: number;
  protected stepCount = 0;
  protected lastLr: number[] = [];

  constructor(optimizer: SchedulerOptimizer, lastEpoch = -1) {
    requireInteger("lastEpoch", lastEpoch, -1);
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) g.initialLr ??= g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new RangeError(`${this.constructor.name}: paramGroups[${i}] has no initialLr, needed to resume at lastEpoch ${lastEpoch}`);
        }
      });
    }
    this.baseLrs = groups.map((g) => g.initialLr!);
    this.lastEpoch = lastEpoch;
  }

  /** The learning rates of the groups at `lastEpoch`, from the groups' current lrs (chainable form). */
  protected abstract getLr(): number[];

  /** The closed form at `lastEpoch`, for the schedules that have one; the others use getLr. */
  protected closedFormLr(): number[] {
    return this.getLr();
  }

  /** Torch's initial step: subclasses call it at the end of their constructor, SequentialLR to restart one. */
  initialStep(): void {
    this.stepCount = 0;
    this.step();
  }

  /** Advances the schedule by one step (one epoch, or one batch for the per-batch schedules). */
  step(): void {
    this.stepCount++;
    this.lastEpoch++;
    this.apply(this.getLr());
  }

  /** Jumps to `epoch` with the closed form where there is one (torch's deprecated step(epoch); used by SequentialLR). */
  stepTo(epoch: number): void {
    this.stepCount++;
    this.lastEpoch = epoch;
    this.apply(this.closedFormLr());
  }

  protected apply(lrs: readonly number[]): void {
    this.optimizer.paramGroups.forEach((g, i) => (g.lr = lrs[i]!));
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  /** The learning rates this scheduler set last, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The scheduler's state: every plain field (not the optimizer, not functions), cloned. */
  stateDict(): SchedulerStateDict {
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (key === "optimizer" || typeof value === "function" || value instanceof LRScheduler) continue;
      if (Array.isArray(value) && value.some((v) => typeof v === "function" || v instanceof LRScheduler)) continue;
      fields[key] = structuredClone(value);
    }
    return { scheduler: this.constructor.name, ...fields };
  }

  /** Restores a state from stateDict() of a scheduler of the same class. */
  loadStateDict(state: SchedulerStateDict): void {
    const name = this.constructor.name;
    if (state.scheduler !== name) throw new Error(`${name}.loadStateDict: the state dict is of ${String(state.scheduler)}, not ${name}`);
    const { scheduler: _name, ...fields } = state;
    for (const key of Object.keys(fields)) {
      if (!(key in this)) throw new Error(`${name}.loadStateDict: unknown field '${key}'`);
    }
    Object.assign(this, structuredClone(fields));
  }
}
