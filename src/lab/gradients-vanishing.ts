// The vanishing-gradient experiment: a deep MLP (`depth` Linear layers of `width` units) trained with each
// activation (sigmoid, tanh, ReLU), initialization (PyTorch's default, or the one derived for the activation) and
// with or without BatchNorm before each activation, from the same seed and batch order, recording the gradient
// norm of every Linear layer's weight at every step.
//
//   default init:  W ~ U(±1/√fanIn)   (std 1/√(3 fanIn): each layer shrinks the signal)
//   scaled init:   sigmoid, tanh → Xavier (Glorot) normal, std = gain · √(2 / (fanIn + fanOut)), gain 1 and 5/3;
//                  ReLU → Kaiming (He) normal, std = √2 / √fanIn;  biases 0
//   backward:      δ_{l−1} = (W_lᵀ δ_l) ⊙ f'(z_{l−1}),  ∂L/∂W_l = δ_l a_{l−1}ᵀ
//                  sigmoid: f' ≤ 1/4, so each layer multiplies δ by at most |W|/4: it vanishes geometrically
//   measured:      ratio = ‖∂L/∂W_1‖ / ‖∂L/∂W_depth‖ (first layer, at the input, over the last), at the first step
//                  and as the geometric mean over the last epoch's steps; orders of magnitude = −log10(ratio)
import { loadDigits } from "../data/builtin/digits.js";
import type { Engine } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import { ReLU, Sigmoid, Tanh } from "../nn/activations.js";
import { BatchNorm1d } from "../nn/batchnorm.js";
import { Flatten } from "../nn/flatten.js";
import { calculateGain, kaimingNormal, xavierNormal } from "../nn/init.js";
import type { Layer } from "../nn/layer.js";
import { Linear } from "../nn/linear.js";
import type { InitFunction } from "../nn/model-init.js";
import { Sequential } from "../nn/sequential.js";
import { SGD } from "../optim/sgd.js";
import { fit } from "../train/fit.js";
import type { History } from "../train/history.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { defaultLoss, outputsOf, type LabData } from "./setup.js";

export type VanishingActivation = "sigmoid" | "tanh" | "relu";
export type VanishingInit = "default" | "scaled";

export interface VanishingOptions {
  /** Default: a new engine with the best backend this runtime supports. */
  engine?: Engine;
  /** Default: the embedded digits. */
  data?: LabData;
  /** Linear layers (default 15). */
  depth?: number;
  /** Units of each hidden layer (default 64). */
  width?: number;
  activations?: readonly VanishingActivation[];
  inits?: readonly VanishingInit[];
  /** With and without BatchNorm1d before each activation (default [false, true]). */
  batchNorm?: readonly boolean[];
  /** Default 5. */
  epochs?: number;
  /** Default 64. */
  batchSize?: number;
  /** Plain SGD with momentum 0.9 at this rate (default 0.01): unlike Adam, its steps are as small as the gradient. */
  lr?: number;
  seed?: number;
  onProgress?: (event: { run: number; runs: number; name: string; summary?: VanishingRun }) => void;
}

export interface VanishingRun {
  name: string;
  activation: VanishingActivation;
  /** 'default', 'Xavier' or 'Kaiming'. */
  init: string;
  batchNorm: boolean;
  /** ‖∂L/∂W_l‖ of each Linear layer l = 1 … depth at the first step. */
  atStart: Float64Array;
  /** The same, as the geometric mean over the last epoch's steps. */
  duringTraining: Float64Array;
  /** First layer over last layer, at the start and during the last epoch. */
  ratioAtStart: number;
  ratioDuringTraining: number;
  history: History;
  finalLoss: number;
  finalTestAccuracy: number;
}

export interface VanishingResult {
  runs: VanishingRun[];
  depth: number;
  width: number;
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  lr: number;
  seed: number;
  backend: string;
  data: { train: string; test: string | null; trainSamples: number };
  seconds: number;
}

const ACTIVATION_LAYERS: Record<VanishingActivation, () => Layer> = { sigmoid: () => new Sigmoid(), tanh: () => new Tanh(), relu: () => new ReLU() };
const ACTIVATION_NAMES: Record<VanishingActivation, string> = { sigmoid: "sigmoid", tanh: "tanh", relu: "ReLU" };

/** The initialization derived for an activation: Xavier for sigmoid and tanh, Kaiming for ReLU. */
export function scaledInitName(activation: VanishingActivation): string {
  return activation === "relu" ? "Kaiming" : "Xavier";
}

function scaledInit(activation: VanishingActivation): InitFunction {
  return (p, rng) => {
    if (p.layer.kind !== "Linear") return;
    if (p.name.endsWith(".bias")) p.values.fill(0);
    else if (activation === "relu") kaimingNormal(p.values, p.shape, rng, { nonlinearity: "relu" });
    else xavierNormal(p.values, p.shape, rng, calculateGain(activation));
  };
}

