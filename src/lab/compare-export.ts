// A comparison's numbers as plain data: JSON (everything: settings, summaries, per-epoch records, per-step loss,
// smoothed loss, lr and wall time) and CSV rows (one per epoch, one per step). Browser-safe.
import type { CompareResult } from "./compare.js";
import type { GradientNorms } from "../train/gradient-norms.js";

/** Each parameter's gradient norm per step, by name: { '0.weight': [...], ... }. */
export function gradientNormsJson(norms: GradientNorms): Record<string, number[]> {
  return Object.fromEntries(norms.names.map((name, j) => [name, Array.from(norms.values[j]!)]));
}

export function compareToJson(result: CompareResult): object {
  const { runs, ...settings } = result;
  return {
    ...settings,
    runs: runs.map((r) => ({
      name: r.name,
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
  return result.runs.flatMap((r) =>
    r.history.epochs.map((e) => ({
      optimizer: r.name, epoch: e.epoch + 1, loss: e.loss, accuracy: e.accuracy, test_loss: e.valLoss, test_accuracy: e.valAccuracy,
      lr: e.lr, seconds: e.seconds, samples_per_second: e.samplesPerSecond,
    })),
  );
}

/** One row per optimizer and step (step 1-based). */
export function compareStepRows(result: CompareResult): Record<string, number | string>[] {
  return result.runs.flatMap((r) =>
    Array.from(r.stepLosses, (loss, i) => ({
      optimizer: r.name, step: i + 1, epoch: Math.floor(i / result.stepsPerEpoch) + 1, loss, smoothed_loss: r.smoothedLosses[i]!,
      lr: r.stepLrs[i]!, seconds: r.stepSeconds[i]!,
    })),
  );
}
