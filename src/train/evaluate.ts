// Inference over a dataset: evaluate() (mean loss and accuracy, in evaluation mode) and predict() (the outputs or
// class probabilities). Both run in batches of the model's compiled batch size on buffers planned once.
import { Dataset } from "../data/dataset.js";
import type { DataLoader } from "../data/loader.js";
import { correctCount } from "../nn/metrics.js";
import type { I32Slice } from "../engine/views.js";
import { plannedLoader, plannedTarget } from "./plan.js";
import type { LossFunction, TrainableModel } from "./types.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface EvaluateOptions {
  loss: LossFunction;
  /** Samples per forward pass (default: the model's compiled batch size). */
  batchSize?: number;
}

export interface Evaluation {
  /** Mean loss over every sample. */
  loss: number;
  /** Fraction classified correctly (NaN for regression targets or a single output). */
  accuracy: number;
  samples: number;
}

/** Mean loss and accuracy of the model on `data`, in evaluation mode (no dropout, BatchNorm's running stats). */
export function evaluate(model: TrainableModel, data: Dataset | DataLoader, options: EvaluateOptions): Evaluation {
  checkOptions("evaluate", options, EVALUATE_OPTIONS);
  const loader = evaluationLoader(model, data, options.batchSize, "evaluate");
  const set = loader.dataset;
  checkSample(model, set, "evaluate");
  const { slice, target } = plannedTarget(model.engine, set, loader.batchSize);
  const measureAccuracy = measuresAccuracy(model, set);
  let lossSum = 0, correct = 0, seen = 0;
  for (const n of loader.epoch(model.input, slice)) {
    model.forward(n, false);
    lossSum += options.loss.compute(model.output, target, n, null) * n;
    if (measureAccuracy) correct += correctCount(model.output, slice as I32Slice, n);
    seen += n;
  }
  // A NaN loss from a model whose weights diverged is a result; from data holding a NaN, a mistake to name.
  if (!Number.isFinite(lossSum)) checkFinite(set, "evaluate");
  return { loss: lossSum / seen, accuracy: measureAccuracy ? correct / seen : NaN, samples: seen };
}

export interface PredictOptions {
  /** Apply a softmax to each output row: class probabilities from a model that outputs logits (default false). */
  softmax?: boolean;
}

/**
 * The model's outputs (evaluation mode) for every sample of `x`: a Dataset, or float32 features sample after
 * sample. Returns n × (output size) values, row-major; with `softmax`, each row turned into probabilities.
 */
export function predict(model: TrainableModel, x: Dataset | Float32Array, options: PredictOptions = {}): Float32Array {
  checkOptions("predict", options, PREDICT_OPTIONS);
  const outSize = model.outputShape.reduce((a, b) => a * b, 1);
  const inSize = model.inputShape.reduce((a, b) => a * b, 1);
  const run = (n: number, out: Float32Array, at: number) => {
    model.forward(n, false);
    out.set(model.output.array.subarray(0, n * outSize), at * outSize);
  };
  let result: Float32Array;
  if (x instanceof Dataset) {
    checkSample(model, x, "predict");
    const loader = plannedLoader(model.engine, x, model.batchSize, false, false, 0);
    result = new Float32Array(x.length * outSize);
    let at = 0;
    for (const n of loader.epoch(model.input, null)) {
      run(n, result, at);
      at += n;
    }
  } else {
    if (x.length % inSize !== 0) {
      throw new RangeError(`predict: ${x.length} values are not a whole number of samples of shape [${model.inputShape.join(", ")}] (${inSize} values each)`);
    }
    const samples = x.length / inSize;
    result = new Float32Array(samples * outSize);
    for (let at = 0; at < samples; at += model.batchSize) {
      const n = Math.min(model.batchSize, samples - at);
      model.input.array.set(x.subarray(at * inSize, (at + n) * inSize));
      run(n, result, at);
    }
  }
  if (options.softmax) softmaxRows(result, outSize);
  return result;
}

