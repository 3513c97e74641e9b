// compareOptimizers: trains the same model once per optimizer, on equal terms, and summarizes the runs.
//
//   equal terms:  every run builds its model from the same seed (the same initial weights) and its data loader
//                 from the same seed (the same batches in the same order); schedule, clipping and loss are shared.
//   per run:      the History of fit(), plus the wall time and learning rate of every step.
//   summary:      final train/test loss and accuracy; the best epoch (lowest test loss, or train loss without a
//                 test set); steps and seconds until the smoothed training loss first reaches the target;
//                 instability = standard deviation of the last k step losses, k = clamp(⌈steps / 4⌉, 5, 50);
//                 divergence = the rule of train/divergence.ts (a non-finite loss, or the smoothed loss above
//                 divergenceFactor × the first one): the run stops there, and is not timed to the target.
//   smoothing:    the bias-corrected EMA of stats.ts with weight 2 / (w + 1), w = min(20, ⌈steps per epoch / 2⌉):
//                 about half an epoch, and none for full-batch training.
//   target:       targetLoss, or else the median of the lowest smoothed losses of the runs that did not diverge,
//                 rounded up to two digits (NaN when every run diverged).
//   per run:      a LabOptimizer may carry its own batchSize, epochs and schedule (run-spec.ts); runs with the
//                 same batch size see the same batches in the same order.
//   seeds:        with seeds = n, every run is repeated for seeds seed, seed + 1, …, seed + n − 1 (each seed gives
//                 every run the same initial weights and, per batch size, the same batch order); `runs` holds the
//                 first seed's, `replicates` every seed's, `statistics` and `differences` what seed-stats.ts makes
//                 of them (compare-seeds.ts).
//   tune:         'lr': before the comparison, each run's learning rate is chosen by a bracketing search on a
//                 validation split of the training set (tune.ts); `tuning` says what was tried and chosen.
//   gap:          the generalization gap, final test loss − the training set's loss evaluated after training.
import type { Engine } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import type { Loss } from "../nn/losses.js";
import type { Optimizer } from "../optim/optimizer.js";
import type { Callback } from "../train/callbacks.js";
import { DEFAULT_DIVERGENCE_FACTOR } from "../train/divergence.js";
import { fit, type FitOptions } from "../train/fit.js";
import type { History } from "../train/history.js";
import type { ProgressReporter } from "../train/reporter.js";
import { SGD } from "../optim/sgd.js";
import { defaultLoss, labModel, resolveBatchSize, type LabData, type LabModel, type ModelSource } from "./setup.js";
import type { ScheduleFactory, ScheduleSpec } from "./spec-schedules.js";
import { parseScheduleSpec } from "./spec-schedules.js";
import { firstAtOrBelow, median, roundUpSignificant, smoothEma, stdOfLast } from "./stats.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { evaluate } from "../train/evaluate.js";
import { seedStatistics, type RunStatistics, type SeedDifference } from "./compare-seeds.js";
import { tuneLearningRates, withLr, type LrTuning } from "./tune.js";

export interface LabOptimizer {
  /** Shown in tables and charts. */
  name: string;
  make(params: Parameter[]): Optimizer<object>;
  /** The algorithm's name ('Adam'), to find its explanation; default: the optimizer's kind. */
  label?: string;
  /** This run's batch size, epochs and schedule (null: none); default: the comparison's. */
  batchSize?: number | "full";
  epochs?: number;
  schedule?: ScheduleOption | null;
}

export type ScheduleOption = string | ScheduleSpec | ScheduleFactory;

