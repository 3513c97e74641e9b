// updateBn (torch.optim.swa_utils.update_bn): recomputes the running statistics of every BatchNorm layer for the
// weights the model holds now, with one pass over `data` in training mode:
//
//   running_mean ← 0, running_var ← 1, num_batches_tracked ← 0, momentum ← null (a cumulative average)
//   for each batch: forward in training mode (the statistics accumulate; nothing else is computed)
//   momentum ← as it was
//
// The running statistics gathered during training belong to other weights: to the iterates, not to their average
// (AveragedModel), or to y, not to x (schedule-free optimizers; their README does this before evaluating). Call
// it with the averaged weights in place (after optimizer.eval() for a schedule-free optimizer). Dropout layers run
// in training mode too, as torch's model.train(), and draw from their random streams.
import type { Dataset } from "../data/dataset.js";
import type { DataLoader } from "../data/loader.js";
import { checkOptions, keysOf } from "../engine/options.js";
import type { BatchNorm1d } from "../nn/batchnorm.js";
import { checkSample, evaluationLoader } from "./evaluate.js";
import { plannedTarget } from "./plan.js";
import type { TrainableModel } from "./types.js";

export interface UpdateBnOptions {
  /** Samples per batch for a Dataset (default: the model's compiled batch size). */
  batchSize?: number;
  /** Use only the first this many batches (default all; the schedule-free README uses 50). */
  batches?: number;
}

const UPDATE_BN_OPTIONS = keysOf<UpdateBnOptions>({ batchSize: 1, batches: 1 });

/** The layers whose running statistics updateBn recomputes (by kind, as everywhere). */
function batchNorms(model: TrainableModel): BatchNorm1d[] {
  return (model.layers ?? []).filter((l): l is BatchNorm1d => {
    const kind = (l as { kind?: string }).kind;
    return (kind === "BatchNorm1d" || kind === "BatchNorm2d") && (l as BatchNorm1d).trackRunningStats;
  });
}

/** Recomputes every BatchNorm layer's running statistics over `data`; a model without BatchNorm is left alone. */
export function updateBn(model: TrainableModel, data: Dataset | DataLoader, options: UpdateBnOptions = {}): void {
  checkOptions("updateBn", options, UPDATE_BN_OPTIONS);
  const { batches = Infinity } = options;
  if (batches !== Infinity && !(Number.isInteger(batches) && batches >= 1)) throw new RangeError(`updateBn: batches must be a positive integer, got ${batches}`);
  const loader = evaluationLoader(model, data, options.batchSize, "updateBn");
  checkSample(model, loader.dataset, "updateBn");
  const norms = batchNorms(model);
  if (norms.length === 0) return;
  const momenta = norms.map((l) => l.momentum);
  for (const l of norms) {
    const { running_mean, running_var, num_batches_tracked } = l.stateBuffers();
    running_mean!.array.fill(0), running_var!.array.fill(1), num_batches_tracked!.array.fill(0);
    l.momentum = null;
  }
  try {
    const { slice } = plannedTarget(model.engine, loader.dataset, loader.batchSize);
    let done = 0;
    for (const n of loader.epoch(model.input, slice)) {
      if (done++ === batches) break;
      model.forward(n, true);
    }
  } finally {
    norms.forEach((l, i) => (l.momentum = momenta[i]!));
  }
}
