// A comparison's numbers as plain data: JSON (everything: settings, summaries, per-epoch records, per-step loss,
// smoothed loss, lr and wall time) and CSV rows (one per epoch, one per step). Browser-safe.
import type { CompareResult } from "./compare.js";
import type { GradientNorms } from "../train/gradient-norms.js";

/** Each parameter's gradient norm per step, by name: { '0.weight': [...], ... }. */
export function gradientNormsJson(norms: GradientNorms): Record<string, number[]> {
  return Object.fromEntries(norms.names.map((name, j) => [name, Array.from(norms.values[j]!)]));
}

export function compareToJson(result: CompareResult): object {
  const { runs: _first, replicates, statistics, ...settings } = result;
  return {
    ...settings,
    statistics: statistics.map((s) => ({ name: s.name, diverged: s.diverged, metrics: s.metrics, values: s.values })),
    runs: replicates.flat().map((r) => ({
      name: r.name,
      seed: r.seed,
      settings: { batchSize: r.batchSize, epochs: r.epochs, stepsPerEpoch: r.stepsPerEpoch, schedule: r.schedule },
      optimizer: r.label,
      options: r.options,
      summary: r.summary,
      epochs: r.history.epochs,
      steps: {
        loss: Array.from(r.stepLosses),
        smoothedLoss: Array.from(r.smoothedLosses),
        lr: Array.from(r.stepLrs),
        seconds: Array.from(r.stepSeconds),
      },
      ...(r.history.gradientNorms ? { gradientNorms: gradientNormsJson(r.history.gradientNorms) } : {}),
    })),
  };
}

/** One row per optimizer and epoch (epoch 1-based). */
export function compareEpochRows(result: CompareResult): Record<string, number | string>[] {
  return result.replicates.flat().flatMap((r) =>
    r.history.epochs.map((e) => ({
      optimizer: r.name, seed: r.seed, epoch: e.epoch + 1, loss: e.loss, accuracy: e.accuracy, test_loss: e.valLoss, test_accuracy: e.valAccuracy,
      lr: e.lr, seconds: e.seconds, samples_per_second: e.samplesPerSecond,
    })),
  );
}

/** One row per optimizer and step (step 1-based). */
export function compareStepRows(result: CompareResult): Record<string, number | string>[] {
  return result.replicates.flat().flatMap((r) =>
    Array.from(r.stepLosses, (loss, i) => ({
      optimizer: r.name, seed: r.seed, step: i + 1, epoch: Math.floor(i / r.stepsPerEpoch) + 1, loss, smoothed_loss: r.smoothedLosses[i]!,
      lr: r.stepLrs[i]!, seconds: r.stepSeconds[i]!,
    })),
  );
}