export interface CompareOptions {
  /** Default: a new engine with the best backend this runtime supports. */
  engine?: Engine;
  data: LabData;
  model: ModelSource;
  optimizers: readonly LabOptimizer[];
  /** A learning-rate schedule given to every optimizer (a spec such as 'cosine', or a factory). */
  schedule?: ScheduleOption;
  /** Epochs and batch size of the runs that do not set their own. */
  epochs: number;
  batchSize: number | "full";
  /** Seeds the initial weights and the batch order (default 0). */
  seed?: number;
  /** Repeat every run over this many seeds: seed, seed + 1, … (default 1). */
  seeds?: number;
  /** 'lr': give each run its own learning rate, found by a short search on a validation split first. */
  tune?: "lr" | null;
  /** Default: CrossEntropyLoss for class labels, MSELoss for targets. */
  loss?: Loss;
  /** Clip the gradients' global norm to this value before each step. */
  clip?: number;
  /** Record every parameter's gradient norm at every step (fit's recordGradientNorms; default false). */
  recordGradientNorms?: boolean;
  /** Sets weightDecay in every parameter group of the optimizers that have the option. */
  weightDecay?: number;
  /** fit's l1, elasticNet and constrain options, for every run (train/penalty.ts). */
  l1?: FitOptions["l1"];
  elasticNet?: FitOptions["elasticNet"];
  constrain?: FitOptions["constrain"];
  /** The training loss whose first crossing is timed (default: see the top of this file). */
  targetLoss?: number;
  /** A run stops as diverged when its smoothed loss exceeds this multiple of its first step loss (default 10). */
  divergenceFactor?: number;
  /**
   * Train a throwaway model for a few batches first (default true), so that the first optimizer does not pay
   * alone for the JIT compiling the model's code: wall times stay comparable.
   */
  warmup?: boolean;
  onProgress?: (event: CompareProgress) => void;
}

export type CompareProgress =
  | { type: "tune"; run: number; runs: number; name: string; lrs: readonly number[] }
  | { type: "run-start"; run: number; runs: number; name: string; seed: number }
  | { type: "batch"; run: number; runs: number; name: string; epoch: number; epochs: number; step: number; steps: number; loss: number; accuracy: number }
  | { type: "epoch"; run: number; runs: number; name: string; epoch: number; epochs: number; loss: number; valLoss: number; valAccuracy: number }
  | { type: "run-end"; run: number; runs: number; name: string; seed: number; summary: RunSummary };

export interface RunSummary {
  name: string;
  /** Optimizer steps taken. */
  steps: number;
  /** Epochs completed. */
  epochs: number;
  seconds: number;
  finalLoss: number;
  finalAccuracy: number;
  finalTestLoss: number;
  finalTestAccuracy: number;
  /** 0-based epoch with the lowest test loss (train loss without a test set); −1 when no epoch completed. */
  bestEpoch: number;
  bestLoss: number;
  /** First step (1-based) at which the smoothed training loss reached the target, and its wall time; null if never. */
  stepsToTarget: number | null;
  secondsToTarget: number | null;
  /** Standard deviation of the last step losses. */
  instability: number;
  diverged: boolean;
  /** The step (1-based) at which the run diverged, or null. */
  divergedAt: number | null;
  /** The training set's loss and accuracy evaluated after training (evaluation mode), and finalTestLoss minus it. */
  trainEvalLoss: number;
  trainEvalAccuracy: number;
  gap: number;
}

export interface CompareRun {
  name: string;
  /** The optimizer's class name ('SGD'). */
  label: string;
  /** Its hyperparameters (the first parameter group's options) before any schedule touched them. */
  options: Record<string, unknown>;
  history: History;
  /** Loss of every step, and its smoothed curve. */
  stepLosses: Float64Array;
  smoothedLosses: Float64Array;
  /** Seconds since the run started, at the end of every step. */
  stepSeconds: Float64Array;
  /** Learning rate (first parameter group) used by every step. */
  stepLrs: Float64Array;
  summary: RunSummary;
  /** This run's settings. */
  seed: number;
  batchSize: number;
  epochs: number;
  stepsPerEpoch: number;
  schedule: string | null;
}

export interface CompareResult {
  /** The first seed's runs. */
  runs: CompareRun[];
  /** replicates[k][i]: run i with seed seeds[k]. */
  replicates: CompareRun[][];
  seeds: number[];
  /** Per run: each metric's mean, sd and 95 % interval over the seeds, and the mean curve. */
  statistics: RunStatistics[];
  /** Every other run against the best (by the primary metric), from paired per-seed differences. */
  differences: SeedDifference[];
  /** The learning-rate search of each run, with tune: 'lr' (null otherwise). */
  tuning: LrTuning[] | null;
  target: number;
  /** 'given' (targetLoss) or 'median' (the default rule). */
  targetRule: "given" | "median";
  /** The comparison's defaults (each run's own are in its CompareRun). */
  epochs: number;
  batchSize: number;
  stepsPerEpoch: number;
  seed: number;
  loss: string;
  schedule: string | null;
  backend: string;
  /** The model's layer summary (Sequential.summary()). */
  model: string;
  data: { train: string; test: string | null; trainSamples: number; testSamples: number };
  seconds: number;
}

