// batch-lr: a grid of batch sizes × learning rates (plain SGD, the same initial weights, the same number of
// epochs), coloured by the final training loss: the linear scaling rule tested.
//
//   linear scaling rule (Krizhevsky 2014; Goyal et al. 2017, "Accurate, Large Minibatch SGD"): when the batch
//   grows k times, multiply the learning rate by k. A batch of B averages B gradients, so its step has about
//   the same mean and 1/B the variance; k times fewer steps per epoch need k times longer steps to travel as far.
//   It holds up to a limit: past some rate the step overshoots whatever the batch.
import type { CompareResult } from "../compare.js";
import { formatLoss, formatLr } from "../format.js";
import { heatmap } from "../../report/heatmap.js";
import { parseOptimizerSpec } from "../spec-optimizers.js";
import { withLr } from "../tune.js";
import { DIGITS, digits, prepare, runComparisonExperiment } from "./common.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";

export interface BatchLrGrid {
  batches: number[];
  lrs: number[];
  /** loss[b][l]: the mean final training loss (NaN: diverged). */
  loss: number[][];
  /** Per batch size, the index of its best rate (−1: every rate diverged). */
  best: number[];
}

export async function batchLrExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult & { comparison: CompareResult; grid: BatchLrGrid }> {
  const prepared = await prepare("batch-lr", options);
  const batches = prepared.small ? [8, 64] : [8, 32, 128];
  const lrs = prepared.small ? [0.01, 0.03, 0.1, 0.3, 1] : [0.003, 0.01, 0.03, 0.1, 0.3, 1, 3];
  const epochs = prepared.small ? 1 : 4;
  const sgd = parseOptimizerSpec("sgd");
  const name = (b: number, lr: number) => `batch ${b}, lr ${formatLr(lr)}`;
  let grid: BatchLrGrid = { batches, lrs, loss: [], best: [] };
  const experiment = await runComparisonExperiment({
    name: "batch-lr",
    title: "Batch size × learning rate: the linear scaling rule",
    dataDescription: DIGITS,
    compare: {
      data: digits(), model: "mlp:32", epochs, batchSize: 32,
      optimizers: batches.flatMap((b) => lrs.map((lr) => ({ name: name(b, lr), label: "SGD", batchSize: b, make: (p: Parameters<typeof sgd.make>[0]) => withLr(sgd.make(p), lr) }))),
    },
    question:
      `If the batch size changes, how should the learning rate change? Plain SGD trains the same network for ${epochs} epoch${epochs === 1 ? "" : "s"} at every pair of ` +
      `${batches.length} batch sizes (${batches.join(", ")}) and ${lrs.length} learning rates (${lrs.map(formatLr).join(", ")}), all from the same initial weights.`,
    theory: [
      "A batch of B samples averages B gradients: its step points the same way on average, with less noise. But an epoch has B times fewer such steps, " +
        "so for the same distance per epoch each step must be longer. The linear scaling rule says: multiply the batch by k, multiply the learning rate by k (Goyal et al. 2017).",
      "In the heatmap, the rule predicts a diagonal valley: the best rate (outlined) moving right as the batch grows, by about as many columns as the batch's factor spans. " +
        "It breaks down at large rates, where any batch overshoots.",
    ],
    findings(r) {
      grid = gridOf(r, batches, lrs);
      return findings(grid);
    },
    async extra() {
      return [{
        heading: "The grid",
        text: "Each cell is the final training loss, averaged over the seeds: yellow is low (good), dark purple high. The cell outlined in red is each batch size's best rate; a cell marked 'diverged' blew up.",
        charts: [await heatmap({
          columns: lrs.map(formatLr), rows: batches.map(String), values: grid.loss, format: formatLoss, missing: "diverged", logColor: true,
          title: "Final training loss", subtitle: `plain SGD, ${epochs} epoch${epochs === 1 ? "" : "s"}; outlined in red: the best rate of each batch size`,
          xLabel: "learning rate", yLabel: "batch size", valueLabel: "loss", marked: grid.best.map((c, r) => [r, c] as const).filter(([, c]) => c >= 0),
        })],
      }];
    },
  }, prepared, options);
  return { ...experiment, grid };
}

export function gridOf(r: CompareResult, batches: readonly number[], lrs: readonly number[]): BatchLrGrid {
  const loss = batches.map((_, b) => lrs.map((_, l) => {
    const s = r.statistics[b * lrs.length + l]!;
    return s.diverged > 0 ? NaN : s.metrics.finalLoss.mean;
  }));
  const best = loss.map((row) => row.reduce((bi, v, i) => (Number.isFinite(v) && (bi < 0 || v < row[bi]!) ? i : bi), -1));
  return { batches: [...batches], lrs: [...lrs], loss, best };
}

function findings(g: BatchLrGrid): string[] {
  const out = g.batches.map((b, i) => (g.best[i]! >= 0 ? `Batch ${b}: best rate ${formatLr(g.lrs[g.best[i]!]!)} (loss ${formatLoss(g.loss[i]![g.best[i]!]!)}).` : `Batch ${b}: every rate diverged.`));
  const first = 0, last = g.batches.length - 1;
  if (g.best[first]! >= 0 && g.best[last]! >= 0) {
    const batchRatio = g.batches[last]! / g.batches[first]!;
    const lrRatio = g.lrs[g.best[last]!]! / g.lrs[g.best[first]!]!;
    const verdict = lrRatio >= batchRatio / 3.2 && lrRatio <= batchRatio * 3.2
      ? "about what the linear scaling rule predicts (within the grid's steps of about 3×)"
      : lrRatio > 1 ? "less than the rule predicts: the best rate grew, but not in proportion (the largest rates overshoot whatever the batch)" : "unlike the rule, which would have it grow";
    out.push(`From batch ${g.batches[first]} to ${g.batches[last]} (${batchRatio}× larger) the best rate changed ${Number(lrRatio.toPrecision(2))}×, where the rule predicts ${batchRatio}×: ${verdict}.`);
    const lossAt = (i: number) => g.loss[i]![g.best[i]!]!;
    if (lossAt(last) > lossAt(first)) {
      out.push(
        `In the same number of epochs a batch of ${g.batches[last]} takes ${batchRatio}× fewer steps than one of ${g.batches[first]}, so even at its best rate it ended higher ` +
          `(${formatLoss(lossAt(last))} against ${formatLoss(lossAt(first))}): large batches save time per epoch, on hardware that runs a batch in parallel, not epochs.`,
      );
    }
  }
  return out;
}

export const batchLrEntry: ExperimentEntry = {
  name: "batch-lr",
  title: "Batch size × learning rate: the linear scaling rule",
  question: "When the batch grows k times, should the learning rate grow k times too (the linear scaling rule)?",
  run: batchLrExperiment,
};
