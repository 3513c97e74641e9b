// What each penalty does to the weights: one model trained from the same initial weights and batch order with
//
//   none           SGD
//   L1             SGD, fit's l1 λ₁:            g ← g + λ₁ sign(θ)            (a subgradient: weights jitter around 0)
//   L2             SGD(weightDecay λ₂):          g ← g + λ₂ θ                  (shrinks every weight, none to 0)
//   elastic net    SGD, fit's elasticNet {α, r}: g ← g + α r sign(θ) + α (1 − r) θ
//   proximal L1    ProximalSGD(l1 λ₁):           θ ← soft-threshold(θ − γ g, γ λ₁)   (exact zeros)
//   Adam + L2      Adam(weightDecay λ):          the penalty's gradient λθ goes through Adam's 1/√v scaling (coupled)
//   AdamW          AdamW(weightDecay λ):         θ ← θ − γ λ θ beside the Adam step (decoupled)
//
// and, per run: test accuracy, the fraction of weights that are exactly 0 and below 1e-3 in magnitude, their L1
// and L2 norms, and a histogram of log₁₀|w| with a separate bin for exact zeros. "Weights" are the parameters of
// 2 or more dimensions (biases excluded).
import type { Engine } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { Adam } from "../optim/adam.js";
import { AdamW } from "../optim/adamw.js";
import type { Optimizer } from "../optim/optimizer.js";
import { ProximalSGD } from "../optim/proximal-sgd.js";
import { SGD } from "../optim/sgd.js";
import { requireInteger, requireNonNegative, requirePositive } from "../optim/validate.js";
import type { Parameter } from "../engine/parameter.js";
import { evaluate } from "../train/evaluate.js";
import { fit, type FitOptions } from "../train/fit.js";
import type { ElasticNetOptions } from "../train/penalty.js";
import { defaultLoss, labModel, resolveBatchSize, type LabData, type ModelSource } from "./setup.js";

export interface RegularizationOptions {
  engine?: Engine;
  data: LabData;
  model: ModelSource;
  epochs: number;
  batchSize: number | "full";
  seed?: number;
  /** SGD's learning rate for the first five runs (default 0.1). */
  lr?: number;
  /** Adam's and AdamW's learning rate (default 1e-3). */
  adamLr?: number;
  /** λ₁ of the L1 and proximal-L1 runs (default 1e-3). */
  l1?: number;
  /** λ₂ of the L2 run (SGD's weightDecay, default 1e-3). */
  l2?: number;
  /** The elastic-net run's α and r (default α 2e-3, r 0.5: λ₁ = λ₂ = 1e-3). */
  elasticNet?: ElasticNetOptions;
  /** weightDecay of Adam (coupled) and AdamW (decoupled), the same number for both (default 1e-2). */
  weightDecay?: number;
  /** Bins of each histogram of log₁₀|w| over [−6, 0] (default 30). */
  bins?: number;
}

export interface RegularizationRun {
  name: string;
  /** The rule, in one line. */
  rule: string;
  testAccuracy: number | null;
  testLoss: number | null;
  trainLoss: number;
  /** Fractions of the weights that are exactly 0, and below 1e-3 in magnitude. */
  zeros: number;
  nearZero: number;
  l1Norm: number;
  l2Norm: number;
  weights: number;
  /** Counts of log₁₀|w| over `edges` (the first bin also holds 0 < |w| < 10⁻⁶, the last |w| ≥ 1); zeros apart. */
  histogram: number[];
  seconds: number;
}

export interface RegularizationResult {
  runs: RegularizationRun[];
  edges: number[];
  settings: Required<Omit<RegularizationOptions, "engine" | "data" | "model" | "seed">> & { seed: number };
  modelSummary: string;
}

const NEAR_ZERO = 1e-3;

interface Variant {
  name: string;
  rule: string;
  optimizer: (params: Parameter[]) => Optimizer<object>;
  fit?: Pick<FitOptions, "l1" | "elasticNet">;
}

