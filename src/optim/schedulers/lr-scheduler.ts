// The base of the learning-rate schedulers, as torch.optim.lr_scheduler.LRScheduler:
//
//   construction:  every group gets initialLr = lr (unless it has one already); baseLrs = the initialLrs;
//                  then the initial step: lastEpoch = lastEpoch + 1 (0 when starting) and lr = getLr()
//   step():        lastEpoch = lastEpoch + 1;  group.lr = getLr() for every group
//
// getLr() is the chainable (recursive) form of each schedule, as torch computes it, so that several schedulers
// can act on one optimizer and the numbers match torch's. stepTo(epoch) uses the closed form where there is one.
import { unknownOptionMessage } from "../../engine/options.js";
import { requireInRange, requireInteger } from "../validate.js";

/** What a scheduler reads and writes of a parameter group. */
export interface SchedulerGroup {
  lr: number;
  initialLr?: number;
  momentum?: number;
  betas?: readonly number[];
}

/**
 * What a scheduler needs of an optimizer: its groups, and its defaults (to tell momentum from betas); and, for
 * the schedulers that switch momentum on, planState() to allocate the buffers that then become needed.
 */
export interface SchedulerOptimizer {
  readonly paramGroups: SchedulerGroup[];
  readonly defaults: object;
  planState?(): void;
}

/** Serializable scheduler state: the scheduler's kind and its plain-valued fields. */
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

  /**
   * The schedule's stable name ('StepLR', 'OneCycleLR' ...), used by state dicts, checkpoints and messages (never
   * the class name, which a minifying bundler renames). A getter, so that it is known during construction.
   */
  get kind(): string {
    throw new Error("an LRScheduler subclass must define `get kind(): string`, its stable name for state dicts and messages");
  }

  constructor(optimizer: SchedulerOptimizer, lastEpoch = -1) {
    requireInteger("lastEpoch", lastEpoch, -1);
    this.optimizer = optimizer;
    const groups = optimizer.paramGroups;
    if (lastEpoch === -1) {
      for (const g of groups) g.initialLr ??= g.lr;
    } else {
      groups.forEach((g, i) => {
        if (g.initialLr === undefined) {
          throw new RangeError(`${this.kind}: paramGroups[${i}] has no initialLr, needed to resume at lastEpoch ${lastEpoch}`);
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
    return { scheduler: this.kind, ...fields };
  }

  /**
   * Restores a state from stateDict() of a scheduler of the same kind. Every field is checked first (known, and
   * of the shape of the current value: see checkStateFields), so that a bad state throws, naming the field, and
   * leaves the scheduler as it was.
   */
  loadStateDict(state: SchedulerStateDict): void {
    const fields = checkSchedulerState(this.kind, state, this);
    Object.assign(this, structuredClone(fields));
  }
}

/**
 * Checks a scheduler state dict against the scheduler it is loaded into and returns its fields: the kind must
 * match, every field must be one the scheduler has, with a value of the same shape (a number for a number, never
 * NaN; a per-group list of as many entries; a string for a string ...). Counters must be integers ≥ 0, lastEpoch ≥ -1.
 */
export function checkSchedulerState(kind: string, state: SchedulerStateDict, target: object): Record<string, unknown> {
  const where = `${kind}.loadStateDict`;
  if (typeof state !== "object" || state === null) throw new Error(`${where}: expected a state dict, got ${String(state)}`);
  if (state.scheduler !== kind) throw new Error(`${where}: the state dict is of ${String(state.scheduler)}, not ${kind}`);
  const { scheduler: _kind, ...fields } = state;
  const current = target as Record<string, unknown>;
  for (const [key, value] of Object.entries(fields)) {
    if (!Object.hasOwn(target, key)) throw new Error(unknownOptionMessage(where, key, Object.keys(target).filter((k) => k !== "optimizer"), "field"));
    checkShape(`${where}: field '${key}'`, value, current[key], PER_GROUP.includes(key));
  }
  // Counters: integers ≥ 0; lastEpoch ≥ -1 (fractional after stepTo(epoch), as torch's step(epoch) allows).
  for (const key of ["stepCount", "numBadEpochs", "cooldownCounter"]) {
    if (key in fields) requireInteger(`${key} (in ${where})`, fields[key], 0);
  }
  if ("lastEpoch" in fields) requireInRange(`lastEpoch (in ${where})`, fields.lastEpoch, -1, Infinity);
  return fields;
}

/** Per-group lists, which must keep their length (one entry per parameter group). */
const PER_GROUP = ["baseLrs", "lastLr", "maxLrs", "minLrs", "baseMomentums", "maxMomentums"];

function checkShape(where: string, value: unknown, like: unknown, perGroup: boolean): void {
  if (like === undefined || like === null) return; // an optional field (e.g. momentumKey without cycling)
  const type = (v: unknown) => (v === null ? "null" : Array.isArray(v) ? "array" : typeof v);
  if (type(value) !== type(like)) throw new RangeError(`${where} is ${describe(value)}, expected ${describe(like)}`);
  if (typeof value === "number" && Number.isNaN(value)) throw new RangeError(`${where} is NaN`);
  if (Array.isArray(value)) {
    const list = like as unknown[];
    if (perGroup && value.length !== list.length) {
      throw new RangeError(`${where} has ${value.length} entries, expected ${list.length} (one per parameter group)`);
    }
    value.forEach((v, i) => checkShape(`${where}[${i}]`, v, list[Math.min(i, list.length - 1)], false));
  }
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `a list of ${v.length}`;
  if (v === null) return "null";
  if (typeof v === "string") return `the string '${v}'`;
  if (typeof v === "object") return "an object";
  return `the ${typeof v} ${String(v)}`;
}
