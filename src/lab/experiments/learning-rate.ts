// learning-rate: one optimizer (plain SGD) across a ladder of rates, each curve named by what happened:
//
//   diverged     the divergence monitor (train/divergence.ts) stopped it: a non-finite loss, or the smoothed
//                loss above 10 × its start
//   good         within 50 % of the best final loss of the ladder
//   too large    above the best rate and more than 50 % worse than the best: it bounces and settles higher
//   too small    below the best rate, and its final training loss more than half of its first: it barely moved
//   slow         below the best rate, more than 50 % worse than the best, but it moved
import type { CompareResult } from "../compare.js";
import { seedStatistics } from "../compare-seeds.js";
import { formatLoss, formatLr } from "../format.js";
import { parseOptimizerSpec } from "../spec-optimizers.js";
import { withLr } from "../tune.js";
import { DIGITS, digits, prepare, runComparisonExperiment } from "./common.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";

export const LR_LADDER = [1e-3, 0.03, 0.3, 3, 30];

export type LrVerdict = "diverged" | "too small" | "slow" | "good" | "too large";

export interface LearningRateOutcome {
  lr: number;
  verdict: LrVerdict;
  /** Mean over the seeds (NaN when every seed diverged). */
  finalLoss: number;
  firstLoss: number;
  divergedAt: number | null;
}

export async function learningRateExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult & { comparison: CompareResult; outcomes: LearningRateOutcome[] }> {
  const prepared = await prepare("learning-rate", options);
  const epochs = prepared.small ? 2 : 10;
  const sgd = parseOptimizerSpec("sgd");
  let outcomes: LearningRateOutcome[] = [];
  const experiment = await runComparisonExperiment({
    name: "learning-rate",
    title: "The learning rate: too small, good, too large, divergent",
    dataDescription: DIGITS,
    compare: {
      data: digits(), model: "mlp:32", epochs, batchSize: 32,
      optimizers: LR_LADDER.map((lr) => ({ name: `lr ${formatLr(lr)}`, label: "SGD", make: (p) => withLr(sgd.make(p), lr) })),
    },
    question:
      `How much does the learning rate matter? The same network, the same initial weights and the same batches, trained with plain SGD for ${epochs} epochs at ${LR_LADDER.length} rates, each ten to thirty times the last.`,
    theory: [
      "Each step moves the weights by the learning rate times the gradient. Too small, and the loss creeps down: after the same number of steps it has barely moved. " +
        "Too large, and each step overshoots the valley it aims for: the loss bounces and settles higher, or grows without bound (diverges).",
      "Between them lies a band of good rates, often a decade or so wide. Its place depends on the model, the data, the batch size and the optimizer, which is why it has to be found, not guessed (see 'wasm-optim lr-find' and 'advise').",
    ],
    findings(r) {
      outcomes = classify(r);
      relabel(r, outcomes);
      return outcomes.map((o) => sentence(o, epochs));
    },
  }, prepared, options);
  return { ...experiment, outcomes };
}

/** What happened at each rate (the divergence monitor's verdict first). */
export function classify(r: CompareResult): LearningRateOutcome[] {
  const base = r.statistics.map((s, i) => {
    const run = r.runs[i]!;
    return { lr: LR_LADDER[i]!, finalLoss: s.metrics.finalLoss.mean, firstLoss: run.stepLosses[0]!, divergedAt: run.summary.divergedAt, diverged: s.diverged > 0 };
  });
  const alive = base.filter((b) => !b.diverged && Number.isFinite(b.finalLoss));
  const bestIndex = base.indexOf(alive.reduce((a, b) => (b.finalLoss < a.finalLoss ? b : a), alive[0]!));
  const best = base[bestIndex]?.finalLoss ?? NaN;
  return base.map((b, i) => {
    let verdict: LrVerdict;
    if (b.diverged) verdict = "diverged";
    else if (b.finalLoss <= 1.5 * best) verdict = "good";
    else if (i > bestIndex) verdict = "too large";
    else verdict = b.finalLoss > 0.5 * b.firstLoss ? "too small" : "slow";
    return { lr: b.lr, verdict, finalLoss: b.finalLoss, firstLoss: b.firstLoss, divergedAt: b.divergedAt };
  });
}

/** Names each run 'lr 0.3 (good)', so that the charts' legends say what happened. */
function relabel(r: CompareResult, outcomes: readonly LearningRateOutcome[]): void {
  const names = outcomes.map((o) => `lr ${formatLr(o.lr)} (${o.verdict})`);
  for (const runs of r.replicates) runs.forEach((run, i) => (run.name = run.summary.name = names[i]!));
  const { statistics, differences } = seedStatistics(r.replicates, r.data.test !== null);
  r.statistics.splice(0, r.statistics.length, ...statistics);
  r.differences.splice(0, r.differences.length, ...differences);
}

function sentence(o: LearningRateOutcome, epochs: number): string {
  const lr = `At lr ${formatLr(o.lr)}`;
  switch (o.verdict) {
    case "diverged":
      return `${lr} the run diverged at step ${o.divergedAt}: the loss rose far above its start (${formatLoss(o.firstLoss)}) and the divergence monitor stopped it.`;
    case "too small":
      return `${lr} the rate was too small: after ${epochs} epochs the loss had only fallen from ${formatLoss(o.firstLoss)} to ${formatLoss(o.finalLoss)}.`;
    case "slow":
      return `${lr} training worked but slowly: loss ${formatLoss(o.finalLoss)} at the end, well above the best rate's.`;
    case "good":
      return `${lr} the rate was good: the loss fell from ${formatLoss(o.firstLoss)} to ${formatLoss(o.finalLoss)}.`;
    case "too large":
      return `${lr} the rate was too large: the steps overshot, and the loss ended at ${formatLoss(o.finalLoss)} (it started at ${formatLoss(o.firstLoss)}), above the best rate's, without diverging.`;
  }
}

export const learningRateEntry: ExperimentEntry = {
  name: "learning-rate",
  title: "The learning rate: too small, good, too large, divergent",
  question: "What happens to training at a learning rate that is too small, good, too large, or far too large?",
  run: learningRateExperiment,
};
