// Runs one layer as a one-layer Sequential on a chosen backend, with copies of what forward and backward produce.
import { createEngine, Rng, Sequential, type Backend, type BatchBuffer, type Engine } from "../../src/index.js";
import type { Layer, Shape } from "../../src/nn/layer.js";

export interface LayerRun {
  engine: Engine;
  model: Sequential;
  layer: Layer;
  batch: number;
  input: BatchBuffer;
  output: BatchBuffer;
  dOutput: BatchBuffer;
}

/** Compiles [layer] for `batch` samples of `inputShape` on `backend` (parameters seeded), inputs ~ N(0, 1). */
export async function buildLayer(layer: Layer, inputShape: Shape, batch: number, backend: Backend, options: { seed?: number; inputGradient?: boolean } = {}): Promise<LayerRun> {
  const { seed = 1, inputGradient = true } = options;
  const engine = await createEngine({ backend });
  const model = new Sequential([layer]).compile(engine, { inputShape, batchSize: batch, seed, inputGradient });
  model.input.array.set(normals(model.input.length, seed + 1));
  return { engine, model, layer, batch, input: model.input, output: model.output, dOutput: model.dOutput };
}

/** Forward on `batch` samples; a copy of their output. */
export function forward(run: LayerRun, training = true, batch = run.batch): Float32Array {
  run.model.forward(batch, training);
  return run.output.array.slice(0, batch * run.output.sampleSize);
}

export interface Gradients {
  /** Empty without an input gradient. */
  dx: Float32Array;
  /** One per parameter, in paramSpecs order. */
  params: Float32Array[];
}

/** Backward of Σ y ⊙ dy after the last forward, from zeroed gradients (dInput filled with NaN first: it must be overwritten). */
export function backward(run: LayerRun, dy: ArrayLike<number>, batch = run.batch): Gradients {
  const { model } = run;
  model.zeroGrad();
  model.dInput?.array.fill(NaN);
  model.dOutput.array.set(dy);
  model.backward(batch);
  return {
    dx: model.dInput ? model.dInput.array.slice(0, batch * model.dInput.sampleSize) : new Float32Array(0),
    params: run.layer.params.map((p) => p.grad.slice()),
  };
}

/** Seeded N(0, 1) values. */
export function normals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}
