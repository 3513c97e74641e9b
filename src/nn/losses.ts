// Loss functions (torch.nn, reduction 'mean'), on a model's output of `batch` samples:
//
//   CrossEntropyLoss   ℓ = (1/B) Σ_n [log Σ_c exp(x_nc) − x_n,y_n]      (log-softmax fused, max-shifted)
//                      ∂ℓ/∂x_nc = (softmax(x_n)_c − [c = y_n]) / B
//                      on sequences, predictions [T, classes] per sample and T labels per sample: the mean over
//                      every step of every sample, B = batch × T (language modelling: PyTorch's
//                      loss(output.reshape(-1, V), target.reshape(-1)))
//   MSELoss            ℓ = (1/N) Σ_i (x_i − t_i)²                       ∂ℓ/∂x_i = 2 (x_i − t_i) / N
//   BCEWithLogitsLoss  ℓ = (1/N) Σ_i [max(x_i, 0) − x_i t_i + log(1 + exp(−|x_i|))]
//                      ∂ℓ/∂x_i = (σ(x_i) − t_i) / N
//
// B = batch, N = batch × features. `compute(pred, target, batch, dPred)` returns ℓ and, when dPred is given,
// writes ∂ℓ/∂pred into it (usually model.dOutput). pred must be a BatchBuffer (model.output): it tells the number
// of features per sample. The kernels are in assembly/nn/losses.ts.
import type { F32Slice, I32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import { BatchBuffer } from "./batch-buffer.js";
import { formatShape } from "./format.js";

/** Integer class labels (CrossEntropyLoss) or target values of the prediction's shape (MSELoss, BCEWithLogitsLoss). */
export type LossTarget = { labels: I32Slice } | { values: F32Slice };

export interface Loss {
  /** The class name, in errors ('CrossEntropyLoss'). */
  readonly kind: string;
  /** Mean loss over the first `batch` samples of pred; writes d(loss)/d(pred) into dPred unless it is null. */
  compute(pred: F32Slice, target: LossTarget, batch: number, dPred: F32Slice | null): number;
}

/** Checks pred, batch and dPred; returns pred as the BatchBuffer it must be. */
function checkPred(kind: string, pred: F32Slice, batch: number, dPred: F32Slice | null): BatchBuffer {
  if (!(pred instanceof BatchBuffer)) {
    throw new TypeError(`${kind}: pred must be a BatchBuffer (a model's output, or BatchBuffer.allocate(...)), which knows the features per sample`);
  }
  if (!Number.isInteger(batch) || batch < 1 || batch > pred.maxBatch) {
    throw new RangeError(`${kind}: batch must be an integer in [1, ${pred.maxBatch}], got ${batch}`);
  }
  if (dPred && dPred.length < batch * pred.sampleSize) {
    throw new RangeError(`${kind}: dPred holds ${dPred.length} values, fewer than batch ${batch} × ${pred.sampleSize} features`);
  }
  return pred;
}

function targetValues(kind: string, target: LossTarget, n: number): F32Slice {
  if (!("values" in target)) throw new TypeError(`${kind}: target must be { values: F32Slice } (got labels)`);
  if (target.values.length < n) throw new RangeError(`${kind}: target holds ${target.values.length} values, the batch needs ${n}`);
  return target.values;
}

export class CrossEntropyLoss implements Loss {
  readonly kind = "CrossEntropyLoss";

  compute(pred: F32Slice, target: LossTarget, batch: number, dPred: F32Slice | null): number {
    const p = checkPred(this.kind, pred, batch, dPred);
    if (p.sampleShape.length > 2) throw new Error(`${this.kind}: expected predictions of shape [classes] or [steps, classes], got ${formatShape(p.sampleShape)}`);
    if (!("labels" in target)) throw new TypeError(`${this.kind}: target must be { labels: I32Slice } (class indices)`);
    const { labels } = target;
    const classes = p.sampleShape[p.sampleShape.length - 1]!;
    const steps = p.sampleSize / classes, rows = batch * steps;
    if (labels.length < rows) throw new RangeError(`${this.kind}: labels holds ${labels.length} values, the batch needs ${rows}${steps > 1 ? ` (${steps} per sample)` : ""}`);
    const k = p.engine.kernels;
    const bad = k.i32_find_out_of_range(labels.ptr, rows, classes);
    if (bad >= 0) {
      const where = steps > 1 ? `sample ${Math.floor(bad / steps)}, step ${bad % steps}` : `sample ${bad}`;
      throw new RangeError(`${this.kind}: label ${labels.array[bad]} of ${where} is outside [0, ${classes})`);
    }
    return k.f32_cross_entropy(p.ptr, labels.ptr, dPred ? dPred.ptr : 0, rows, classes, 1 / rows) / rows;
  }
}

/** A loss on target values of the prediction's shape, summed over n = batch × features values by one kernel. */
abstract class ValueLoss implements Loss {
  abstract readonly kind: string;

  compute(pred: F32Slice, target: LossTarget, batch: number, dPred: F32Slice | null): number {
    const p = checkPred(this.kind, pred, batch, dPred);
    const n = batch * p.sampleSize;
    const t = targetValues(this.kind, target, n);
    return this.sum(p.engine.kernels, p.ptr, t.ptr, dPred ? dPred.ptr : 0, n) / n;
  }

  /** Σ of the loss over n values; writes ∂ℓ/∂pred of the mean into dPred unless it is 0. */
  protected abstract sum(k: Kernels, pred: number, target: number, dPred: number, n: number): number;
}

export class MSELoss extends ValueLoss {
  readonly kind = "MSELoss";
  protected sum(k: Kernels, pred: number, target: number, dPred: number, n: number): number {
    return k.f32_mse(pred, target, dPred, n, 2 / n);
  }
}

export class BCEWithLogitsLoss extends ValueLoss {
  readonly kind = "BCEWithLogitsLoss";
  protected sum(k: Kernels, pred: number, target: number, dPred: number, n: number): number {
    return k.f32_bce_with_logits(pred, target, dPred, n, 1 / n);
  }
}
