// fit(): the training loop. One optimizer step, with k = gradientAccumulation micro-batches:
//
//   zero the gradients
//   k times:  gather a batch into model.input / the label buffer      (DataLoader, planned once per fit)
//             forward (training mode);  ℓ_i = loss(output, target);  dOutput = ∂ℓ_i/∂output · (n_i / N)
//             backward: the gradients accumulate (+=)
//   if the loss or a gradient is NaN or ±∞:  'error' → throw naming the step and the parameter;
//                                            'skip' → no update, no scheduler step; counted in the history
//   divergence: the smoothed loss far above its start, or not finite (train/divergence.ts) → recorded in the
//               history; with divergence.stop, training ends at that step
//   recordGradientNorms: each parameter tensor's gradient norm (before clipping) into history.gradientNorms
//   clip (by global norm, or by value; history.clippedSteps counts the steps it changed);  optimizer.step();  scheduler.step() when it steps per batch
//   (with l1 / elasticNet the penalty's gradient is added before clipping; constrain projects after the step:
//   train/penalty.ts)
//
// n_i is the micro-batch's size and N the samples of all the step's micro-batches: the step gets the gradient of
// one batch of N samples (up to float rounding), the mean loss over them. With k full batches of b samples this
// is PyTorch's `(loss / k).backward()`; the last step of an epoch may hold fewer micro-batches (or a smaller last
// batch), and it is weighted by what it holds, as careful PyTorch loops do (they divide by the number of
// samples in the accumulated batches, not by k), so no sample counts less than another. At the end of each epoch: validation (evaluation mode; with a
// schedule-free optimizer, at its average x, see optim/schedule-free.ts), the epoch's
// record in the history, scheduler.step() when it steps per epoch (ReduceLROnPlateau with the validation loss,
// or the training loss without validation data), then the callbacks. A step allocates nothing on the JS heap or
// in wasm memory (callbacks aside): loaders, label buffers and the loss history are planned before the loop.
import { Dataset } from "../data/dataset.js";
import { DataLoader } from "../data/loader.js";
import type { Parameter } from "../engine/parameter.js";
import type { I32Slice } from "../engine/views.js";
import { Dropout } from "../nn/dropout.js";
import { correctCount } from "../nn/metrics.js";
import { clipGradNorm, clipGradValue, clipsNorm } from "../optim/clip.js";
import type { Optimizer } from "../optim/optimizer.js";
import { hasTrainEval, type TrainEvalOptimizer } from "../optim/schedule-free.js";
import { ReduceLROnPlateau } from "../optim/schedulers/reduce-lr-on-plateau.js";
import type { Callback, TrainingContext } from "./callbacks.js";
import { applyCheckpoint, decodeCheckpoint, encodeCheckpoint, type Checkpoint, type EpochTotals, type StatefulScheduler, type TrainingState } from "./checkpoint.js";
import { checkBatchSize, checkFinite, checkSample, evaluate, measuresAccuracy } from "./evaluate.js";
import { History, type EpochRecord } from "./history.js";
import { ModelGradients } from "./gradients.js";
import { GradientNorms } from "./gradient-norms.js";
import { DEFAULT_DIVERGENCE_FACTOR, DivergenceMonitor, divergenceWindow, type DivergenceOptions } from "./divergence.js";
import { plannedLoader, plannedTarget } from "./plan.js";
import { createProgressBar, stdoutIsTTY } from "./progress.js";
import type { ProgressReporter } from "./reporter.js";
import type { LossFunction, TrainableModel } from "./types.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { checkConstrain, penaltyCoefficients, WeightConstraint, WeightPenalty, type ConstrainOptions, type ElasticNetOptions } from "./penalty.js";

/** A scheduler fit can drive: any LRScheduler (step()), or ReduceLROnPlateau (step(metric)). */
export type FitScheduler = StatefulScheduler & { step(metric?: number): void };

