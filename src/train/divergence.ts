// When is a run diverging? The rule fit(), compare and the CLI share:
//
//   s_t = bias-corrected EMA of the step losses ℓ_1 … ℓ_t, weight 2 / (w + 1) with w = min(20, ⌈steps per epoch / 2⌉)
//         (about half an epoch; none for full-batch training, where w = 1)
//   diverged at step t  ⇔  ℓ_t is NaN or ±∞,  or  s_t > factor · |ℓ_1|          (factor 10 by default)
//
// The smoothing keeps one unlucky mini-batch from counting; the first loss is the run's start. A cross-entropy
// that starts at ln 10 ≈ 2.3 diverges above 23, i.e. once the true class gets a probability below 1e-10 on average.

export interface DivergenceOptions {
  /** How far above its first loss the smoothed loss may rise (default 10; > 1). */
  factor?: number;
  /** End training at the step that diverged (default false: record it and go on). */
  stop?: boolean;
}

export interface Divergence {
  /** The step (1-based) at which the run diverged, and its epoch (0-based). */
  step: number;
  epoch: number;
  /** That step's loss and its smoothed value. */
  loss: number;
  smoothedLoss: number;
  /** The loss of the first step, and the factor it was compared with. */
  firstLoss: number;
  factor: number;
  reason: "non-finite" | "rose";
}

export const DEFAULT_DIVERGENCE_FACTOR = 10;

/** The smoothing window of a run with `stepsPerEpoch` steps per epoch. */
export function divergenceWindow(stepsPerEpoch: number): number {
  return Math.max(1, Math.min(20, Math.ceil(stepsPerEpoch / 2)));
}

/** Follows a run's step losses; `observe` returns the divergence at the first step that diverged, then null. */
export class DivergenceMonitor {
  private readonly beta: number;
  private avg = 0;
  private power = 1;
  private first = NaN;
  private steps = 0;
  diverged: Divergence | null = null;

  constructor(readonly factor: number, window: number) {
    if (!(typeof factor === "number" && factor > 1 && Number.isFinite(factor))) throw new RangeError(`Invalid divergence factor: ${String(factor)} (must be a finite number > 1)`);
    this.beta = 1 - 2 / (window + 1);
  }

  observe(loss: number, epoch: number): Divergence | null {
    this.steps++;
    if (this.steps === 1) this.first = loss;
    this.avg = this.beta * this.avg + (1 - this.beta) * loss;
    this.power *= this.beta;
    const smoothed = this.avg / (1 - this.power);
    if (this.diverged) return null;
    const nonFinite = !Number.isFinite(loss);
    if (!nonFinite && !(smoothed > this.factor * Math.abs(this.first))) return null;
    this.diverged = {
      step: this.steps, epoch, loss, smoothedLoss: smoothed, firstLoss: this.first, factor: this.factor, reason: nonFinite ? "non-finite" : "rose",
    };
    return this.diverged;
  }
}

/** 'the loss became NaN at step 3' / 'the smoothed loss 2.4e+10 rose above 10 × its first value 2.30 at step 2'. */
export function describeDivergence(d: Divergence): string {
  const at = `at step ${d.step} (epoch ${d.epoch + 1})`;
  if (d.reason === "non-finite") return `the loss became ${d.loss} ${at}`;
  return `the smoothed training loss ${formatNumber(d.smoothedLoss)} rose above ${d.factor} × its first value ${formatNumber(d.firstLoss)} ${at}`;
}

function formatNumber(x: number): string {
  return Math.abs(x) >= 1e5 || (Math.abs(x) < 1e-3 && x !== 0) ? x.toExponential(2) : x.toPrecision(3);
}
