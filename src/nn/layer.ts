import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import type { Rng } from "../engine/rng.js";
import type { F32Slice } from "../engine/views.js";

/** A per-sample shape (the batch dimension is not included): [features] or [channels, height, width]. */
export type Shape = readonly number[];

/** A parameter a layer asks for, in PyTorch's order and names ('weight', 'bias'). */
export interface ParamSpec {
  name: string;
  shape: Shape;
  /** Fills the initial values (seeded). */
  init(values: Float32Array, rng: Rng): void;
}

/** The activation buffers a layer works on, sized for the compiled (maximum) batch. */
export interface LayerBuffers {
  input: F32Slice;
  output: F32Slice;
  /** Gradient w.r.t. the input; null for the first layer, whose input gradient nobody needs. */
  dInput: F32Slice | null;
  dOutput: F32Slice;
}

/**
 * A layer of a Sequential model. Life cycle: `configure(inputShape)` returns the output shape (or throws an error
 * naming the layer and both shapes); `paramSpecs()` declares parameters, which Sequential packs into the model's
 * one flat buffer and hands back in `params`; `allocate(engine, maxBatch, buffers)` plans scratch memory once;
 * then `forward` and `backward` run on the preallocated buffers and allocate nothing. `backward` accumulates
 * (+=) into the parameters' gradients and overwrites dInput.
 */
export abstract class Layer {
  /** The layer's name in errors and in PyTorch-style parameter names; Sequential sets it to its index. */
  name = "";
  params: Parameter[] = [];
  inputShape: Shape = [];
  outputShape: Shape = [];
  protected engine!: Engine;
  protected buffers!: LayerBuffers;

  /** The class name shown in errors and summaries ('Linear', 'Conv2d', ...). */
  abstract readonly kind: string;

  /** Validates the input shape and returns the output shape. */
  abstract configure(inputShape: Shape): Shape;

  paramSpecs(): ParamSpec[] {
    return [];
  }

  /** Non-trainable state saved in checkpoints (BatchNorm's running statistics), by PyTorch name. */
  stateBuffers(): Record<string, F32Slice> {
    return {};
  }

  /** Seeds the layer's own randomness (Dropout's masks) from the model's seed; Sequential calls it at compile. */
  seed(_rng: Rng): void {}

  allocate(engine: Engine, _maxBatch: number, buffers: LayerBuffers): void {
    this.engine = engine;
    this.buffers = buffers;
  }

  abstract forward(batch: number, training: boolean): void;
  abstract backward(batch: number): void;

  /** 'Linear(0): ' : the prefix of this layer's error messages. */
  protected where(): string {
    return `${this.kind}${this.name ? `(${this.name})` : ""}`;
  }
}

/** Number of elements of a shape. */
export function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}
