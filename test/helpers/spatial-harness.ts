// Runs one layer on its own (no Sequential): configure, parameters packed by the engine with the layer's seeded
// init, buffers for a batch, then forward / backward with copies of the results. Plus a central-difference
// gradient check through the layer's own float32 forward.
import { createEngine, Rng, type Backend, type Engine, type F32Slice } from "../../src/index.js";
import { size, type Layer, type Shape } from "../../src/nn/layer.js";

export interface LayerRun {
  engine: Engine;
  layer: Layer;
  batch: number;
  input: F32Slice;
  output: F32Slice;
  dInput: F32Slice;
  dOutput: F32Slice;
}

/** Builds `layer` for `batch` samples of `inputShape` on `backend`, inputs ~ N(0, 1) from `seed`. */
export async function buildLayer(layer: Layer, inputShape: Shape, batch: number, backend: Backend, seed = 1): Promise<LayerRun> {
  const engine = await createEngine({ backend });
  const outputShape = layer.configure(inputShape);
  layer.inputShape = inputShape;
  layer.outputShape = outputShape;
  const rng = new Rng(seed);
  layer.params = engine.parameters(
    layer.paramSpecs().map((spec) => {
      const values = new Float32Array(size(spec.shape));
      spec.init(values, rng);
      return { values, shape: spec.shape, name: spec.name };
    }),
  );
  const run: LayerRun = {
    engine,
    layer,
    batch,
    input: engine.allocF32(batch * size(inputShape)),
    output: engine.allocF32(batch * size(outputShape)),
    dInput: engine.allocF32(batch * size(inputShape)),
    dOutput: engine.allocF32(batch * size(outputShape)),
  };
  layer.allocate(engine, batch, { input: run.input, output: run.output, dInput: run.dInput, dOutput: run.dOutput });
  const input = run.input.array;
  for (let i = 0; i < input.length; i++) input[i] = rng.normal();
  return run;
}

/** Forward on the whole batch; a copy of the output. */
export function forward(run: LayerRun, training = true, batch = run.batch): Float32Array {
  run.layer.forward(batch, training);
  return run.output.array.slice(0, batch * size(run.layer.outputShape));
}

export interface Gradients {
  dx: Float32Array;
  /** One per parameter, in paramSpecs order. */
  params: Float32Array[];
}

/** Backward of Σ y ⊙ dy from zeroed parameter gradients (and dInput filled with NaN, to see it overwritten). */
export function backward(run: LayerRun, dy: ArrayLike<number>, batch = run.batch): Gradients {
  for (const p of run.layer.params) p.grad.fill(0);
  run.dInput.array.fill(NaN);
  run.dOutput.array.set(dy);
  run.layer.backward(batch);
  return {
    dx: run.dInput.array.slice(0, batch * size(run.layer.inputShape)),
    params: run.layer.params.map((p) => p.grad.slice()),
  };
}

/** A float64 loss Σ y ⊙ dy of the current forward. */
export function weightedSum(y: ArrayLike<number>, dy: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < y.length; i++) s += y[i]! * dy[i]!;
  return s;
}

/**
 * Central differences of L = Σ forward(·) ⊙ dy with respect to every element of `values` (a view into the
 * layer's memory: its input or a parameter), stepping by `step` (the float32-rounded step is used as the divisor).
 */
export function numericGradient(run: LayerRun, values: () => Float32Array, dy: ArrayLike<number>, step: number, training = true): Float64Array {
  const n = values().length;
  const grad = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values()[i]!;
    const up = Math.fround(v + step);
    const down = Math.fround(v - step);
    values()[i] = up;
    const lossUp = weightedSum(forward(run, training), dy);
    values()[i] = down;
    const lossDown = weightedSum(forward(run, training), dy);
    values()[i] = v;
    grad[i] = (lossUp - lossDown) / (up - down);
  }
  return grad;
}

/** max over elements of |x − y| / (atol + rtol |y|): at most 1 when x is within tolerance of y. */
export function closeness(x: ArrayLike<number>, y: ArrayLike<number>, rtol: number, atol: number): number {
  if (x.length !== y.length) return Infinity;
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    const e = Math.abs(x[i]! - y[i]!) / (atol + rtol * Math.abs(y[i]!));
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}

/** Seeded N(0, 1) values. */
export function normals(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n }, () => rng.normal());
}
