// What fit() records: one entry per epoch (train/validation loss and accuracy, learning rate, wall time,
// throughput) and the loss of every optimizer step, in a Float64Array that grows by doubling, so that recording a
// step allocates nothing (amortized).
import type { Divergence } from "./divergence.js";
import type { GradientNorms } from "./gradient-norms.js";

export interface EpochRecord {
  epoch: number;
  /** Mean training loss over the epoch's samples (as computed in training mode, before each update). */
  loss: number;
  /** Training accuracy over the epoch (NaN when not measured or not a classification). */
  accuracy: number;
  /** Validation loss and accuracy at the end of the epoch (NaN without validation data). */
  valLoss: number;
  valAccuracy: number;
  /** Learning rate of the first parameter group when the epoch started. */
  lr: number;
  /** Wall time of the epoch in seconds, validation included. */
  seconds: number;
  /** Training samples per second (validation excluded). */
  samplesPerSecond: number;
  /** Optimizer steps skipped in this epoch because a gradient was not finite (nonFinite: 'skip'). */
  skippedSteps: number;
}

/** The serializable part of a History, stored in checkpoints. */
export interface HistoryState {
  epochs: EpochRecord[];
  skippedSteps: number;
  stoppedEarly: boolean;
  /** Steps whose gradient clipping changed (absent in checkpoints written before it was counted). */
  clippedSteps?: number;
  /** The parameter names of the recorded gradient norms (the norms are a tensor of the checkpoint), or absent. */
  gradientNorms?: string[];
}

export class History {
  readonly epochs: EpochRecord[] = [];
  /** Steps skipped in all (nonFinite: 'skip'). */
  skippedSteps = 0;
  /** True when a callback (early stopping) ended training before the last epoch. */
  stoppedEarly = false;
  /** Where the run diverged (fit's divergence option), or null. */
  divergence: Divergence | null = null;
  /** Steps at which clipGradNorm scaled the gradients or clipGradValue clamped some element. */
  clippedSteps = 0;
  /** Each parameter's gradient norm at every step (fit's recordGradientNorms), or null. */
  gradientNorms: GradientNorms | null = null;
  private losses = new Float64Array(1024);
  private count = 0;

  /** The loss of each optimizer step (mean over its micro-batches), in order: a view, valid until the next record. */
  get stepLosses(): Float64Array {
    return this.losses.subarray(0, this.count);
  }

  /** Number of optimizer steps recorded (skipped steps included: their loss is recorded too). */
  get steps(): number {
    return this.count;
  }

  recordStep(loss: number): void {
    if (this.count === this.losses.length) {
      const grown = new Float64Array(2 * this.losses.length);
      grown.set(this.losses);
      this.losses = grown;
    }
    this.losses[this.count++] = loss;
  }

  /** Makes room for `steps` more steps at once, so that recording them allocates nothing. */
  reserve(steps: number): void {
    if (this.count + steps <= this.losses.length) return;
    let capacity = this.losses.length;
    while (capacity < this.count + steps) capacity *= 2;
    const grown = new Float64Array(capacity);
    grown.set(this.stepLosses);
    this.losses = grown;
  }

  /** Per-epoch values of one field, for plots: history.series('valLoss'). */
  series(field: Exclude<keyof EpochRecord, "epoch">): number[] {
    return this.epochs.map((e) => e[field]);
  }

  /** The last epoch's record (undefined before the first epoch ended). */
  get last(): EpochRecord | undefined {
    return this.epochs[this.epochs.length - 1];
  }

  state(): HistoryState {
    return {
      epochs: this.epochs.map((e) => ({ ...e })), skippedSteps: this.skippedSteps, stoppedEarly: this.stoppedEarly, clippedSteps: this.clippedSteps,
      ...(this.gradientNorms ? { gradientNorms: [...this.gradientNorms.names] } : {}),
    };
  }

  restore(state: HistoryState, stepLosses: Float64Array): void {
    this.epochs.length = 0;
    for (const e of state.epochs) this.epochs.push({ ...e });
    this.skippedSteps = state.skippedSteps;
    this.stoppedEarly = state.stoppedEarly;
    this.clippedSteps = state.clippedSteps ?? 0;
    this.count = 0;
    this.reserve(stepLosses.length);
    this.losses.set(stepLosses);
    this.count = stepLosses.length;
  }
}
