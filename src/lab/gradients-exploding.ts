// The exploding-gradient experiment: a vanilla RNN (tanh) on the adding problem of T steps, its recurrent
// weights drawn with a large scale, trained by plain SGD without clipping, with clipGradNorm and with clipGradValue
// (and, for reference, at PyTorch's default scale without clipping), from the same initial weights and batches.
//
//   recurrent weights:  W_hh ~ N(0, s² / H): a random H × H matrix with that spread has a spectral radius of about
//                       s, and backpropagation through T steps multiplies the gradient by W_hhᵀ (times tanh′ ≤ 1)
//                       T times: with s > 1 it can grow like s^T (Pascanu, Mikolov & Bengio 2013)
//   measured per step:  the loss; the global gradient norm ‖g‖ before clipping; the update ‖Δθ‖ = ‖θ_t − θ_{t−1}‖
//                       (plain SGD: lr · ‖g_clipped‖, so clipGradNorm bounds it by lr · maxNorm, and clipGradValue
//                       by lr · v · √(parameters)); history.clippedSteps: the steps the clipping changed
import { makeAddingProblem } from "../data/sequences.js";
import type { Engine } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { normal } from "../nn/init.js";
import { Linear } from "../nn/linear.js";
import { MSELoss } from "../nn/losses.js";
import type { InitFunction } from "../nn/model-init.js";
import { RNN } from "../nn/rnn.js";
import { Sequential } from "../nn/sequential.js";
import { SGD } from "../optim/sgd.js";
import { fit } from "../train/fit.js";
import { layerNorms } from "../train/gradient-norms.js";
import type { History } from "../train/history.js";

export interface ExplodingOptions {
  engine?: Engine;
  /** Steps of each adding-problem sequence (default 50). */
  length?: number;
  /** Training sequences (default 1000; 250 more for the test). */
  samples?: number;
  /** Hidden units of the RNN (default 32). */
  hidden?: number;
  /** The large scale s of the recurrent weights (default 3). */
  scale?: number;
  /** clipGradNorm's maxNorm (default 1) and clipGradValue's bound (default 0.1). */
  clipNorm?: number;
  clipValue?: number;
  epochs?: number;
  batchSize?: number;
  /** Plain SGD's learning rate (default 0.05). */
  lr?: number;
  seed?: number;
  onProgress?: (event: { run: number; runs: number; name: string; summary?: ExplodingRun }) => void;
}

export interface ExplodingRun {
  name: string;
  /** The recurrent weights' scale s (null: PyTorch's default U(±1/√H)). */
  scale: number | null;
  clip: { kind: "none" } | { kind: "norm"; maxNorm: number } | { kind: "value"; clipValue: number };
  history: History;
  /** The global gradient norm at every step, before clipping. */
  gradientNorms: Float64Array;
  /** ‖θ_t − θ_{t−1}‖ at every step. */
  updateNorms: Float64Array;
  clippedSteps: number;
  maxGradientNorm: number;
  maxUpdateNorm: number;
  /** Mean training loss of the last epoch, and the test MSE after it. */
  finalLoss: number;
  finalTestLoss: number;
  /** The loss became non-finite or rose far above its start (fit's divergence rule), or a gradient was not finite. */
  diverged: boolean;
  /** The median over the steps of the recurrent layer's share of the squared gradient norm (‖∇RNN‖² / ‖g‖²). */
  recurrentShare: number;
}

export interface ExplodingResult {
  runs: ExplodingRun[];
  length: number;
  hidden: number;
  parameters: number;
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  lr: number;
  seed: number;
  backend: string;
  trainSamples: number;
  testSamples: number;
  seconds: number;
}

/** W_hh ~ N(0, s² / H), the rest PyTorch's default. */
function recurrentScale(scale: number, hidden: number): InitFunction {
  return (p, rng) => {
    if (/\.weight_hh_l\d+$/.test(p.name)) normal(p.values, scale / Math.sqrt(hidden), rng);
  };
}

