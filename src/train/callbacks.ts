// Callbacks: hooks fit() calls at the start and end of training, of each epoch, and after each optimizer step.
// A hook may return a promise (fit awaits it). `ctx.stopTraining = true` ends training after the current step.
// The context object is created once per fit and updated in place: read it in the hook, do not keep it.
import type { Optimizer } from "../optim/optimizer.js";
import type { StatefulScheduler } from "./checkpoint.js";
import type { EpochRecord, History } from "./history.js";
import type { TrainableModel } from "./types.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface TrainingContext {
  readonly model: TrainableModel;
  readonly optimizer: Optimizer<object>;
  readonly scheduler: StatefulScheduler | null;
  readonly history: History;
  /** Epochs to train in all. */
  readonly epochs: number;
  /** The epoch in progress (0-based). */
  epoch: number;
  /** Batches of this epoch trained on so far. */
  batch: number;
  /** Batches per epoch. */
  readonly batchesPerEpoch: number;
  /** Optimizer steps taken so far (skipped ones included). */
  step: number;
  /** The loss of the last step. */
  stepLoss: number;
  /** The record of the epoch that just ended (in onEpochEnd; null before). */
  logs: EpochRecord | null;
  /** Set to true to end training after this step or epoch. */
  stopTraining: boolean;
  /** The whole training state as checkpoint bytes (what checkpoint callbacks write). */
  checkpointBytes(): Uint8Array;
}

type Hook = (ctx: TrainingContext) => void | Promise<void>;

export interface Callback {
  onTrainBegin?: Hook;
  onEpochBegin?: Hook;
  /** After each optimizer step (with gradient accumulation: after every k batches). */
  onBatchEnd?: Hook;
  onEpochEnd?: Hook;
  onTrainEnd?: Hook;
  /** State to keep in checkpoints: JSON-able values, and Float32Arrays (stored as tensors). */
  stateDict?(): Record<string, unknown>;
  loadStateDict?(state: Record<string, unknown>): void;
}

/** The per-epoch values a callback can monitor. */
export type Monitor = "loss" | "accuracy" | "valLoss" | "valAccuracy";

export interface EarlyStoppingOptions {
  /** The value watched (default: 'valLoss' with validation data, else 'loss'). */
  monitor?: Monitor;
  /** Epochs without improvement before stopping (default 0: stop at the first epoch that does not improve). */
  patience?: number;
  /** A change smaller than this does not count as an improvement (default 0). */
  minDelta?: number;
  /** 'min' for losses, 'max' for accuracies (default: from the monitor). */
  mode?: "min" | "max";
  /** When stopping, put back the weights and buffers of the best epoch (default false). */
  restoreBestWeights?: boolean;
}

/**
 * Stops training when the monitored value has not improved by more than minDelta for `patience` epochs (as
 * Keras' EarlyStopping): improvement means value < best − minDelta ('min') or value > best + minDelta ('max').
 */
