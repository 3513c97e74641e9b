// Classification accuracy: the fraction of samples whose largest output (the first, on ties, as torch.argmax)
// sits at the sample's label. Counted by a kernel (f32_argmax_hits).
import type { F32Slice, I32Slice } from "../engine/views.js";
import { BatchBuffer } from "./batch-buffer.js";
import { formatShape } from "./format.js";

/** Fraction in [0, 1] of the first `batch` samples of pred predicted right. */
export function accuracy(pred: F32Slice, labels: I32Slice, batch: number): number {
  return correctCount(pred, labels, batch) / batch;
}

/** Number of the first `batch` samples of pred whose argmax equals the label. */
export function correctCount(pred: F32Slice, labels: I32Slice, batch: number): number {
  if (!(pred instanceof BatchBuffer)) throw new TypeError("accuracy: pred must be a BatchBuffer (a model's output), which knows the classes per sample");
  if (pred.sampleShape.length !== 1) throw new Error(`accuracy: expected predictions of shape [classes], got ${formatShape(pred.sampleShape)}`);
  if (!Number.isInteger(batch) || batch < 1 || batch > pred.maxBatch || batch > labels.length) {
    throw new RangeError(`accuracy: batch must be an integer in [1, ${Math.min(pred.maxBatch, labels.length)}], got ${batch}`);
  }
  return pred.engine.kernels.f32_argmax_hits(pred.ptr, labels.ptr, batch, pred.sampleSize);
}
