// batch-modes: full-batch, mini-batch and stochastic gradient descent on the same model, data and initial
// weights, for the same number of epochs (each sees every sample once per epoch: the same compute in gradients).
//
//   full-batch   batch = every sample: one exact gradient step per epoch          lr 0.5
//   mini-batch   batch 32: a noisy gradient estimate, 45 steps per epoch           lr 0.1
//   stochastic   batch 1: one sample per step, 1438 steps per epoch                lr 0.01
// (each rate about the largest that trains steadily at its batch size on the digits)
import { formatLoss, formatPercent, formatSeconds, plural } from "../format.js";
import { labRun, parseRunSpec } from "../run-spec.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";
import { DIGITS, digits, mean, prepare, runComparisonExperiment, runOf } from "./common.js";
import type { CompareResult } from "../compare.js";

export const BATCH_MODE_RUNS = ["sgd:lr=0.5 batch=full label=full-batch", "sgd:lr=0.1 batch=32 label=mini-batch", "sgd:lr=0.01 batch=1 label=stochastic"];

export async function batchModesExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult & { comparison: CompareResult }> {
  const prepared = await prepare("batch-modes", options);
  const epochs = prepared.small ? 1 : 10;
  return runComparisonExperiment({
    name: "batch-modes",
    title: "Full-batch, mini-batch and stochastic gradient descent",
    dataDescription: DIGITS,
    compare: { data: digits(), model: "mlp:32", epochs, batchSize: 32, optimizers: BATCH_MODE_RUNS.map((t) => labRun(parseRunSpec(t))) },
    question:
      "Gradient descent can compute its gradient on every training sample (full-batch), on a small random batch (mini-batch) or on one sample " +
      `at a time (stochastic). Which gets further for the same work? Here each variant trains the same network from the same initial weights for ${epochs} epoch${epochs === 1 ? "" : "s"}: every sample is looked at ${epochs === 1 ? "once" : `${epochs} times`}, whatever the batch size.`,
    theory: [
      "A full batch gives the exact gradient, but only one step per epoch. A mini-batch of 32 gives a noisy estimate of it, 45 times per epoch here; a single sample an even noisier one, 1438 times. " +
        "Early in training, many cheap rough steps beat a few exact ones: so for the same number of epochs, stochastic and mini-batch descent should reach a lower training loss than full-batch descent.",
      "The price is noise: the loss of one sample jumps from step to step, and a step on one sample does little arithmetic, so per second the computer is used worst. " +
        "Mini-batches sit in between, which is why nearly all deep learning uses them.",
    ],
    findings: (r) => findings(r, epochs),
  }, prepared, options);
}

function findings(r: CompareResult, epochs: number): string[] {
  const names = ["full-batch", "mini-batch", "stochastic"];
  const loss = (n: string) => formatLoss(mean(r, n, "finalLoss"));
  const ranked = [...names].sort((a, b) => mean(r, a, "finalLoss") - mean(r, b, "finalLoss"));
  const perEpoch = (n: string) => mean(r, n, "seconds") / runOf(r, n).epochs;
  const steps = (n: string) => runOf(r, n).stepsPerEpoch;
  return [
    `After ${epochs} epoch${epochs === 1 ? "" : "s"} (${names.map((n) => `${n}: ${plural(steps(n) * epochs, "step")}`).join(", ")}), the training loss was ${names.map((n) => `${loss(n)} ${n}`).join(", ")}: ` +
      `${ranked[0]} got furthest for the same work${ranked[0] === "full-batch" ? ", against the usual expectation" : ", as expected"}.`,
    `Per epoch the runs took ${names.map((n) => `${formatSeconds(perEpoch(n))} (${n})`).join(", ")}: one sample per step leaves the vector units nearly idle, ` +
      "so stochastic descent is the slowest per epoch even though it does the same arithmetic. The chart against wall time shows which wins per second.",
    `Noise: in the last steps, the loss moved by ±${statsInstability(r, "stochastic").toPrecision(2)} from step to step for stochastic descent, ` +
      `±${statsInstability(r, "mini-batch").toPrecision(2)} for mini-batches; full-batch descent follows one smooth curve (its loss changes only because it descends).`,
    `On the held-out test set: ${names.map((n) => `${n} ${formatPercent(mean(r, n, "finalTestAccuracy"))} correct (loss ${formatLoss(mean(r, n, "finalTestLoss"))})`).join(", ")}.`,
  ];
}

function statsInstability(r: CompareResult, name: string): number {
  const values = r.replicates.map((runs) => runs.find((x) => x.name === name)!.summary.instability);
  return values.reduce((a, b) => a + b, 0) / values.length;
}

export const batchModesEntry: ExperimentEntry = {
  name: "batch-modes",
  title: "Full-batch, mini-batch and stochastic gradient descent",
  question: "For the same number of epochs, which gets the training loss lowest: full-batch, mini-batch or stochastic gradient descent, and at what cost in time and noise?",
  run: batchModesExperiment,
};
