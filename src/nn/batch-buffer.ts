import type { Engine } from "../engine/engine.js";
import { F32Slice } from "../engine/views.js";
import { formatShape } from "./format.js";
import { size, type Shape } from "./layer.js";

/**
 * A batch of samples in wasm memory: room for `maxBatch` samples of `sampleShape`, row-major, sample after
 * sample. Models plan their inputs, activations and gradients as BatchBuffers when compiled, and a loss reads the
 * number of features per sample from the buffer it is given.
 */
export class BatchBuffer extends F32Slice {
  /** Floats per sample. */
  readonly sampleSize: number;

  constructor(
    readonly engine: Engine,
    ptr: number,
    readonly maxBatch: number,
    readonly sampleShape: Shape,
  ) {
    super(engine.memory, ptr, maxBatch * size(sampleShape));
    this.sampleSize = size(sampleShape);
  }

  /** A zero-filled buffer for `maxBatch` samples of `sampleShape`. */
  static allocate(engine: Engine, maxBatch: number, sampleShape: Shape): BatchBuffer {
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`BatchBuffer: maxBatch must be a positive integer, got ${maxBatch}`);
    if (!sampleShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(`BatchBuffer: sample shape ${formatShape(sampleShape)} must list positive integers`);
    }
    return new BatchBuffer(engine, engine.arena.alloc(4 * maxBatch * size(sampleShape)), maxBatch, sampleShape);
  }
}
