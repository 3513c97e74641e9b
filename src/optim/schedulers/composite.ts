// Shared by SequentialLR and ChainedScheduler: checking and restoring the schedulers they drive.
import { LRScheduler, type SchedulerOptimizer, type SchedulerStateDict } from "./lr-scheduler.js";

/** Checks that `schedulers` is a non-empty list of schedulers of `optimizer`. */
export function checkSchedulers(name: string, schedulers: readonly LRScheduler[], optimizer: SchedulerOptimizer): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new RangeError(`${name}: schedulers must be a non-empty list`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new RangeError(`${name}: schedulers[${i}] is not an LRScheduler`);
    if (s.optimizer !== optimizer) throw new RangeError(`${name}: schedulers[${i}] belongs to another optimizer`);
  });
}

export function loadChildren(name: string, children: readonly LRScheduler[], states: unknown): void {
  if (!Array.isArray(states) || states.length !== children.length) {
    throw new Error(`${name}.loadStateDict: expected the states of ${children.length} schedulers`);
  }
  children.forEach((c, i) => c.loadStateDict(states[i] as SchedulerStateDict));
}
