// What the training loop needs of a model (Sequential fits it), and the losses' interface.
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import type { Shape } from "../nn/layer.js";
import type { NamedModel } from "./checkpoint.js";

export interface TrainableModel extends NamedModel {
  readonly engine: Engine;
  /** The compiled (largest) batch size. */
  readonly batchSize: number;
  readonly inputShape: Shape;
  readonly outputShape: Shape;
  readonly input: F32Slice;
  readonly output: F32Slice;
  readonly dOutput: F32Slice;
  forward(batch: number, training: boolean): void;
  backward(batch: number): void;
  parameters(): Parameter[];
  readonly layers?: readonly object[];
}

export type { Loss as LossFunction, LossTarget } from "../nn/losses.js";