export interface FitOptions {
  optimizer: Optimizer<object>;
  loss: LossFunction;
  /** Epochs to train in all (default 1); when resuming, the total including those already done. */
  epochs?: number;
  /** Samples per batch (default 32; 1 for stochastic, 'full' for batch gradient descent). Ignored for a DataLoader. */
  batchSize?: number | "full";
  /** Reshuffle every epoch (default true). Ignored for a DataLoader. */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0). Ignored for a DataLoader. */
  seed?: number;
  /** Drop the last, smaller batch of each epoch (default false). Ignored for a DataLoader. */
  dropLast?: boolean;
  /** Evaluated at the end of every epoch, in evaluation mode. */
  validationData?: Dataset | DataLoader;
  /** What to measure besides the loss (default ['loss', 'accuracy']; accuracy needs class labels). */
  metrics?: readonly ("loss" | "accuracy")[];
  scheduler?: FitScheduler | null;
  /** When the scheduler steps (default 'epoch'; 'batch' for OneCycleLR, CyclicLR and warm-ups per step). */
  schedulerStep?: "batch" | "epoch";
  callbacks?: readonly Callback[];
  /** Micro-batches per optimizer step (default 1). */
  gradientAccumulation?: number;
  /** Clip the gradients' global norm to this value (or { maxNorm, normType }) before each step. */
  clipGradNorm?: number | { maxNorm: number; normType?: number };
  /** Clamp every gradient element into [−v, v] before each step. */
  clipGradValue?: number;
  /** Record each parameter tensor's gradient L2 norm (before clipping) at every step into history.gradientNorms (default false). */
  recordGradientNorms?: boolean;
  /** What to do when a gradient is NaN or ±∞ (default 'error'). */
  nonFinite?: "error" | "skip";
  /**
   * Divergence detection (train/divergence.ts): `history.divergence` tells the step at which the smoothed loss rose
   * above `factor` (default 10) × its first value, or became non-finite; `stop: true` ends training there.
   * `false` turns the check off. Default: { factor: 10, stop: false }.
   */
  divergence?: DivergenceOptions | false;
  /** 0: silent; 1 (default): a progress bar when stdout is a terminal. */
  verbose?: 0 | 1;
  /** Reports progress somewhere else (a web page); overrides the terminal bar. */
  progress?: ProgressReporter | null;
  /** Continue from a checkpoint (bytes, or decoded): the same options then give the weights of a run never stopped. */
  resumeFrom?: Uint8Array | Checkpoint;
  /** An L1 penalty λ ‖θ‖₁ on every parameter: λ sign(θ) added to the gradient before clipping (train/penalty.ts). */
  l1?: number;
  /** An elastic-net penalty α r ‖θ‖₁ + ½ α (1 − r) ‖θ‖² (scikit-learn's alpha and l1_ratio), like l1. */
  elasticNet?: ElasticNetOptions;
  /** Projections after each optimizer step: Keras' MaxNorm per output unit ({ maxNorm }) and/or a box ({ min, max }). */
  constrain?: ConstrainOptions;
}

/** Trains `model` on `data` and returns the history of the run. */
export async function fit(model: TrainableModel, data: Dataset | DataLoader, options: FitOptions): Promise<History> {
  checkOptions("fit", options, FIT_OPTIONS);
  const run = new FitRun(model, data, options);
  return run.train();
}

const REPORT_INTERVAL_MS = 100;

class FitRun {
  private readonly epochs: number;
  private readonly accumulation: number;
  private readonly loader: DataLoader;
  private readonly optimizer: Optimizer<object>;
  private readonly scheduler: FitScheduler | null;
  private readonly plateau: boolean;
  private readonly stepScheduler: boolean;
  private readonly measureAccuracy: boolean;
  private readonly gradients: ModelGradients;
  private readonly params: Parameter[];
  private readonly history = new History();
  private readonly callbacks: readonly Callback[];
  private readonly ctx: TrainingContext;
  private readonly dropouts: Dropout[];
  private readonly divergence: DivergenceMonitor | null;
  private readonly stopOnDivergence: boolean;
  private readonly stepsPerEpoch: number;
  private readonly penalty: WeightPenalty | null;
  /** Recomputes the step's loss and gradients, for an optimizer whose step takes a closure (null otherwise). */
  private closure: (() => number) | null = null;
  private readonly wantsClosure: boolean;
  private readonly constraint: WeightConstraint | null;
  /** A schedule-free optimizer: validation and checkpoints see x (its eval weights), training y; x at the end. */
  private readonly trainEval: TrainEvalOptimizer | null;
  private totals: EpochTotals = emptyTotals(0);
  private epoch = 0;
  private batchesDone = 0;
  private step = 0;

