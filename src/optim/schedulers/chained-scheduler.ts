// ChainedScheduler: steps several chainable schedulers of one optimizer together; each multiplies or adjusts the
// lr the previous one left (e.g. ConstantLR warm-up chained with ExponentialLR decay):
//
//   step():  for s in schedulers: s.step()
import { LRScheduler, type SchedulerStateDict } from "./lr-scheduler.js";
import { checkSchedulers, loadChildren } from "./composite.js";

export class ChainedScheduler extends LRScheduler {
  override get kind(): string {
    return "ChainedScheduler";
  }

  readonly schedulers: LRScheduler[];

  /** The schedulers, constructed beforehand on one optimizer (their initial steps have already composed). */
  constructor(schedulers: readonly LRScheduler[]) {
    const optimizer = schedulers[0]?.optimizer;
    if (!optimizer) throw new RangeError("ChainedScheduler: schedulers must be a non-empty list");
    checkSchedulers("ChainedScheduler", schedulers, optimizer);
    super(optimizer);
    this.schedulers = [...schedulers];
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  protected getLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  step(): void {
    for (const s of this.schedulers) s.step();
    this.lastLr = this.getLr();
  }

  stateDict(): SchedulerStateDict {
    return { ...super.stateDict(), schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  loadStateDict(state: SchedulerStateDict): void {
    const { schedulers, ...own } = state;
    loadChildren(this, this.schedulers, schedulers, own as SchedulerStateDict);
    super.loadStateDict(own as SchedulerStateDict);
  }
}