export async function runRegularization(options: RegularizationOptions): Promise<RegularizationResult> {
  checkOptions("runRegularization", options, REGULARIZATION_OPTIONS);
  const { epochs, seed = 0, lr = 0.1, adamLr = 1e-3, l1 = 1e-3, l2 = 1e-3, weightDecay = 1e-2, bins = 30 } = options;
  const elasticNet = options.elasticNet ?? { alpha: 2e-3, l1Ratio: 0.5 };
  requireInteger("epochs", epochs);
  requirePositive("lr", lr);
  requirePositive("adamLr", adamLr);
  requireNonNegative("l1", l1);
  requireNonNegative("l2", l2);
  requireNonNegative("weightDecay", weightDecay);
  requireInteger("bins", bins);
  if (bins < 3) throw new RangeError(`Invalid bins: ${bins} (must be >= 3)`);
  const lab = labModel(options.model, options.data);
  const batch = resolveBatchSize(options.batchSize, lab.train);
  const engine = options.engine ?? (await createEngine());
  const loss = defaultLoss(lab.train);
  const variants: Variant[] = [
    { name: "none", rule: "SGD", optimizer: (p) => new SGD(p, { lr }) },
    { name: "L1", rule: `SGD, g += ${l1}·sign(θ)`, optimizer: (p) => new SGD(p, { lr }), fit: { l1 } },
    { name: "L2", rule: `SGD, g += ${l2}·θ (weightDecay)`, optimizer: (p) => new SGD(p, { lr, weightDecay: l2 }) },
    {
      name: "elastic net", rule: `SGD, g += ${round(elasticNet.alpha * elasticNet.l1Ratio)}·sign(θ) + ${round(elasticNet.alpha * (1 - elasticNet.l1Ratio))}·θ`,
      optimizer: (p) => new SGD(p, { lr }), fit: { elasticNet },
    },
    { name: "proximal L1", rule: `ProximalSGD, soft-threshold by γ·${l1}`, optimizer: (p) => new ProximalSGD(p, { lr, l1 }) },
    { name: "Adam + L2", rule: `Adam(weightDecay ${weightDecay}): g += λθ, then ÷√v`, optimizer: (p) => new Adam(p, { lr: adamLr, weightDecay }) },
    { name: "AdamW", rule: `AdamW(weightDecay ${weightDecay}): θ −= γλθ`, optimizer: (p) => new AdamW(p, { lr: adamLr, weightDecay }) },
  ];
  let modelSummary = "";
  const trained: { variant: Variant; weights: Float32Array; trainLoss: number; test: { loss: number; accuracy: number | null } | null; seconds: number }[] = [];
  for (const variant of variants) {
    const model = lab.build(engine, batch, seed);
    modelSummary ||= model.summary();
    const started = performance.now();
    const history = await fit(model, lab.train, {
      optimizer: variant.optimizer(model.parameters()), loss, epochs, batchSize: batch, seed, verbose: 0, divergence: false, ...variant.fit,
    });
    const seconds = (performance.now() - started) / 1000;
    const test = lab.test ? evaluate(model, lab.test, { loss }) : null;
    trained.push({ variant, weights: weightValues(model.parameters()), trainLoss: history.last?.loss ?? NaN, test, seconds });
  }
  const edges = Array.from({ length: bins + 1 }, (_, i) => LOG_MIN + ((LOG_MAX - LOG_MIN) * i) / bins);
  const runs = trained.map(({ variant, weights, trainLoss, test, seconds }): RegularizationRun => {
    let zeros = 0, near = 0, l1Norm = 0, squares = 0;
    for (const w of weights) {
      if (w === 0) zeros++;
      if (Math.abs(w) < NEAR_ZERO) near++;
      l1Norm += Math.abs(w);
      squares += w * w;
    }
    return {
      name: variant.name, rule: variant.rule, testAccuracy: test?.accuracy ?? null, testLoss: test?.loss ?? null, trainLoss,
      zeros: zeros / weights.length, nearZero: near / weights.length, l1Norm, l2Norm: Math.sqrt(squares), weights: weights.length,
      histogram: histogram(weights, edges), seconds,
    };
  });
  return { runs, edges, settings: { epochs, batchSize: options.batchSize, lr, adamLr, l1, l2, elasticNet, weightDecay, bins, seed }, modelSummary };
}

/** Every value of the parameters with 2 or more dimensions. */
function weightValues(params: readonly Parameter[]): Float32Array {
  const weights = params.filter((p) => p.shape.length >= 2);
  const out = new Float32Array(weights.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of weights) out.set(p.data, at), (at += p.length);
  return out;
}

const LOG_MIN = -6;
const LOG_MAX = 0;

/** Counts of log₁₀|v| per bin of `edges`, the non-zero values beyond the edges in the outer bins; zeros left out. */
function histogram(values: Float32Array, edges: readonly number[]): number[] {
  const bins = edges.length - 1;
  const counts = new Array<number>(bins).fill(0);
  const lo = edges[0]!, width = (edges[bins]! - lo) / bins;
  for (const v of values) if (v !== 0) counts[Math.min(bins - 1, Math.max(0, Math.floor((Math.log10(Math.abs(v)) - lo) / width)))]!++;
  return counts;
}

function round(v: number): number {
  return Number(v.toPrecision(4));
}

const REGULARIZATION_OPTIONS = keysOf<RegularizationOptions>({
  engine: 1, data: 1, model: 1, epochs: 1, batchSize: 1, seed: 1, lr: 1, adamLr: 1, l1: 1, l2: 1, elasticNet: 1, weightDecay: 1, bins: 1,
});
