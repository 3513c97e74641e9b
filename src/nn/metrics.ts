// Classification accuracy: the fraction of samples whose largest output (the first, on ties, as torch.argmax)
// sits at the sample's label. Counted by a kernel (f32_argmax_hits). On sequences (predictions [T, classes] per
// sample, T labels per sample), every step counts: a sample counts as the fraction of its steps predicted right.
//
// Perplexity, the language models' measure: exp of the mean cross-entropy per step (in nats), the number of
// equally likely choices that would be as uncertain; 1 is perfect, the vocabulary size is guessing uniformly.
import type { F32Slice, I32Slice } from "../engine/views.js";
import { BatchBuffer } from "./batch-buffer.js";
import { formatShape } from "./format.js";

/** Fraction in [0, 1] of the first `batch` samples of pred predicted right. */
export function accuracy(pred: F32Slice, labels: I32Slice, batch: number): number {
  return correctCount(pred, labels, batch) / batch;
}

/** Number of the first `batch` samples of pred whose argmax equals the label (on sequences, fractions of samples). */
export function correctCount(pred: F32Slice, labels: I32Slice, batch: number): number {
  if (!(pred instanceof BatchBuffer)) throw new TypeError("accuracy: pred must be a BatchBuffer (a model's output), which knows the classes per sample");
  if (pred.sampleShape.length > 2) throw new Error(`accuracy: expected predictions of shape [classes] or [steps, classes], got ${formatShape(pred.sampleShape)}`);
  const classes = pred.sampleShape[pred.sampleShape.length - 1]!;
  const steps = pred.sampleSize / classes;
  if (!Number.isInteger(batch) || batch < 1 || batch > pred.maxBatch || batch * steps > labels.length) {
    throw new RangeError(`accuracy: batch must be an integer in [1, ${Math.min(pred.maxBatch, Math.floor(labels.length / steps))}], got ${batch}`);
  }
  return pred.engine.kernels.f32_argmax_hits(pred.ptr, labels.ptr, batch * steps, classes) / steps;
}

/** exp(mean cross-entropy): the perplexity of a language model whose mean loss per step is `crossEntropy`. */
export function perplexity(crossEntropy: number): number {
  return Math.exp(crossEntropy);
}