export async function compareOptimizers(options: CompareOptions): Promise<CompareResult> {
  checkOptions("compareOptimizers", options, COMPARE_OPTIONS);
  const { epochs, seed = 0, seeds = 1, optimizers, onProgress } = options;
  if (!Number.isInteger(epochs) || epochs < 1) throw new RangeError(`compareOptimizers: epochs must be a positive integer, got ${epochs}`);
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`compareOptimizers: seeds must be a positive integer, got ${seeds}`);
  if (options.tune != null && options.tune !== "lr") throw new RangeError(`compareOptimizers: tune must be 'lr' or null, got '${String(options.tune)}'`);
  if (optimizers.length === 0) throw new RangeError("compareOptimizers: optimizers is empty");
  const names = new Set<string>();
  for (const o of optimizers) {
    if (names.has(o.name)) throw new RangeError(`compareOptimizers: two optimizers are named '${o.name}' (names label the results)`);
    names.add(o.name);
    if (o.epochs !== undefined && (!Number.isInteger(o.epochs) || o.epochs < 1)) throw new RangeError(`compareOptimizers: '${o.name}': epochs must be a positive integer, got ${o.epochs}`);
  }
  const divergence = options.divergenceFactor ?? DEFAULT_DIVERGENCE_FACTOR;
  if (!(divergence > 1)) throw new RangeError(`compareOptimizers: divergenceFactor must be > 1, got ${divergence}`);
  const started = performance.now();
  const engine = options.engine ?? (await createEngine());
  const lab = labModel(options.model, options.data);
  const loss = options.loss ?? defaultLoss(lab.train);
  const settings = optimizers.map((o) => runSettings(o, options, lab));
  const evalBatch = Math.min(256, lab.test?.length ?? 0);
  if (options.warmup ?? true) {
    for (const batch of new Set(settings.map((r) => r.batch))) await warmUp(lab, engine, loss, batch, Math.max(batch, evalBatch));
  }
  const tuning = options.tune === "lr"
    ? await tuneLearningRates({ engine, data: options.data, model: options.model, loss, seed, runs: optimizers.map((o, i) => ({ ...o, ...settingsFor(settings[i]!) })), clip: options.clip, weightDecay: options.weightDecay,
      onSearch: (run, lrs) => onProgress?.({ type: "tune", run, runs: optimizers.length, name: optimizers[run]!.name, lrs }) })
    : null;
  const specs = tuning ? optimizers.map((o, i) => ({ ...o, make: (p: Parameter[]) => withLr(o.make(p), tuning[i]!.lr) })) : optimizers;

  let modelSummary = "";
  const seedList = Array.from({ length: seeds }, (_, k) => seed + k);
  const replicates: CompareRun[][] = [];
  for (const s of seedList) {
    const runs: CompareRun[] = [];
    for (const [index, spec] of specs.entries()) {
      const progress = (e: Record<string, unknown>) => onProgress?.({ run: index, runs: specs.length, name: spec.name, ...e } as CompareProgress);
      progress({ type: "run-start", seed: s });
      const r = settings[index]!;
      const model = lab.build(engine, Math.max(r.batch, evalBatch), s);
      modelSummary ||= model.summary();
      const optimizer = spec.make(model.parameters());
      if (options.weightDecay !== undefined) {
        for (const g of optimizer.paramGroups as Record<string, unknown>[]) if ("weightDecay" in g) g.weightDecay = options.weightDecay;
      }
      const { params: _params, ...hyperparameters } = structuredClone({ ...optimizer.paramGroups[0]!, params: [] }) as Record<string, unknown>;
      const scheduled = r.schedule?.(optimizer, { epochs: r.epochs, stepsPerEpoch: r.stepsPerEpoch }) ?? null;
      const recorder = stepRecorder(optimizer, r.epochs * r.stepsPerEpoch);
      const history = await fit(model, lab.train, {
        optimizer,
        loss,
        epochs: r.epochs,
        batchSize: r.batch,
        seed: s,
        validationData: lab.test ?? undefined,
        scheduler: scheduled?.scheduler ?? null,
        schedulerStep: scheduled?.per ?? "epoch",
        clipGradNorm: options.clip,
        recordGradientNorms: options.recordGradientNorms,
        l1: options.l1,
        elasticNet: options.elasticNet,
        constrain: options.constrain,
        nonFinite: "skip",
        divergence: { factor: divergence, stop: true },
        verbose: 0,
        progress: onProgress ? progressReporter(progress) : null,
        callbacks: [recorder.callback],
      });
      const trained = evaluate(model, lab.train, { loss });
      const run = summarize(spec, optimizer, hyperparameters, history, recorder, r, s, trained);
      runs.push(run);
      progress({ type: "run-end", seed: s, summary: run.summary });
    }
    replicates.push(runs);
  }

  const all = replicates.flat();
  const alive = all.filter((r) => !r.summary.diverged);
  const target = options.targetLoss ?? (alive.length ? roundUpSignificant(median(alive.map((r) => minimum(r.smoothedLosses)))) : NaN);
  for (const r of all) applyTarget(r, target);
  const hasTest = lab.test !== null;
  const { statistics, differences } = seedStatistics(replicates, hasTest);
  return {
    runs: replicates[0]!,
    replicates,
    seeds: seedList,
    statistics,
    differences,
    tuning,
    target,
    targetRule: options.targetLoss !== undefined ? "given" : "median",
    epochs,
    batchSize: resolveBatchSize(options.batchSize, lab.train),
    stepsPerEpoch: Math.ceil(lab.train.length / resolveBatchSize(options.batchSize, lab.train)),
    seed,
    loss: loss.kind,
    schedule: scheduleText(options.schedule),
    backend: engine.backend,
    model: modelSummary,
    data: { train: lab.train.name, test: lab.test?.name ?? null, trainSamples: lab.train.length, testSamples: lab.test?.length ?? 0 },
    seconds: (performance.now() - started) / 1000,
  };
}

