// SequentialLR: hands the optimizer to one scheduler after another at the milestones. With milestones
// m_1 < m_2 < …, epoch t belongs to scheduler k = #{m_i ≤ t}; at t = m_k, scheduler k starts over from its own
// epoch 0 (stepTo(0): its closed form there), and otherwise it takes a normal step.
import { requireInteger } from "../validate.js";
import { LRScheduler, type SchedulerOptimizer, type SchedulerStateDict } from "./lr-scheduler.js";
import { checkSchedulers, loadChildren } from "./composite.js";
import { checkOptions } from "../../engine/options.js";

export interface SequentialLROptions {
  /** The schedulers, all of the same optimizer, constructed beforehand. */
  schedulers: readonly LRScheduler[];
  /** One epoch fewer than there are schedulers, increasing. */
  milestones: readonly number[];
  lastEpoch?: number;
}

export class SequentialLR extends LRScheduler {
  override get kind(): string {
    return "SequentialLR";
  }

  readonly schedulers: LRScheduler[];
  readonly milestones: number[];

  constructor(optimizer: SchedulerOptimizer, options: SequentialLROptions) {
    checkOptions("SequentialLR", options, ["schedulers", "milestones", "lastEpoch"]);
    const { schedulers, milestones, lastEpoch = -1 } = options;
    checkSchedulers("SequentialLR", schedulers, optimizer);
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new RangeError(`Invalid milestones: expected ${schedulers.length - 1} (one fewer than the schedulers), got ${String(milestones)}`);
    }
    milestones.forEach((m, i) => {
      requireInteger(`milestones[${i}]`, m, 1);
      if (i > 0 && m <= milestones[i - 1]!) throw new RangeError(`Invalid milestones: ${milestones.join(", ")} (must increase)`);
    });
    super(optimizer, lastEpoch);
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    // Undo the initial steps of the schedulers, then perform the first one's again.
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  protected getLr(): number[] {
    return this.lastLr;
  }

  step(): void {
    this.lastEpoch++;
    const k = this.milestones.filter((m) => m <= this.lastEpoch).length;
    const scheduler = this.schedulers[k]!;
    if (k > 0 && this.milestones[k - 1] === this.lastEpoch) scheduler.stepTo(0);
    else scheduler.step();
    this.lastLr = scheduler.getLastLr();
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