/** The predicted class (argmax of the outputs) of every sample. */
export function predictClasses(model: TrainableModel, x: Dataset | Float32Array): Int32Array {
  const outputs = predict(model, x);
  const k = model.outputShape.reduce((a, b) => a * b, 1);
  const classes = new Int32Array(outputs.length / k);
  for (let i = 0; i < classes.length; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (outputs[i * k + c]! > outputs[i * k + best]!) best = c;
    classes[i] = best;
  }
  return classes;
}

/**
 * Accuracy is measured for class labels and outputs of shape [classes] with at least two classes, or of shape
 * [steps, classes] with one label per step.
 */
export function measuresAccuracy(model: TrainableModel, data: Dataset): boolean {
  const shape = model.outputShape;
  if (data.labels === null || shape[shape.length - 1]! < 2) return false;
  return shape.length === 1 ? data.labelSize === 1 : shape.length === 2 && shape[0] === data.labelSize;
}

function softmaxRows(values: Float32Array, k: number): void {
  for (let start = 0; start < values.length; start += k) {
    let max = -Infinity;
    for (let c = 0; c < k; c++) max = Math.max(max, values[start + c]!);
    let sum = 0;
    for (let c = 0; c < k; c++) sum += Math.exp(values[start + c]! - max);
    for (let c = 0; c < k; c++) values[start + c] = Math.exp(values[start + c]! - max) / sum;
  }
}

/** The loader evaluate and fit's validation use: unshuffled, the model's batch size unless told otherwise. */
export function evaluationLoader(model: TrainableModel, data: Dataset | DataLoader, batchSize: number | undefined, where: string): DataLoader {
  if (data instanceof Dataset) {
    const size = batchSize ?? model.batchSize;
    checkBatchSize(model, size, where);
    return plannedLoader(model.engine, data, size, false, false, 0);
  }
  checkBatchSize(model, data.batchSize, where);
  if (data.engine !== model.engine) throw new Error(`${where}: the DataLoader belongs to another engine than the model`);
  return data;
}

export function checkBatchSize(model: TrainableModel, batchSize: number, where: string): void {
  if (batchSize > model.batchSize) {
    throw new RangeError(`${where}: batchSize ${batchSize} exceeds the batch size the model was compiled for (${model.batchSize}); compile it with batchSize >= ${batchSize}`);
  }
}

export function checkSample(model: TrainableModel, data: Dataset, where: string): void {
  const want = model.inputShape.reduce((a, b) => a * b, 1);
  if (data.featureSize !== want) {
    throw new RangeError(`${where}: samples of '${data.name}' have shape [${data.shape.join(", ")}], the model's input is [${model.inputShape.join(", ")}]`);
  }
  // A label per step needs a prediction per step: output [steps, classes].
  const out = model.outputShape;
  const steps = out.length > 1 ? out.slice(0, -1).reduce((a, b) => a * b, 1) : 1;
  if (data.labels && data.labelSize > 1 && data.labelSize !== steps) {
    throw new RangeError(
      `${where}: '${data.name}' has ${data.labelSize} labels per sample (one per step), the model's output [${out.join(", ")}] predicts ${steps} per sample: ` +
        `end the model with a layer on every step (a recurrent layer with returnSequences, then Linear)`,
    );
  }
}

/**
 * Refuses data with a NaN or ±∞ feature or target: it would give a NaN loss without a word. Byte images cannot
 * hold one; float features are scanned once, before any work.
 */
export function checkFinite(data: Dataset, where: string): void {
  const scan = (values: Float32Array, width: number, what: string) => {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (v - v !== 0) {
        throw new RangeError(`${where}: '${data.name}' holds ${v} at sample ${Math.floor(i / width)}, ${what} ${i % width}; remove or impute it first`);
      }
    }
  };
  const x = data.x;
  if (x instanceof Float32Array) scan(x, data.featureSize, "feature");
  if (data.targets) scan(data.targets, data.targetSize, "target");
}

/** The keys evaluate accepts (tsc checks the list against EvaluateOptions). */
const EVALUATE_OPTIONS = keysOf<EvaluateOptions>({ loss: 1, batchSize: 1 });

/** The keys predict accepts (tsc checks the list against PredictOptions). */
const PREDICT_OPTIONS = keysOf<PredictOptions>({ softmax: 1 });