export function earlyStopping(options: EarlyStoppingOptions = {}): Callback & { readonly bestEpoch: number; readonly best: number } {
  checkOptions("earlyStopping", options, EARLY_STOPPING_OPTIONS);
  const { patience = 0, minDelta = 0, restoreBestWeights = false } = options;
  if (!Number.isInteger(patience) || patience < 0) throw new RangeError(`earlyStopping: patience must be an integer >= 0, got ${patience}`);
  if (!(minDelta >= 0)) throw new RangeError(`earlyStopping: minDelta must be >= 0, got ${minDelta}`);
  const monitors: Monitor[] = ["loss", "accuracy", "valLoss", "valAccuracy"];
  if (options.monitor !== undefined && !monitors.includes(options.monitor)) {
    throw new RangeError(`earlyStopping: monitor must be one of ${monitors.join(", ")}, got ${String(options.monitor)}`);
  }
  let monitor = options.monitor;
  let mode = options.mode;
  let state = { best: NaN, wait: 0, bestEpoch: -1 };
  let snapshot: Float32Array | null = null;
  const slots = (ctx: TrainingContext): Float32Array[] => [
    ...ctx.model.parameters().map((p) => p.data),
    ...Object.values(ctx.model.stateBuffers()).map((b) => b.array),
  ];
  return {
    get best() {
      return state.best;
    },
    get bestEpoch() {
      return state.bestEpoch;
    },
    onTrainBegin(ctx) {
      if (restoreBestWeights && !snapshot) snapshot = new Float32Array(slots(ctx).reduce((n, a) => n + a.length, 0));
    },
    onEpochEnd(ctx) {
      const logs = ctx.logs!;
      monitor ??= Number.isNaN(logs.valLoss) ? "loss" : "valLoss";
      mode ??= monitor.endsWith("ccuracy") ? "max" : "min";
      const value = logs[monitor];
      if (Number.isNaN(value)) throw new Error(`earlyStopping: the monitored value '${monitor}' is not measured (no validation data, or no labels)`);
      const improved = Number.isNaN(state.best) || (mode === "min" ? value < state.best - minDelta : value > state.best + minDelta);
      if (improved) {
        state = { best: value, wait: 0, bestEpoch: ctx.epoch };
        if (snapshot) {
          let at = 0;
          for (const a of slots(ctx)) snapshot.set(a, at), (at += a.length);
        }
        return;
      }
      if (++state.wait > patience) {
        ctx.stopTraining = true;
        if (snapshot && state.bestEpoch >= 0) {
          let at = 0;
          for (const a of slots(ctx)) a.set(snapshot.subarray(at, (at += a.length)));
        }
      }
    },
    stateDict() {
      return { ...state, monitor: monitor ?? null, mode: mode ?? null, ...(snapshot ? { snapshot } : {}) };
    },
    loadStateDict(saved) {
      state = { best: Number(saved.best), wait: Number(saved.wait), bestEpoch: Number(saved.bestEpoch) };
      monitor = (saved.monitor as Monitor | null) ?? options.monitor;
      mode = (saved.mode as "min" | "max" | null) ?? options.mode;
      if (saved.snapshot instanceof Float32Array) snapshot = saved.snapshot;
    },
  };
}

export interface CheckpointCallbackOptions {
  /** Save after every `every` optimizer steps, or at the end of every epoch with 'epoch' (default). */
  every?: number | "epoch";
  /** Receives the checkpoint bytes (Node: checkpoint({ path }) in wasm-optim/node writes them to a file). */
  write(bytes: Uint8Array, ctx: TrainingContext): void | Promise<void>;
}

/** Saves the whole training state periodically, through `write` (e.g. into IndexedDB in a browser). */
export function checkpointCallback(options: CheckpointCallbackOptions): Callback {
  checkOptions("checkpointCallback", options, CHECKPOINT_CALLBACK_OPTIONS);
  const every = options.every ?? "epoch";
  if (every !== "epoch" && !(Number.isInteger(every) && every >= 1)) {
    throw new RangeError(`checkpoint: every must be a positive integer (steps) or 'epoch', got ${String(every)}`);
  }
  return {
    onBatchEnd(ctx) {
      if (every !== "epoch" && ctx.step % every === 0) return options.write(ctx.checkpointBytes(), ctx);
    },
    onEpochEnd(ctx) {
      if (every === "epoch") return options.write(ctx.checkpointBytes(), ctx);
    },
  };
}

/** The keys earlyStopping accepts (tsc checks the list against EarlyStoppingOptions). */
const EARLY_STOPPING_OPTIONS = keysOf<EarlyStoppingOptions>({ monitor: 1, patience: 1, minDelta: 1, mode: 1, restoreBestWeights: 1 });

/** The keys checkpointCallback accepts (tsc checks the list against CheckpointCallbackOptions). */
const CHECKPOINT_CALLBACK_OPTIONS = keysOf<CheckpointCallbackOptions>({ every: 1, write: 1 });