  constructor(
    private readonly model: TrainableModel,
    data: Dataset | DataLoader,
    private readonly options: FitOptions,
  ) {
    const { epochs = 1, gradientAccumulation = 1, nonFinite = "error", schedulerStep = "epoch" } = options;
    if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be an integer >= 0, got ${epochs}`);
    if (!Number.isInteger(gradientAccumulation) || gradientAccumulation < 1) {
      throw new RangeError(`fit: gradientAccumulation must be an integer >= 1, got ${gradientAccumulation}`);
    }
    if (nonFinite !== "error" && nonFinite !== "skip") throw new RangeError(`fit: nonFinite must be 'error' or 'skip', got ${String(nonFinite)}`);
    if (schedulerStep !== "batch" && schedulerStep !== "epoch") throw new RangeError(`fit: schedulerStep must be 'batch' or 'epoch', got ${String(schedulerStep)}`);
    const { recordGradientNorms = false } = options;
    if (typeof recordGradientNorms !== "boolean") throw new TypeError(`fit: recordGradientNorms must be true or false, got ${String(recordGradientNorms)}`);
    if (!options.optimizer) throw new Error("fit: the optimizer option is required");
    if (!options.loss) throw new Error("fit: the loss option is required");
    const coefficients = penaltyCoefficients(options.l1, options.elasticNet);
    const constrain = checkConstrain(options.constrain);
    this.epochs = epochs;
    this.accumulation = gradientAccumulation;
    // An optimizer whose step declares a parameter (SAM, LBFGS) takes a closure: run() builds it.
    this.wantsClosure = options.optimizer !== undefined && options.optimizer.step.length > 0;
    if (this.wantsClosure && gradientAccumulation > 1) {
      throw new RangeError("fit: an optimizer whose step takes a closure (SAM, LBFGS) recomputes the gradient on one batch: use gradientAccumulation 1");
    }
    this.optimizer = options.optimizer;
    this.trainEval = hasTrainEval(this.optimizer) ? this.optimizer : null;
    this.scheduler = options.scheduler ?? null;
    this.plateau = this.scheduler instanceof ReduceLROnPlateau;
    if (this.plateau && schedulerStep === "batch") throw new RangeError("fit: ReduceLROnPlateau steps once per epoch with a metric; use schedulerStep 'epoch'");
    this.stepScheduler = this.scheduler !== null && schedulerStep === "batch";
    this.loader = trainingLoader(model, data, options);
    checkSample(model, this.loader.dataset, "fit");
    checkFinite(this.loader.dataset, "fit");
    const validation = options.validationData;
    if (validation) {
      const set = validation instanceof DataLoader ? validation.dataset : validation;
      checkSample(model, set, "fit: validationData");
      checkFinite(set, "fit: validationData");
    }
    const metrics = options.metrics ?? ["loss", "accuracy"];
    this.measureAccuracy = metrics.includes("accuracy") && measuresAccuracy(model, this.loader.dataset);
    this.gradients = new ModelGradients(model);
    this.params = model.parameters();
    if (recordGradientNorms) this.history.gradientNorms = new GradientNorms(this.params.map((p) => p.name));
    const own = new Set(this.params);
    for (const g of this.optimizer.paramGroups) {
      for (const p of g.params) if (!own.has(p)) throw new Error(`fit: the optimizer updates parameter '${p.name}', which is not the model's`);
    }
    this.stepsPerEpoch = Math.ceil(this.loader.numBatches / this.accumulation);
    this.penalty = coefficients ? new WeightPenalty(this.params, model.engine.kernels, ...coefficients) : null;
    this.constraint = constrain ? new WeightConstraint(this.params, model.engine.kernels, constrain) : null;
    const divergence = options.divergence ?? {};
    if (divergence !== false) checkOptions("fit: divergence", divergence, DIVERGENCE_OPTIONS);
    this.divergence = divergence === false ? null : new DivergenceMonitor(divergence.factor ?? DEFAULT_DIVERGENCE_FACTOR, divergenceWindow(this.stepsPerEpoch));
    this.stopOnDivergence = divergence !== false && divergence.stop === true;
    this.callbacks = options.callbacks ?? [];
    this.dropouts = (model.layers ?? []).filter((l): l is Dropout => l instanceof Dropout);
    this.ctx = {
      model, optimizer: this.optimizer, scheduler: this.scheduler, history: this.history, epochs,
      epoch: 0, batch: 0, batchesPerEpoch: this.loader.numBatches, step: 0, stepLoss: NaN, logs: null, stopTraining: false,
      checkpointBytes: () => this.checkpointBytes(),
    };
  }

  async train(): Promise<History> {
    const { options, model, loader, ctx } = this;
    if (options.resumeFrom) this.resume(options.resumeFrom);
    // A resumed schedule-free run gets y back as lerp(x, z, 1 − β): the saved y up to float32 rounding.
    this.trainEval?.train();
    const { slice: yBuffer, target } = plannedTarget(model.engine, loader.dataset, loader.batchSize);
    const stepsLeft = Math.ceil(((this.epochs - this.epoch) * loader.numBatches) / this.accumulation);
    this.history.reserve(Math.max(0, stepsLeft));
    this.history.gradientNorms?.reserve(Math.max(0, stepsLeft));
    const reporter = options.progress ?? (options.verbose !== 0 && stdoutIsTTY() ? await createProgressBar() : null);
    const batchHooks = this.callbacks.filter((c) => c.onBatchEnd).map((c) => c.onBatchEnd!.bind(c));
    const k = this.accumulation;
    const kernels = model.engine.kernels;
    const input = model.input, output = model.output, dOutput = model.dOutput;
    const outSize = model.output.length / model.batchSize;
    // An optimizer whose step takes a closure (SAM, LBFGS) gets one that recomputes the loss and the gradients on
    // the step's batch, still in the model's buffers: torch's `optimizer.step(closure)`.
    let batchSize = 0;
    const closure = () => {
      this.gradients.zero();
      model.forward(batchSize, true);
      const l = options.loss.compute(output, target, batchSize, dOutput);
      model.backward(batchSize);
      this.penalty?.apply();
      return l;
    };
    this.closure = this.wantsClosure ? closure : null;
    try {
      await this.fire("onTrainBegin");
      for (; this.epoch < this.epochs && !ctx.stopTraining && !this.halted(); this.epoch++) {
        ctx.epoch = this.epoch;
        if (this.batchesDone === 0) {
          this.totals = emptyTotals(firstLr(this.optimizer));
          await this.fire("onEpochBegin");
        }
        reporter?.epochBegin(this.epoch, this.epochs, Math.ceil(loader.numBatches / k));
        let started = performance.now();
        let lastReport = started;
        let pending = 0, stepLoss = 0, stepSeen = 0, stepCorrect = 0, stepSamples = 0;
        if (this.batchesDone < loader.numBatches) {
          for (const n of loader.epoch(input, yBuffer)) {
            if (pending === 0) {
              this.gradients.zero();
              stepSamples = k > 1 ? samplesInBatches(loader, this.batchesDone, k) : n;
            }
            batchSize = n;
            model.forward(n, true);
            const l = options.loss.compute(output, target, n, dOutput);
            if (k > 1) kernels.f32_scale(dOutput.ptr, n * outSize, n / stepSamples);
            model.backward(n);
            if (this.measureAccuracy) stepCorrect += correctCount(output, yBuffer as I32Slice, n);
            stepLoss += l * n;
            stepSeen += n;
            pending++;
            this.batchesDone++;
            if (pending < k && this.batchesDone < loader.numBatches) continue;
            this.finishStep(stepLoss / stepSeen, stepSeen, stepCorrect);
            pending = stepLoss = stepSeen = stepCorrect = 0;
            ctx.batch = this.batchesDone;
            for (let i = 0; i < batchHooks.length; i++) {
              const r = batchHooks[i]!(ctx);
              if (r) await r;
            }
            const now = performance.now();
            if (reporter && now - lastReport >= REPORT_INTERVAL_MS) {
              lastReport = now;
              const t = this.totals;
              const seconds = t.trainSeconds + (now - started) / 1000;
              reporter.batchEnd(Math.ceil(this.batchesDone / k), t.lossSum / t.seen, this.measureAccuracy ? t.correct / t.seen : NaN, t.seen / seconds);
            }
            if (ctx.stopTraining || this.halted()) break;
          }
        }
        const trainEnd = performance.now();
        this.totals.trainSeconds += (trainEnd - started) / 1000;
        this.totals.seconds += (trainEnd - started) / 1000;
        if (this.batchesDone < loader.numBatches) break; // stopped by a callback mid-epoch
        started = performance.now();
        const record = this.endEpoch();
        record.seconds += (performance.now() - started) / 1000;
        this.history.epochs.push(record);
        this.batchesDone = 0;
        ctx.logs = record;
        this.epochScheduler(record);
        reporter?.epochEnd({ ...record, epochs: this.epochs });
        this.totals = emptyTotals(NaN);
        // Callbacks see the state of the next epoch's start: a checkpoint written here resumes there.
        this.epoch++;
        try {
          await this.fire("onEpochEnd");
        } finally {
          this.epoch--;
        }
      }
      this.history.stoppedEarly = ctx.stopTraining;
      this.trainEval?.eval(); // the model keeps the weights to use: x
      await this.fire("onTrainEnd");
    } finally {
      reporter?.end();
    }
    return this.history;
  }

  /** After the micro-batches of a step: the NaN/Inf guard, clipping, the update, the per-batch scheduler. */
  private finishStep(loss: number, seen: number, correct: number): void {
    const { options, totals } = this;
    this.step++;
    this.ctx.step = this.step;
    this.ctx.stepLoss = loss;
    this.history.recordStep(loss);
    this.history.gradientNorms?.record(this.params, this.model.engine.kernels);
    if (this.divergence) {
      const diverged = this.divergence.observe(loss, this.epoch);
      if (diverged) this.history.divergence = diverged;
    }
    if (!Number.isFinite(loss) || !this.gradients.allFinite()) {
      if (options.nonFinite !== "skip") {
        const what = this.gradients.describeFirstNonFinite() ?? `the loss is ${loss}`;
        throw new Error(`fit: step ${this.step} (epoch ${this.epoch + 1}, batch ${this.batchesDone}): ${what}`);
      }
      this.history.skippedSteps++;
      totals.skipped++;
      totals.steps++;
      return;
    }
    this.penalty?.apply();
    let clipped = false;
    if (options.clipGradNorm !== undefined) {
      const c = options.clipGradNorm;
      const maxNorm = typeof c === "number" ? c : c.maxNorm;
      clipped = clipsNorm(clipGradNorm(this.params, maxNorm, typeof c === "number" ? 2 : (c.normType ?? 2)), maxNorm);
    }
    if (options.clipGradValue !== undefined) clipped = clipGradValue(this.params, options.clipGradValue) || clipped;
    if (clipped) this.history.clippedSteps++;
    if (this.closure) (this.optimizer.step as (closure: () => number) => unknown).call(this.optimizer, this.closure);
    else this.optimizer.step();
    this.constraint?.apply();
    if (this.stepScheduler) this.scheduler!.step();
    totals.lossSum += loss * seen;
    totals.correct += correct;
    totals.seen += seen;
    totals.steps++;
  }

  /** True once the run diverged and fit was asked to stop there. */
  private halted(): boolean {
    return this.stopOnDivergence && this.history.divergence !== null;
  }

  /** The epoch's record, with validation. */
  private endEpoch(): EpochRecord {
    const t = this.totals;
    const data = this.options.validationData;
    const validate = () => evaluate(this.model, data!, { loss: this.options.loss });
    const validation = data ? (this.trainEval ? this.trainEval.withEvalWeights(validate) : validate()) : null;
    return {
      epoch: this.epoch,
      loss: t.lossSum / t.seen,
      accuracy: this.measureAccuracy ? t.correct / t.seen : NaN,
      valLoss: validation ? validation.loss : NaN,
      valAccuracy: validation ? validation.accuracy : NaN,
      lr: t.lr,
      seconds: t.seconds,
      samplesPerSecond: t.seen / t.trainSeconds,
      skippedSteps: t.skipped,
    };
  }

  private epochScheduler(record: EpochRecord): void {
    if (!this.scheduler || this.stepScheduler) return;
    if (this.plateau) this.scheduler.step(Number.isNaN(record.valLoss) ? record.loss : record.valLoss);
    else this.scheduler.step();
  }

  private async fire(hook: "onTrainBegin" | "onEpochBegin" | "onEpochEnd" | "onTrainEnd"): Promise<void> {
    for (const c of this.callbacks) {
      const f = c[hook];
      if (f) await f.call(c, this.ctx);
    }
  }

  private trainingState(): TrainingState {
    return {
      epoch: this.epoch,
      batchesDone: this.batchesDone,
      step: this.step,
      batchesPerEpoch: this.loader.numBatches,
      samples: this.loader.dataset.length,
      loader: this.loader.stateDict(),
      modelRng: this.dropouts.map((d) => d.calls),
      totals: { ...this.totals },
      history: this.history.state(),
      stepLosses: this.history.stepLosses,
      gradientNorms: this.history.gradientNorms?.flat() ?? null,
      callbacks: this.callbacks.map((c) => c.stateDict?.() ?? null),
    };
  }

  /** Saved as the schedule-free reference says, in eval mode (the weights x), y put back after. */
  private checkpointBytes(): Uint8Array {
    const encode = () => encodeCheckpoint({ model: this.model, optimizer: this.optimizer, scheduler: this.scheduler, training: this.trainingState() });
    return this.trainEval ? this.trainEval.withEvalWeights(encode) : encode();
  }

  private resume(from: Uint8Array | Checkpoint): void {
    if (typeof from === "string") {
      throw new TypeError(`fit: resumeFrom takes checkpoint bytes or a decoded checkpoint; for the file '${from}', pass await readCheckpoint(path) from wasm-optim/node`);
    }
    const checkpoint = from instanceof Uint8Array ? decodeCheckpoint(from, "resumeFrom") : from;
    const where = checkpoint.source;
    const state = checkpoint.training;
    if (!state) throw new Error(`${where}: the checkpoint holds no training position (saved without fit?)`);
    if (state.batchesPerEpoch !== this.loader.numBatches || state.samples !== this.loader.dataset.length) {
      throw new Error(
        `${where}: saved with ${state.samples} samples in ${state.batchesPerEpoch} batches per epoch, this fit has ${this.loader.dataset.length} in ${this.loader.numBatches}`,
      );
    }
    if (state.modelRng && state.modelRng.length !== this.dropouts.length) {
      throw new Error(`${where}: saved with ${state.modelRng.length} Dropout layers, the model has ${this.dropouts.length}`);
    }
    if (state.callbacks.length !== this.callbacks.length) {
      throw new Error(`${where}: saved with ${state.callbacks.length} callbacks, this fit has ${this.callbacks.length} (give the same callbacks to resume)`);
    }
    if (this.scheduler && !checkpoint.scheduler) throw new Error(`${where}: the checkpoint holds no scheduler state, but this fit has a scheduler`);
    if (!this.scheduler && checkpoint.scheduler) {
      throw new Error(`${where}: the checkpoint holds the state of a ${String(checkpoint.scheduler.scheduler)} scheduler; give fit the same scheduler to resume`);
    }
    applyCheckpoint(checkpoint, this.model, this.optimizer, this.scheduler);
    this.loader.loadStateDict(state.loader);
    state.modelRng?.forEach((calls, i) => (this.dropouts[i]!.calls = calls));
    state.callbacks.forEach((s, i) => {
      if (s) this.callbacks[i]!.loadStateDict?.(s);
    });
    this.history.restore(state.history, state.stepLosses);
    this.restoreGradientNorms(state, where);
    // The divergence monitor follows the steps already taken, so a resumed run judges its losses as one never stopped.
    state.stepLosses.forEach((loss, i) => {
      const diverged = this.divergence?.observe(loss, Math.floor(i / this.stepsPerEpoch));
      if (diverged) this.history.divergence = diverged;
    });
    this.epoch = state.epoch;
    this.batchesDone = state.batchesDone;
    this.step = state.step;
    this.totals = { ...state.totals };
  }

  /**
   * The saved norms, when this fit records them: the same parameters, or an error; a checkpoint of a run that did
   * not record them gives NaN for its steps (not measured; charts leave them out).
   */
  private restoreGradientNorms(state: TrainingState, where: string): void {
    const norms = this.history.gradientNorms;
    if (!norms) return;
    const steps = state.stepLosses.length;
    const saved = state.history.gradientNorms;
    if (!saved || !state.gradientNorms) return norms.restore(new Float32Array(norms.names.length * steps).fill(NaN), steps);
    if (saved.length !== norms.names.length || saved.some((n, i) => n !== norms.names[i])) {
      throw new Error(`${where}: the checkpoint's gradient norms are of the parameters ${saved.join(", ")}, this model has ${norms.names.join(", ")}`);
    }
    norms.restore(state.gradientNorms, steps);
  }
}