/** One run's batch size, epochs and schedule: its own where it sets them, else the comparison's. */
interface RunSettings {
  batch: number;
  batchOption: number | "full";
  epochs: number;
  stepsPerEpoch: number;
  schedule: ScheduleFactory | null;
  scheduleOption: ScheduleOption | null | undefined;
  scheduleText: string | null;
}

function runSettings(o: LabOptimizer, options: CompareOptions, lab: LabModel): RunSettings {
  const batchOption = o.batchSize ?? options.batchSize;
  const batch = resolveBatchSize(batchOption, lab.train);
  const scheduleOption = o.schedule === undefined ? options.schedule : o.schedule;
  return {
    batch,
    batchOption,
    epochs: o.epochs ?? options.epochs,
    stepsPerEpoch: Math.ceil(lab.train.length / batch),
    schedule: scheduleOption === null ? null : resolveSchedule(scheduleOption),
    scheduleOption,
    scheduleText: scheduleOption === null ? null : scheduleText(scheduleOption),
  };
}

/** The settings as a LabOptimizer's own (for the tuning runs). */
function settingsFor(r: RunSettings): Pick<LabOptimizer, "batchSize" | "epochs" | "schedule"> {
  return { batchSize: r.batchOption, epochs: r.epochs, schedule: r.scheduleOption ?? null };
}

function scheduleText(schedule: ScheduleOption | null | undefined): string | null {
  if (schedule === undefined || schedule === null) return null;
  return typeof schedule === "string" ? schedule : "text" in schedule ? schedule.text : "custom";
}

/** A few batches of plain SGD on a throwaway model (lr 0: nothing moves). */
async function warmUp(lab: LabModel, engine: Engine, loss: Loss, batch: number, compileBatch: number): Promise<void> {
  const model = lab.build(engine, compileBatch, 0);
  const few = lab.train.subset(Array.from({ length: Math.min(lab.train.length, 8 * batch) }, (_, i) => i));
  await fit(model, few, { optimizer: new SGD(model.parameters(), { lr: 0 }), loss, epochs: 1, batchSize: batch, verbose: 0 });
}

export function resolveSchedule(schedule: ScheduleOption | undefined): ScheduleFactory | null {
  if (schedule === undefined) return null;
  if (typeof schedule === "function") return schedule;
  return (typeof schedule === "string" ? parseScheduleSpec(schedule) : schedule).create;
}

interface StepRecorder {
  callback: Callback;
  seconds: Float64Array;
  lrs: Float64Array;
}

/** Records each step's wall time and learning rate. */
function stepRecorder(optimizer: Optimizer<object>, maxSteps: number): StepRecorder {
  const seconds = new Float64Array(maxSteps);
  const lrs = new Float64Array(maxSteps);
  const lr = () => (optimizer.paramGroups[0] as { lr?: number }).lr ?? NaN;
  // The lr the next step will use: per-batch schedulers step at the end of a step, per-epoch ones between epochs.
  let nextLr = NaN;
  let t0 = 0;
  return {
    seconds,
    lrs,
    callback: {
      onTrainBegin() {
        t0 = performance.now();
      },
      onEpochBegin() {
        nextLr = lr();
      },
      onBatchEnd(ctx) {
        const step = ctx.step;
        seconds[step - 1] = (performance.now() - t0) / 1000;
        lrs[step - 1] = nextLr;
        nextLr = lr();
      },
    },
  };
}