export async function vanishingGradients(options: VanishingOptions = {}): Promise<VanishingResult> {
  checkOptions("vanishingGradients", options, VANISHING_OPTIONS);
  const {
    depth = 15, width = 64, activations = ["sigmoid", "tanh", "relu"], inits = ["default", "scaled"], batchNorm = [false, true],
    epochs = 5, batchSize = 64, lr = 0.01, seed = 0, onProgress,
  } = options;
  if (!Number.isInteger(depth) || depth < 2) throw new RangeError(`vanishingGradients: depth must be an integer >= 2 (Linear layers), got ${depth}`);
  if (!Number.isInteger(width) || width < 1) throw new RangeError(`vanishingGradients: width must be a positive integer, got ${width}`);
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`vanishingGradients: epochs must be a positive integer, got ${epochs}`);
  if (!(lr > 0)) throw new RangeError(`vanishingGradients: lr must be > 0, got ${lr}`);
  for (const a of activations) if (!Object.hasOwn(ACTIVATION_LAYERS, a)) throw new RangeError(`vanishingGradients: unknown activation '${String(a)}' (known: sigmoid, tanh, relu)`);
  for (const i of inits) if (i !== "default" && i !== "scaled") throw new RangeError(`vanishingGradients: unknown init '${String(i)}' (known: default, scaled)`);
  const started = performance.now();
  const engine = options.engine ?? (await createEngine());
  const data = options.data ?? loadDigits();
  const configs = activations.flatMap((activation) => inits.flatMap((init) => batchNorm.map((bn) => ({ activation, init, bn }))));
  const runs: VanishingRun[] = [];
  const batch = Math.min(batchSize, data.train.length);
  const stepsPerEpoch = Math.ceil(data.train.length / batch);
  for (const [index, { activation, init, bn }] of configs.entries()) {
    const initName = init === "default" ? "default" : scaledInitName(activation);
    const name = `${ACTIVATION_NAMES[activation]}, ${initName} init${bn ? ", BatchNorm" : ""}`;
    onProgress?.({ run: index, runs: configs.length, name });
    const layers: Layer[] = data.train.shape.length > 1 ? [new Flatten()] : [];
    for (let l = 0; l < depth - 1; l++) {
      layers.push(new Linear(l === 0 ? data.train.featureSize : width, width));
      if (bn) layers.push(new BatchNorm1d(width));
      layers.push(ACTIVATION_LAYERS[activation]());
    }
    layers.push(new Linear(width, outputsOf(data.train)));
    const model = new Sequential(layers).compile(engine, {
      inputShape: data.train.shape, batchSize: batch, seed, ...(init === "scaled" ? { init: scaledInit(activation) } : {}),
    });
    const history = await fit(model, data.train, {
      optimizer: new SGD(model.parameters(), { lr, momentum: 0.9 }), loss: defaultLoss(data.train), epochs, batchSize: batch, seed,
      validationData: data.test, recordGradientNorms: true, nonFinite: "skip", verbose: 0,
    });
    const run = summarize(name, activation, initName, bn, model, history, stepsPerEpoch);
    runs.push(run);
    onProgress?.({ run: index, runs: configs.length, name, summary: run });
  }
  return {
    runs, depth, width, epochs, batchSize: batch, stepsPerEpoch, lr, seed, backend: engine.backend,
    data: { train: data.train.name, test: data.test?.name ?? null, trainSamples: data.train.length },
    seconds: (performance.now() - started) / 1000,
  };
}

function summarize(name: string, activation: VanishingActivation, init: string, batchNorm: boolean, model: Sequential, history: History, stepsPerEpoch: number): VanishingRun {
  const norms = history.gradientNorms!;
  const weights = model.layers.map((l, i) => (l.kind === "Linear" ? norms.of(`${i}.weight`) : null)).filter((s) => s !== null);
  const steps = norms.steps;
  const from = Math.max(0, steps - stepsPerEpoch);
  const atStart = Float64Array.from(weights, (s) => s[0]!);
  const duringTraining = Float64Array.from(weights, (s) => geometricMean(s.subarray(from, steps)));
  const last = history.last;
  return {
    name, activation, init, batchNorm, atStart, duringTraining,
    ratioAtStart: atStart[0]! / atStart[atStart.length - 1]!,
    ratioDuringTraining: duringTraining[0]! / duringTraining[duringTraining.length - 1]!,
    history, finalLoss: last?.loss ?? NaN, finalTestAccuracy: last?.valAccuracy ?? NaN,
  };
}

/** Every number of the experiment as plain data (for vanishing.json). */
export function vanishingToJson(result: VanishingResult): object {
  const { runs, ...settings } = result;
  return {
    ...settings,
    runs: runs.map(({ history, atStart, duringTraining, ...r }) => ({
      ...r, atStart: Array.from(atStart), duringTraining: Array.from(duringTraining), epochs: history.epochs, stepLosses: Array.from(history.stepLosses),
    })),
  };
}

/** exp(mean(ln x)) over the positive finite values (a norm spans orders of magnitude: the arithmetic mean would be the largest). */
function geometricMean(values: Float32Array): number {
  let sum = 0, n = 0;
  for (const v of values) {
    if (v > 0 && Number.isFinite(v)) (sum += Math.log(v)), n++;
  }
  return n ? Math.exp(sum / n) : NaN;
}

/** The keys vanishingGradients accepts (tsc checks the list against VanishingOptions). */
const VANISHING_OPTIONS = keysOf<VanishingOptions>({ engine: 1, data: 1, depth: 1, width: 1, activations: 1, inits: 1, batchNorm: 1, epochs: 1, batchSize: 1, lr: 1, seed: 1, onProgress: 1 });