/** Samples in the `count` batches of an epoch from batch `from` on (fewer at the epoch's end). */
function samplesInBatches(loader: DataLoader, from: number, count: number): number {
  const b = loader.batchSize, total = loader.dataset.length;
  let sum = 0;
  for (let i = from; i < Math.min(from + count, loader.numBatches); i++) sum += Math.min(b, total - i * b);
  return sum;
}

function firstLr(optimizer: Optimizer<object>): number {
  const lr = (optimizer.paramGroups[0] as { lr?: unknown }).lr;
  return typeof lr === "number" ? lr : NaN;
}

function emptyTotals(lr: number): EpochTotals {
  return { lossSum: 0, correct: 0, seen: 0, steps: 0, skipped: 0, seconds: 0, trainSeconds: 0, lr };
}

/** The training loader: the given DataLoader, or one planned for the dataset with fit's options. */
function trainingLoader(model: TrainableModel, data: Dataset | DataLoader, options: FitOptions): DataLoader {
  if (data instanceof DataLoader) {
    if (data.engine !== model.engine) throw new Error("fit: the DataLoader belongs to another engine than the model");
    checkBatchSize(model, data.batchSize, "fit");
    return data;
  }
  if (!(data instanceof Dataset)) throw new TypeError("fit: data must be a Dataset or a DataLoader");
  const { batchSize = 32, shuffle = true, seed = 0, dropLast = false } = options;
  if (batchSize !== "full" && !(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`fit: batchSize must be a positive integer or 'full', got ${String(batchSize)}`);
  }
  const size = batchSize === "full" ? data.length : batchSize;
  checkBatchSize(model, size, "fit");
  return plannedLoader(model.engine, data, size, shuffle, dropLast, seed);
}

/** The keys fit accepts (tsc checks the list against FitOptions). */
const DIVERGENCE_OPTIONS = keysOf<DivergenceOptions>({ factor: 1, stop: 1 });
const FIT_OPTIONS = keysOf<FitOptions>({ optimizer: 1, loss: 1, epochs: 1, batchSize: 1, shuffle: 1, seed: 1, dropLast: 1, validationData: 1, metrics: 1, scheduler: 1, schedulerStep: 1, callbacks: 1, gradientAccumulation: 1, clipGradNorm: 1, clipGradValue: 1, nonFinite: 1, divergence: 1, verbose: 1, progress: 1, resumeFrom: 1, recordGradientNorms: 1, l1: 1, elasticNet: 1, constrain: 1 });
