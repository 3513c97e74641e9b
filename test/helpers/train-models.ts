// Small models and runs shared by the training tests.
import type { Backend } from "../../src/engine/backend.js";
import { createEngine } from "../../src/engine/engine.js";
import { Sequential } from "../../src/nn/sequential.js";
import { Linear } from "../../src/nn/linear.js";
import { ReLU } from "../../src/nn/activations.js";
import { Dropout } from "../../src/nn/dropout.js";
import { BatchNorm1d } from "../../src/nn/batchnorm.js";
import type { Layer } from "../../src/nn/layer.js";

/** A 64-hidden-10 MLP for the 8×8 digits, compiled on a fresh engine. */
export async function digitsMlp(options: { backend?: Backend; batchSize?: number; seed?: number; hidden?: number; dropout?: number; batchNorm?: boolean } = {}) {
  const { backend = "simd", batchSize = 64, seed = 1, hidden = 64, dropout = 0, batchNorm = false } = options;
  const engine = await createEngine({ backend });
  const layers: Layer[] = [new Linear(64, hidden)];
  if (batchNorm) layers.push(new BatchNorm1d(hidden));
  layers.push(new ReLU());
  if (dropout > 0) layers.push(new Dropout(dropout));
  layers.push(new Linear(hidden, 10));
  const model = new Sequential(layers).compile(engine, { inputShape: [64], batchSize, seed });
  return { engine, model };
}

/** Every parameter and buffer value of a model, concatenated (for bit-for-bit comparisons). */
export function weightsOf(model: Sequential): Float32Array {
  const parts = [...model.parameters().map((p) => p.data), ...Object.values(model.stateBuffers()).map((b) => b.array)];
  const out = new Float32Array(parts.reduce((n, a) => n + a.length, 0));
  let at = 0;
  for (const a of parts) out.set(a, at), (at += a.length);
  return out;
}

/** The bits of a float32 array, so that toEqual compares exactly (NaN and -0 included). */
export function bits(a: Float32Array): Uint32Array {
  return new Uint32Array(a.buffer.slice(a.byteOffset, a.byteOffset + a.byteLength));
}
