// Shared by SequentialLR and ChainedScheduler: checking and restoring the schedulers they drive.
import { checkSchedulerState, LRScheduler, type SchedulerOptimizer, type SchedulerStateDict } from "./lr-scheduler.js";

/** Checks that `schedulers` is a non-empty list of schedulers of `optimizer`. */
export function checkSchedulers(name: string, schedulers: readonly LRScheduler[], optimizer: SchedulerOptimizer): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) throw new RangeError(`${name}: schedulers must be a non-empty list`);
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new RangeError(`${name}: schedulers[${i}] is not an LRScheduler`);
    if (s.optimizer !== optimizer) throw new RangeError(`${name}: schedulers[${i}] belongs to another optimizer`);
  });
}

/** Loads the children's states, after checking them all (and `own`, the composite's fields), so that a bad one changes nothing. */
export function loadChildren(parent: LRScheduler, children: readonly LRScheduler[], states: unknown, own: SchedulerStateDict): void {
  const name = parent.kind;
  if (!Array.isArray(states) || states.length !== children.length) {
    throw new Error(`${name}.loadStateDict: expected the states of ${children.length} schedulers`);
  }
  checkSchedulerState(name, own, parent);
  children.forEach((c, i) => checkSchedulerState(c.kind, states[i] as SchedulerStateDict, c));
  children.forEach((c, i) => c.loadStateDict(states[i] as SchedulerStateDict));
}