export async function explodingGradients(options: ExplodingOptions = {}): Promise<ExplodingResult> {
  checkOptions("explodingGradients", options, EXPLODING_OPTIONS);
  const { length = 50, samples = 1000, hidden = 32, scale = 3, clipNorm = 1, clipValue = 0.1, epochs = 8, batchSize = 32, lr = 0.05, seed = 0, onProgress } = options;
  for (const [name, v] of Object.entries({ length, samples, hidden, epochs, batchSize })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`explodingGradients: ${name} must be a positive integer, got ${v}`);
  }
  for (const [name, v] of Object.entries({ scale, clipNorm, clipValue, lr })) {
    if (!(v > 0 && Number.isFinite(v))) throw new RangeError(`explodingGradients: ${name} must be a finite number > 0, got ${v}`);
  }
  const started = performance.now();
  const engine = options.engine ?? (await createEngine());
  const train = makeAddingProblem({ samples, length, seed });
  const test = makeAddingProblem({ samples: Math.max(1, Math.ceil(samples / 4)), length, seed: seed + 1 });
  const batch = Math.min(batchSize, samples);
  const configs: { name: string; scale: number | null; clip: ExplodingRun["clip"] }[] = [
    { name: "default scale, no clipping", scale: null, clip: { kind: "none" } },
    { name: `scale ${scale}, no clipping`, scale, clip: { kind: "none" } },
    { name: `scale ${scale}, clipGradNorm ${clipNorm}`, scale, clip: { kind: "norm", maxNorm: clipNorm } },
    { name: `scale ${scale}, clipGradValue ${clipValue}`, scale, clip: { kind: "value", clipValue } },
  ];
  const runs: ExplodingRun[] = [];
  let parameters = 0;
  for (const [index, config] of configs.entries()) {
    onProgress?.({ run: index, runs: configs.length, name: config.name });
    const model = new Sequential([new RNN(2, hidden, { returnSequences: false }), new Linear(hidden, 1)]).compile(engine, {
      inputShape: [length, 2], batchSize: batch, seed, ...(config.scale === null ? {} : { init: recurrentScale(config.scale, hidden) }),
    });
    const params = model.parameters();
    parameters = params.reduce((n, p) => n + p.length, 0);
    const steps = epochs * Math.ceil(samples / batch);
    // A diverged run stops there (as in compareOptimizers): what follows a divergence says nothing more.
    const updateNorms = new Float64Array(steps);
    let before = params.map((p) => p.data.slice());
    const history = await fit(model, train, {
      optimizer: new SGD(params, { lr }), loss: new MSELoss(), epochs, batchSize: batch, seed, validationData: test,
      recordGradientNorms: true, nonFinite: "skip", divergence: { stop: true }, verbose: 0,
      ...(config.clip.kind === "norm" ? { clipGradNorm: config.clip.maxNorm } : config.clip.kind === "value" ? { clipGradValue: config.clip.clipValue } : {}),
      callbacks: [{
        onBatchEnd(ctx) {
          let sum = 0;
          params.forEach((p, j) => {
            const now = p.data, was = before[j]!;
            for (let i = 0; i < now.length; i++) sum += (now[i]! - was[i]!) ** 2;
          });
          updateNorms[ctx.step - 1] = Math.sqrt(sum);
          before = params.map((p) => p.data.slice());
        },
      }],
    });
    const layers = layerNorms(history.gradientNorms!);
    const gradientNorms = layers.total;
    const shares = Array.from(layers.values[0]!, (v, i) => (v / gradientNorms[i]!) ** 2).filter(Number.isFinite).sort((a, b) => a - b);
    const last = history.last;
    const run: ExplodingRun = {
      ...config, history, gradientNorms, updateNorms: updateNorms.subarray(0, history.steps), clippedSteps: history.clippedSteps,
      maxGradientNorm: finiteMax(gradientNorms), maxUpdateNorm: finiteMax(updateNorms),
      finalLoss: last?.loss ?? NaN, finalTestLoss: last?.valLoss ?? NaN, diverged: history.divergence !== null || history.skippedSteps > 0,
      recurrentShare: shares.length ? shares[Math.floor(shares.length / 2)]! : NaN,
    };
    runs.push(run);
    onProgress?.({ run: index, runs: configs.length, name: config.name, summary: run });
  }
  return {
    runs, length, hidden, parameters, epochs, batchSize: batch, stepsPerEpoch: Math.ceil(samples / batch), lr, seed, backend: engine.backend,
    trainSamples: train.length, testSamples: test.length, seconds: (performance.now() - started) / 1000,
  };
}

/** The largest finite value (∞ when a value is +∞: the gradient overflowed), NaN for none. */
function finiteMax(values: ArrayLike<number>): number {
  let m = NaN;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v) && !(v <= m)) m = v;
  }
  return m;
}

/** Every number of the experiment as plain data (for exploding.json). */
export function explodingToJson(result: ExplodingResult): object {
  const { runs, ...settings } = result;
  return {
    ...settings,
    runs: runs.map(({ history, gradientNorms, updateNorms, ...r }) => ({
      ...r, epochs: history.epochs, stepLosses: Array.from(history.stepLosses), gradientNorms: Array.from(gradientNorms), updateNorms: Array.from(updateNorms),
    })),
  };
}

/** The keys explodingGradients accepts (tsc checks the list against ExplodingOptions). */
const EXPLODING_OPTIONS = keysOf<ExplodingOptions>({ engine: 1, length: 1, samples: 1, hidden: 1, scale: 1, clipNorm: 1, clipValue: 1, epochs: 1, batchSize: 1, lr: 1, seed: 1, onProgress: 1 });