function progressReporter(emit: (e: Record<string, unknown>) => void): ProgressReporter {
  let epoch = 0, epochs = 0, steps = 0;
  return {
    epochBegin(e, total, batches) {
      (epoch = e), (epochs = total), (steps = batches);
    },
    batchEnd(done, loss, accuracy) {
      emit({ type: "batch", epoch, epochs, step: done, steps, loss, accuracy });
    },
    epochEnd(s) {
      emit({ type: "epoch", epoch: s.epoch, epochs: s.epochs, loss: s.loss, valLoss: s.valLoss, valAccuracy: s.valAccuracy });
    },
    end() {},
  };
}

function summarize(
  spec: LabOptimizer, optimizer: Optimizer<object>, options: Record<string, unknown>, history: History, rec: StepRecorder, r: RunSettings, seed: number,
  trained: { loss: number; accuracy: number },
): CompareRun {
  const stepsPerEpoch = r.stepsPerEpoch;
  const steps = history.steps;
  const stepLosses = Float64Array.from(history.stepLosses);
  const window = Math.min(20, Math.ceil(stepsPerEpoch / 2));
  const smoothedLosses = smoothEma(stepLosses, 2 / (window + 1));
  const last = history.last;
  const scored = history.epochs.map((e) => (Number.isNaN(e.valLoss) ? e.loss : e.valLoss));
  let bestEpoch = -1;
  scored.forEach((v, i) => {
    if (bestEpoch < 0 || v < scored[bestEpoch]!) bestEpoch = i;
  });
  const k = Math.max(5, Math.min(50, Math.ceil(steps / 4)));
  const diverged = history.divergence !== null;
  return {
    name: spec.name,
    label: spec.label ?? optimizer.kind,
    options,
    history,
    stepLosses,
    smoothedLosses,
    stepSeconds: rec.seconds.slice(0, steps),
    stepLrs: rec.lrs.slice(0, steps),
    seed,
    batchSize: r.batch,
    epochs: r.epochs,
    stepsPerEpoch,
    schedule: r.scheduleText,
    summary: {
      name: spec.name,
      steps,
      epochs: history.epochs.length,
      seconds: steps ? rec.seconds[steps - 1]! : 0,
      finalLoss: last?.loss ?? NaN,
      finalAccuracy: last?.accuracy ?? NaN,
      finalTestLoss: last?.valLoss ?? NaN,
      finalTestAccuracy: last?.valAccuracy ?? NaN,
      bestEpoch,
      bestLoss: bestEpoch >= 0 ? scored[bestEpoch]! : NaN,
      stepsToTarget: null,
      secondsToTarget: null,
      instability: diverged ? NaN : stdOfLast(stepLosses, k),
      diverged,
      divergedAt: history.divergence?.step ?? null,
      trainEvalLoss: trained.loss,
      trainEvalAccuracy: trained.accuracy,
      gap: (last?.valLoss ?? NaN) - trained.loss,
    },
  };
}

/** A diverged run is not timed: a loss that fell below the target on its way to infinity proves nothing. */
function applyTarget(run: CompareRun, target: number): void {
  const i = run.summary.diverged ? -1 : firstAtOrBelow(run.smoothedLosses, target);
  run.summary.stepsToTarget = i < 0 ? null : i + 1;
  run.summary.secondsToTarget = i < 0 ? null : run.stepSeconds[i]!;
}

function minimum(values: Float64Array): number {
  let m = Infinity;
  for (const v of values) if (v < m) m = v;
  return m === Infinity ? NaN : m;
}

/** The keys compareOptimizers accepts (tsc checks the list against CompareOptions). */
const COMPARE_OPTIONS = keysOf<CompareOptions>({ engine: 1, data: 1, model: 1, optimizers: 1, schedule: 1, epochs: 1, batchSize: 1, seed: 1, seeds: 1, tune: 1, loss: 1, clip: 1, recordGradientNorms: 1, weightDecay: 1, l1: 1, elasticNet: 1, constrain: 1, targetLoss: 1, divergenceFactor: 1, warmup: 1, onProgress: 1 });
