// lrFind: the learning-rate range test (Smith 2017; fastai's lr_find, torch-lr-finder's LRFinder).
//
//   a fresh model; for i = 0 … numIter − 1, one batch each (epochs repeat as needed):
//     lr_i = startLr · (endLr / startLr)^(i / (numIter − 1))                 an exponential sweep
//     one optimizer step at lr_i on the batch's loss ℓ_i
//     s_i = bias-corrected EMA of ℓ with weight `smoothing` (stats.ts)
//     stop after recording i when s_i is not finite or s_i > divergeThreshold · min_{j ≤ i} s_j
//   suggestion: the lr where s falls fastest against log lr, i.e. the most negative
//     ds/d(log10 lr) (central differences, one-sided at the ends), searched over the points left after skipping
//     skipStart at the start and skipEnd at the end (fastai's skip_start = 10, skip_end = 5); null when fewer
//     than 3 points remain.
// The model is built for the test and thrown away: nothing is restored because nothing else was touched.
import { DataLoader } from "../data/loader.js";
import { createEngine, type Engine } from "../engine/engine.js";
import type { Loss } from "../nn/losses.js";
import { requireInteger, requirePositive } from "../optim/validate.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Parameter } from "../engine/parameter.js";
import { plannedTarget } from "../train/plan.js";
import { defaultLoss, labModel, resolveBatchSize, type LabData, type ModelSource } from "./setup.js";
import { smoothEma } from "./stats.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface LrFindOptions {
  engine?: Engine;
  model: ModelSource;
  /** Only `train` is used. */
  data: LabData;
  /** Makes the optimizer to test; its lr is overwritten at every step. */
  optimizer: (params: Parameter[]) => Optimizer<object>;
  loss?: Loss;
  /** Default 32. */
  batchSize?: number | "full";
  /** Default 1e-7 and 10. */
  startLr?: number;
  endLr?: number;
  /** Steps of the sweep (default 200). */
  numIter?: number;
  /** Weight of each new loss in the smoothed curve (default 0.05). */
  smoothing?: number;
  /** Stop when the smoothed loss exceeds this multiple of its minimum so far (default 5). */
  divergeThreshold?: number;
  /** Points left out of the search for the steepest descent (default 10 and 5). */
  skipStart?: number;
  skipEnd?: number;
  /** Seeds the weights and the batch order (default 0). */
  seed?: number;
}

export interface LrFindResult {
  /** The learning rate of every step taken. */
  lrs: number[];
  /** Their batch losses and the smoothed curve. */
  losses: number[];
  smoothed: number[];
  /** The suggested learning rate (steepest descent of the smoothed loss), or null. */
  suggestion: number | null;
  /** Index of the suggestion in lrs (−1 when null). */
  suggestionIndex: number;
  /** The lowest smoothed loss, and the lr where it was reached. */
  minLoss: number;
  minLossLr: number;
  /** Why the sweep ended. */
  stopped: "end" | "diverged";
  numIter: number;
  startLr: number;
  endLr: number;
}

export async function lrFind(options: LrFindOptions): Promise<LrFindResult> {
  checkOptions("lrFind", options, LR_FIND_OPTIONS);
  const { startLr = 1e-7, endLr = 10, numIter = 200, smoothing = 0.05, divergeThreshold = 5, skipStart = 10, skipEnd = 5, seed = 0 } = options;
  requirePositive("startLr", startLr);
  requirePositive("endLr", endLr);
  if (!(endLr > startLr)) throw new RangeError(`lrFind: endLr (${endLr}) must exceed startLr (${startLr})`);
  requireInteger("numIter", numIter, 2);
  if (!(smoothing > 0 && smoothing <= 1)) throw new RangeError(`Invalid smoothing: ${smoothing} (must be in (0, 1])`);
  if (!(divergeThreshold > 1)) throw new RangeError(`Invalid divergeThreshold: ${divergeThreshold} (must be > 1)`);
  requireInteger("skipStart", skipStart);
  requireInteger("skipEnd", skipEnd);
  const engine = options.engine ?? (await createEngine());
  const lab = labModel(options.model, options.data);
  const batch = resolveBatchSize(options.batchSize ?? 32, lab.train);
  const model = lab.build(engine, batch, seed);
  const loss = options.loss ?? defaultLoss(lab.train);
  const optimizer = options.optimizer(model.parameters());
  const groups = optimizer.paramGroups as unknown as { lr: number }[];
  const loader = new DataLoader(engine, lab.train, { batchSize: batch, shuffle: true, seed });
  const { slice, target } = plannedTarget(engine, lab.train, batch);

  const lrs: number[] = [], losses: number[] = [];
  let stopped: LrFindResult["stopped"] = "end";
  let best = Infinity;
  const beta = 1 - smoothing;
  let avg = 0, power = 1;
  sweep: for (;;) {
    for (const n of loader.epoch(model.input, slice)) {
      const i = lrs.length;
      const lr = startLr * (endLr / startLr) ** (i / (numIter - 1));
      for (const g of groups) g.lr = lr;
      model.zeroGrad();
      model.forward(n, true);
      const l = loss.compute(model.output, target, n, model.dOutput);
      model.backward(n);
      optimizer.step();
      lrs.push(lr);
      losses.push(l);
      avg = beta * avg + (1 - beta) * l;
      power *= beta;
      const s = avg / (1 - power);
      if (!Number.isFinite(s) || s > divergeThreshold * best) {
        stopped = "diverged";
        break sweep;
      }
      best = Math.min(best, s);
      if (lrs.length === numIter) break sweep;
    }
  }
  const smoothed = Array.from(smoothEma(losses, smoothing));
  const suggestionIndex = steepestDescent(lrs, smoothed, skipStart, skipEnd);
  let minIndex = 0;
  smoothed.forEach((s, i) => {
    if (s < smoothed[minIndex]!) minIndex = i;
  });
  return {
    lrs, losses, smoothed,
    suggestion: suggestionIndex >= 0 ? lrs[suggestionIndex]! : null,
    suggestionIndex,
    minLoss: smoothed[minIndex]!,
    minLossLr: lrs[minIndex]!,
    stopped, numIter, startLr, endLr,
  };
}

/** The index of the most negative slope of `ys` against log10(xs) within the unskipped points, or −1. */
export function steepestDescent(xs: readonly number[], ys: readonly number[], skipStart: number, skipEnd: number): number {
  const from = skipStart, to = ys.length - skipEnd; // [from, to)
  if (to - from < 3) return -1;
  const logX = xs.map(Math.log10);
  let best = -1, bestSlope = Infinity;
  for (let i = from; i < to; i++) {
    const lo = Math.max(from, i - 1), hi = Math.min(to - 1, i + 1);
    const slope = (ys[hi]! - ys[lo]!) / (logX[hi]! - logX[lo]!);
    if (Number.isFinite(slope) && slope < bestSlope) (best = i), (bestSlope = slope);
  }
  return best;
}

/** The keys lrFind accepts (tsc checks the list against LrFindOptions). */
const LR_FIND_OPTIONS = keysOf<LrFindOptions>({ engine: 1, model: 1, data: 1, optimizer: 1, loss: 1, batchSize: 1, startLr: 1, endLr: 1, numIter: 1, smoothing: 1, divergeThreshold: 1, skipStart: 1, skipEnd: 1, seed: 1 });
