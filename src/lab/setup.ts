// What every lab experiment sets up the same way: the data (train and an optional test set), a model built
// fresh for each run from the same seed (so every run starts from the same weights), and the default loss.
import type { Dataset } from "../data/dataset.js";
import type { Engine } from "../engine/engine.js";
import type { Layer, Shape } from "../nn/layer.js";
import { CrossEntropyLoss, MSELoss, type Loss } from "../nn/losses.js";
import { Sequential } from "../nn/sequential.js";
import { parseModelSpec, type ModelSpec } from "./spec-models.js";

export interface LabData {
  train: Dataset;
  /** Evaluated after every epoch (validation loss and accuracy). */
  test?: Dataset;
}

/** A model spec ('mlp:64'), or a function returning new layers (or an uncompiled Sequential) on each call. */
export type ModelSource = string | ModelSpec | (() => readonly Layer[] | Sequential);

export interface LabModel {
  /** The data as the model sees it (reshaped when the model wants images). */
  train: Dataset;
  test: Dataset | null;
  inputShape: Shape;
  /** A new model, compiled for `batchSize` with weights drawn from `seed`. */
  build(engine: Engine, batchSize: number, seed: number): Sequential;
}

/** The number of model outputs the data calls for: classes, or targets per sample. */
export function outputsOf(data: Dataset): number {
  return data.labels ? data.numClasses : data.targetSize;
}

/** CrossEntropyLoss for class labels, MSELoss for regression targets. */
export function defaultLoss(data: Dataset): Loss {
  return data.labels ? new CrossEntropyLoss() : new MSELoss();
}

export function labModel(source: ModelSource, data: LabData): LabModel {
  const { train } = data;
  const test = data.test ?? null;
  if (test && test.featureSize !== train.featureSize) {
    throw new RangeError(`the test set '${test.name}' has samples of shape [${test.shape.join(", ")}], the training set [${train.shape.join(", ")}]`);
  }
  let inputShape: Shape = train.shape;
  let layers: () => readonly Layer[] | Sequential;
  if (typeof source === "function") {
    layers = source;
  } else {
    const spec = typeof source === "string" ? parseModelSpec(source) : source;
    const plan = spec.plan(train.shape, outputsOf(train), train);
    inputShape = plan.inputShape;
    layers = plan.layers;
  }
  const fits = (d: Dataset) => (sameShape(d.shape, inputShape) ? d : d.reshape(inputShape));
  return {
    train: fits(train),
    test: test && fits(test),
    inputShape,
    build(engine, batchSize, seed) {
      const made = layers();
      const model = made instanceof Sequential ? made : new Sequential(made);
      return model.compile(engine, { inputShape, batchSize, seed });
    },
  };
}

function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

/** The batch size a batchSize option means for this data ('full': every sample). */
export function resolveBatchSize(batchSize: number | "full", data: Dataset): number {
  if (batchSize === "full") return data.length;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`Invalid batchSize: ${String(batchSize)} (must be a positive integer or 'full')`);
  return Math.min(batchSize, data.length);
}
