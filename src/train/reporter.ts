// What fit() tells a progress display. The terminal bar (progress.ts) is one implementation; a web page can pass
// its own. Called at most a few times a second per batch (fit throttles batchEnd), so it may format strings.

export interface ProgressReporter {
  /** A new epoch starts (0-based `epoch`), of `batches` optimizer steps. */
  epochBegin(epoch: number, epochs: number, batches: number): void;
  /** Progress inside the epoch: `done` steps, the running mean loss and accuracy (NaN when not measured). */
  batchEnd(done: number, loss: number, accuracy: number, samplesPerSecond: number): void;
  /** The epoch is over: its summary line. */
  epochEnd(summary: EpochSummary): void;
  /** Training ended (normally, by a callback, or by an error). */
  end(): void;
}

export interface EpochSummary {
  epoch: number;
  epochs: number;
  loss: number;
  accuracy: number;
  valLoss: number;
  valAccuracy: number;
  samplesPerSecond: number;
  seconds: number;
}

/** Formats an epoch's summary line ('epoch 3/10  loss 0.1234  acc 96.10%  val_loss ...  1234 samples/s  0.8 s'). */
export function formatEpochSummary(s: EpochSummary): string {
  const parts = [`epoch ${s.epoch + 1}/${s.epochs}`, `loss ${s.loss.toFixed(4)}`];
  if (!Number.isNaN(s.accuracy)) parts.push(`acc ${(100 * s.accuracy).toFixed(2)}%`);
  if (!Number.isNaN(s.valLoss)) parts.push(`val_loss ${s.valLoss.toFixed(4)}`);
  if (!Number.isNaN(s.valAccuracy)) parts.push(`val_acc ${(100 * s.valAccuracy).toFixed(2)}%`);
  parts.push(`${Math.round(s.samplesPerSecond)} samples/s`, `${s.seconds.toFixed(1)} s`);
  return parts.join("  ");
}
