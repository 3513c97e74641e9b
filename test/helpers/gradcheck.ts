// A finite-difference gradient checker for layers and losses. It compiles the layers into a small Sequential on
// the plain-JS backend, and compares backward's gradient w.r.t. every input and parameter element with the
// central difference of the loss,
//
//   ∂L/∂θ_i ≈ (L(θ + h e_i) − L(θ − h e_i)) / (2h)         (in float64, h = the step actually taken in float32)
//
// where L is the given loss on the model's output, or by default the fixed random projection L = Σ_j r_j y_j
// (so that dOutput = r). An element passes when |numeric − analytic| ≤ atol + rtol · max(|numeric|, |analytic|).
//
//   const result = await gradcheck({ layers: () => [new Linear(3, 2)], inputShape: [3] });
//   expect(result.failures).toEqual([]);
import { createEngine, Rng, Sequential, type Engine, type Layer, type Loss, type LossTarget } from "../../src/index.js";

type Shape = readonly number[];

export interface GradcheckOptions {
  /** Builds the layers under test (new instances: the checker compiles them). */
  layers: () => Layer[];
  /** Shape of one input sample. */
  inputShape: Shape;
  /** Samples in the batch (default 3). */
  batch?: number;
  /** Seeds the parameters, the inputs and the projection (default 1). */
  seed?: number;
  /** Forward in training mode (default true). */
  training?: boolean;
  /** A loss on the model's output instead of the random projection, with its target. */
  loss?: { loss: Loss; target: (engine: Engine, batch: number, outputShape: Shape) => LossTarget };
  /** Input value of element i (default ±U(0.1, 1): away from the kinks of ReLU-like functions at 0). */
  input?: (i: number, rng: Rng) => number;
  /** Finite-difference step (default 1e-2). */
  eps?: number;
  rtol?: number;
  atol?: number;
  /** Called before every forward, e.g. to replay the same dropout mask. */
  beforeForward?: (model: Sequential) => void;
  /** Check the gradient w.r.t. the input too (default true; false for token ids, which have none). */
  checkInput?: boolean;
}

export interface GradcheckResult {
  /** Number of elements compared. */
  checked: number;
  /** One line per element out of tolerance: "0.weight[3]: numeric 0.1234 vs analytic 0.2345". */
  failures: string[];
  /** Largest |numeric − analytic| / (atol + rtol · max(|numeric|, |analytic|)) seen (≤ 1 passes). */
  worst: number;
}

export async function gradcheck(options: GradcheckOptions): Promise<GradcheckResult> {
  const { batch = 3, seed = 1, training = true, eps = 1e-2, rtol = 1e-2, atol = 1e-3 } = options;
  const engine = await createEngine({ backend: "js" });
  const model = new Sequential(options.layers()).compile(engine, { inputShape: options.inputShape, batchSize: batch, seed, inputGradient: true });
  const rng = new Rng(seed + 7919);
  const input = model.input.array;
  const makeInput = options.input ?? ((_i: number, r: Rng) => (r.uniform() < 0.5 ? -1 : 1) * (0.1 + 0.9 * r.uniform()));
  for (let i = 0; i < input.length; i++) input[i] = makeInput(i, rng);
  const outSize = batch * model.output.sampleSize;
  const projection = Float32Array.from({ length: outSize }, () => 2 * rng.uniform() - 1);
  const target = options.loss?.target(engine, batch, model.outputShape);

  const lossValue = (): number => {
    options.beforeForward?.(model);
    model.forward(batch, training);
    if (options.loss) return options.loss.loss.compute(model.output, target!, batch, null);
    const y = model.output.array;
    let sum = 0;
    for (let j = 0; j < outSize; j++) sum += projection[j]! * y[j]!;
    return sum;
  };

  // Analytic gradients.
  model.zeroGrad();
  options.beforeForward?.(model);
  model.forward(batch, training);
  if (options.loss) options.loss.loss.compute(model.output, target!, batch, model.dOutput);
  else model.dOutput.array.set(projection);
  model.backward(batch);
  const tensors: { name: string; values: () => Float32Array; analytic: Float32Array }[] = [
    ...(options.checkInput === false ? [] : [{ name: "input", values: () => model.input.array.subarray(0, batch * model.input.sampleSize), analytic: model.dInput!.array.slice(0, batch * model.input.sampleSize) }]),
    ...model.namedParameters().map(([name, p]) => ({ name, values: () => p.data, analytic: p.grad.slice() })),
  ];

  const result: GradcheckResult = { checked: 0, failures: [], worst: 0 };
  for (const t of tensors) {
    for (let i = 0; i < t.analytic.length; i++) {
      const values = t.values();
      const original = values[i]!;
      values[i] = original + eps;
      const up = values[i]! - original;
      const lossUp = lossValue();
      values[i] = original - eps;
      const down = original - values[i]!;
      const lossDown = lossValue();
      values[i] = original;
      const numeric = (lossUp - lossDown) / (up + down);
      const analytic = t.analytic[i]!;
      const error = Math.abs(numeric - analytic) / (atol + rtol * Math.max(Math.abs(numeric), Math.abs(analytic)));
      result.checked++;
      result.worst = Math.max(result.worst, Number.isNaN(error) ? Infinity : error);
      if (!(error <= 1)) result.failures.push(`${t.name}[${i}]: numeric ${numeric.toPrecision(6)} vs analytic ${analytic.toPrecision(6)}`);
    }
  }
  return result;
}
