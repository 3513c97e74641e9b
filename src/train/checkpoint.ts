// Checkpoints as bytes, platform-neutral (checkpoint-file.ts reads and writes them as files in Node). One
// safetensors file holds:
//
//   tensors   '<layer>.<name>'                 the model's parameters and buffers, PyTorch names ('0.weight',
//                                              '1.running_mean'): the weights load with safetensors.torch
//             'optimizer.state.<i>.<buffer>'   every optimizer state buffer of parameter i (torch's numbering):
//                                              F32, or BF16 / U8 codes and '<buffer>Absmax' (F32) for stateDtype
//                                              'bf16' / 'int8', stored as they are held, so a resume is exact
//             'training.step_losses'           the loss of every step so far (F64)
//             'training.gradient_norms'        each parameter's gradient norm at every step, [tensors, steps] (F32),
//                                              when fit records them (the names are in the history's JSON)
//             'callbacks.<i>.<name>'           arrays a callback keeps (early stopping's best weights)
//   metadata  format, format_version, and JSON of: the optimizer's param groups and scalar state, the scheduler's
//             stateDict, and the training position (epoch, batch, step, the loader's shuffle RNG, the model's RNG,
//             the partial sums of the current epoch, the history, the callbacks' state)
//
// Restoring checks everything (names, shapes, the optimizer's class, the number of groups) before it changes
// anything, so a bad checkpoint leaves the model and the optimizer as they were.
import { DataError } from "../data/errors.js";
import type { Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import type { Optimizer, OptimizerStateDict } from "../optim/optimizer.js";
import type { StateArray } from "../optim/state-dtype.js";
import type { SchedulerStateDict } from "../optim/schedulers/lr-scheduler.js";
import type { DataLoaderState } from "../data/loader.js";
import type { HistoryState } from "./history.js";
import { parseJson, stringifyJson } from "./json.js";
import { decodeSafetensors, encodeSafetensors, type SafetensorsFile, type StoredTensor, type TensorToWrite } from "./safetensors.js";

export const CHECKPOINT_FORMAT = "wasm-optim.checkpoint";
export const CHECKPOINT_VERSION = 1;

/** What checkpoints and safetensors exports need of a model (Sequential has it). */
export interface NamedModel {
  namedParameters(): [string, Parameter][];
  stateBuffers(): Record<string, F32Slice>;
}

/** What a checkpoint needs of a scheduler (LRScheduler and ReduceLROnPlateau have it). */
export interface StatefulScheduler {
  stateDict(): SchedulerStateDict;
  loadStateDict(state: SchedulerStateDict): void;
}

/** The running sums of the epoch in progress. */
export interface EpochTotals {
  lossSum: number;
  correct: number;
  seen: number;
  steps: number;
  skipped: number;
  seconds: number;
  trainSeconds: number;
  lr: number;
}

/** Where fit() stands, enough to continue bit for bit. */
export interface TrainingState {
  /** The epoch in progress (0-based). */
  epoch: number;
  /** Batches of that epoch already trained on (equal to the batches per epoch when saved at the epoch's end). */
  batchesDone: number;
  /** Optimizer steps taken (skipped steps included). */
  step: number;
  /** The run's shape, checked on resume: batches per epoch and training samples. */
  batchesPerEpoch: number;
  samples: number;
  loader: DataLoaderState;
  /** The model's RNG state (dropout), when it has one. */
  modelRng: number[] | null;
  totals: EpochTotals;
  history: HistoryState;
  stepLosses: Float64Array;
  /** The recorded gradient norms, [tensors × steps] row-major (history.gradientNorms names the tensors), or absent. */
  gradientNorms?: Float32Array | null;
  /** Each callback's state, by position in the callbacks list (arrays are stored as tensors). */
  callbacks: (Record<string, unknown> | null)[];
}

export interface CheckpointParts {
  model: NamedModel;
  optimizer?: Optimizer<object> | null;
  scheduler?: StatefulScheduler | null;
  training?: TrainingState | null;
}

/** A decoded checkpoint, not yet applied. */
export interface Checkpoint {
  readonly source: string;
  readonly file: SafetensorsFile;
  readonly optimizer: OptimizerStateDict | null;
  readonly scheduler: SchedulerStateDict | null;
  readonly training: TrainingState | null;
}

const OPTIMIZER_PREFIX = "optimizer.state.";
const CALLBACK_PREFIX = "callbacks.";
const STEP_LOSSES = "training.step_losses";
const GRADIENT_NORMS = "training.gradient_norms";

/** Serializes a model with its optimizer, scheduler and training position into safetensors bytes. */
export function encodeCheckpoint(parts: CheckpointParts): Uint8Array {
  const tensors: [string, TensorToWrite][] = modelTensors(parts.model);
  const metadata: Record<string, string> = { format: CHECKPOINT_FORMAT, format_version: String(CHECKPOINT_VERSION) };
  if (parts.optimizer) {
    const dict = parts.optimizer.stateDict();
    const shapes = parameterShapes(parts.optimizer);
    const scalars: Record<number, Record<string, number>> = {};
    for (const [index, entry] of Object.entries(dict.state)) {
      const numbers: Record<string, number> = {};
      for (const [key, value] of Object.entries(entry)) {
        if (typeof value === "number") numbers[key] = value;
        else tensors.push([`${OPTIMIZER_PREFIX}${index}.${key}`, { shape: stateShape(key, value, shapes[Number(index)]), data: value }]);
      }
      scalars[Number(index)] = numbers;
    }
    metadata.optimizer = stringifyJson({ optimizer: dict.optimizer, paramGroups: dict.paramGroups, state: scalars });
  }
  if (parts.scheduler) metadata.scheduler = stringifyJson(parts.scheduler.stateDict());
  if (parts.training) {
    const { stepLosses, gradientNorms, callbacks, ...rest } = parts.training;
    tensors.push([STEP_LOSSES, { shape: [stepLosses.length], data: stepLosses }]);
    if (gradientNorms) tensors.push([GRADIENT_NORMS, { shape: [rest.history.gradientNorms?.length ?? 0, stepLosses.length], data: gradientNorms }]);
    const callbackJson = callbacks.map((state, i) => {
      if (!state) return null;
      const plain: Record<string, unknown> = {};
      for (const [key, value] of Object.entries(state)) {
        if (value instanceof Float32Array) tensors.push([`${CALLBACK_PREFIX}${i}.${key}`, { shape: [value.length], data: value }]);
        else plain[key] = value;
      }
      return plain;
    });
    metadata.training = stringifyJson({ ...rest, callbacks: callbackJson });
  }
  return encodeSafetensors(tensors, metadata);
}

/**
 * The model's parameters and buffers as safetensors tensors, laid out as PyTorch's state_dict: same names, same
 * shapes, and BatchNorm's num_batches_tracked an int64 scalar.
 */
export function modelTensors(model: NamedModel): [string, TensorToWrite][] {
  const out: [string, TensorToWrite][] = [];
  for (const [name, p] of model.namedParameters()) out.push([name, { shape: p.shape, data: p.data }]);
  for (const [name, b] of Object.entries(model.stateBuffers())) {
    if (isCounter(name, b)) out.push([name, { shape: [], data: BigInt64Array.of(BigInt(Math.round(b.array[0]!))) }]);
    else out.push([name, { shape: [b.length], data: b.array }]);
  }
  return out;
}

/** BatchNorm's batch counter: a float here, an int64 scalar in PyTorch. */
function isCounter(name: string, buffer: F32Slice): boolean {
  return name.endsWith(".num_batches_tracked") && buffer.length === 1;
}

/** A state tensor has its parameter's shape, but an int8 state's absmax (one per block) is a vector. */
function stateShape(key: string, value: StateArray, shape: readonly number[] | undefined): readonly number[] {
  return key.endsWith("Absmax") || !shape ? [value.length] : shape;
}

function parameterShapes(optimizer: Optimizer<object>): (readonly number[])[] {
  return optimizer.paramGroups.flatMap((g) => g.params.map((p) => p.shape));
}

/** Parses and checks checkpoint bytes (the format, the metadata JSON); `source` names the file in errors. */
export function decodeCheckpoint(bytes: Uint8Array, source = "checkpoint"): Checkpoint {
  const file = decodeSafetensors(bytes, source);
  const meta = file.metadata;
  if (meta.format !== CHECKPOINT_FORMAT) {
    throw new DataError(source, `not a wasm-optim checkpoint (metadata format is ${JSON.stringify(meta.format)}; plain weights load with importSafetensors)`);
  }
  if (meta.format_version !== String(CHECKPOINT_VERSION)) {
    throw new DataError(source, `checkpoint format version ${meta.format_version} is not supported (this version reads ${CHECKPOINT_VERSION})`);
  }
  const json = (key: string): Record<string, unknown> | null => {
    if (meta[key] === undefined) return null;
    let value: unknown;
    try {
      value = parseJson(meta[key]!);
    } catch (e) {
      throw new DataError(source, `metadata '${key}' is not valid JSON (${(e as Error).message})`);
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) throw new DataError(source, `metadata '${key}' is not a JSON object`);
    return value as Record<string, unknown>;
  };
  return {
    source,
    file,
    optimizer: optimizerDict(json("optimizer"), file, source),
    scheduler: json("scheduler") as SchedulerStateDict | null,
    training: trainingState(json("training"), file, source),
  };
}

function optimizerDict(meta: Record<string, unknown> | null, file: SafetensorsFile, source: string): OptimizerStateDict | null {
  if (!meta) return null;
  const { optimizer, paramGroups, state } = meta as { optimizer: unknown; paramGroups: unknown; state: unknown };
  if (typeof optimizer !== "string" || !Array.isArray(paramGroups) || typeof state !== "object" || state === null) {
    throw new DataError(source, `metadata 'optimizer' lacks the optimizer's name, paramGroups or state`);
  }
  const dict: OptimizerStateDict = { optimizer, paramGroups: paramGroups as Record<string, unknown>[], state: {} };
  for (const [index, scalars] of Object.entries(state as Record<string, Record<string, number>>)) {
    dict.state[Number(index)] = { ...scalars };
  }
  for (const [name, tensor] of file.tensors) {
    if (!name.startsWith(OPTIMIZER_PREFIX)) continue;
    const match = /^(\d+)\.(.+)$/.exec(name.slice(OPTIMIZER_PREFIX.length));
    const entry = match ? dict.state[Number(match[1])] : undefined;
    if (!match || !entry) throw new DataError(source, `tensor '${name}' belongs to no parameter in the optimizer's state`);
    entry[match[2]!] = stateOf(tensor, source);
  }
  return dict;
}

function trainingState(meta: Record<string, unknown> | null, file: SafetensorsFile, source: string): TrainingState | null {
  if (!meta) return null;
  const fail = (what: string): never => {
    throw new DataError(source, `metadata 'training' ${what}`);
  };
  const { epoch, batchesDone, step, batchesPerEpoch, samples, loader, totals, history, callbacks } = meta as Partial<TrainingState>;
  for (const [key, v] of Object.entries({ epoch, batchesDone, step, batchesPerEpoch, samples })) {
    if (!Number.isInteger(v) || (v as number) < 0) fail(`has an invalid ${key}: ${String(v)}`);
  }
  if (!loader || !Array.isArray(loader.rng) || !Number.isInteger(loader.batch)) fail("lacks the data loader's state");
  const rngState = (v: unknown) => Array.isArray(v) && v.length === 4 && v.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32) && v.some((x) => x !== 0);
  if (!rngState(loader!.rng)) fail(`has an invalid loader.rng: ${JSON.stringify(loader!.rng)} (4 unsigned 32-bit integers, not all 0)`);
  const { modelRng } = meta as Partial<TrainingState>;
  const words = (v: unknown) => Array.isArray(v) && v.every((x) => Number.isInteger(x) && x >= 0 && x < 2 ** 32);
  if (modelRng !== null && modelRng !== undefined && !words(modelRng)) fail(`has an invalid modelRng: ${JSON.stringify(modelRng)}`);
  if (!totals || typeof totals !== "object") fail("lacks the epoch's running totals");
  for (const [key, v] of Object.entries(totals as unknown as Record<string, unknown>)) {
    const count = key === "correct" || key === "seen" || key === "steps" || key === "skipped";
    if (typeof v !== "number" || (count && !(Number.isFinite(v) && v >= 0))) fail(`has an invalid totals.${key}: ${String(v)}`);
  }
  if (!history || !Array.isArray(history.epochs)) fail("lacks the history");
  if (!Array.isArray(callbacks)) fail("lacks the callbacks' state");
  const losses = file.tensors.get(STEP_LOSSES);
  if (!losses) fail(`needs the tensor '${STEP_LOSSES}'`);
  if (losses!.dtype !== "F64") fail(`needs '${STEP_LOSSES}' as F64, the file has ${losses!.dtype}`);
  const norms = file.tensors.get(GRADIENT_NORMS);
  const normNames = history!.gradientNorms;
  if (normNames !== undefined && !(Array.isArray(normNames) && normNames.every((n) => typeof n === "string"))) fail("has an invalid history.gradientNorms (a list of parameter names)");
  if (norms && normNames === undefined) throw new DataError(source, `tensor '${GRADIENT_NORMS}' is there, but the history names no parameters for it`);
  if (normNames !== undefined) {
    const shape = [normNames.length, losses!.shape[0] ?? 0];
    if (!norms) fail(`names gradient norms, but the tensor '${GRADIENT_NORMS}' is missing`);
    if (norms!.shape.length !== 2 || norms!.shape[0] !== shape[0] || norms!.shape[1] !== shape[1]) {
      throw new DataError(source, `tensor '${GRADIENT_NORMS}' has shape [${norms!.shape.join(", ")}], expected [${shape.join(", ")}] (parameters × steps)`);
    }
  }
  const callbackStates = (callbacks as (Record<string, unknown> | null)[]).map((c) => (c ? { ...c } : null));
  for (const [name, tensor] of file.tensors) {
    if (!name.startsWith(CALLBACK_PREFIX)) continue;
    const match = /^(\d+)\.(.+)$/.exec(name.slice(CALLBACK_PREFIX.length));
    const state = match ? callbackStates[Number(match[1])] : undefined;
    if (!match || !state) throw new DataError(source, `tensor '${name}' belongs to no saved callback`);
    state[match[2]!] = float32Of(tensor, source);
  }
  return {
    ...(meta as unknown as TrainingState), stepLosses: losses!.toFloat64(), gradientNorms: norms ? float32Of(norms, source) : null, callbacks: callbackStates,
  };
}

/** An optimizer state tensor: F32, or the BF16 and U8 of low-bit state (stateDtype 'bf16', 'int8'). */
function stateOf(tensor: StoredTensor, source: string): StateArray {
  if (tensor.dtype === "BF16" || tensor.dtype === "U8") return tensor.toBits();
  if (tensor.dtype !== "F32") throw new DataError(source, `tensor '${tensor.name}' is ${tensor.dtype}; optimizer state is stored as F32, BF16 or U8`);
  return tensor.toFloat32();
}

function float32Of(tensor: StoredTensor, source: string): Float32Array {
  if (tensor.dtype !== "F32") throw new DataError(source, `tensor '${tensor.name}' is ${tensor.dtype}; checkpoints store F32`);
  return tensor.toFloat32();
}

/** Names every tensor of a checkpoint that the model has no use for. */
function isModelTensor(name: string): boolean {
  return !name.startsWith(OPTIMIZER_PREFIX) && !name.startsWith(CALLBACK_PREFIX) && name !== STEP_LOSSES && name !== GRADIENT_NORMS;
}

/**
 * Applies a decoded checkpoint: weights and buffers into the model, state into the optimizer and the scheduler
 * (each when given and saved). Returns the training position (null when the checkpoint has none).
 */
export function applyCheckpoint(
  checkpoint: Checkpoint,
  model: NamedModel,
  optimizer?: Optimizer<object> | null,
  scheduler?: StatefulScheduler | null,
): TrainingState | null {
  const { source, file } = checkpoint;
  const modelNames = [...file.tensors.keys()].filter(isModelTensor);
  const writes = planModelLoad(model, new Map(modelNames.map((n) => [n, file.tensors.get(n)!])), source, { strict: true, exactDtype: true });
  if (optimizer && !checkpoint.optimizer) throw new Error(`${source}: the checkpoint holds no optimizer state`);
  if (scheduler && !checkpoint.scheduler) throw new Error(`${source}: the checkpoint holds no scheduler state`);
  if (scheduler && checkpoint.scheduler!.scheduler !== scheduler.stateDict().scheduler) {
    throw new Error(`${source}: the checkpoint holds the state of a ${String(checkpoint.scheduler!.scheduler)}, not of a ${scheduler.stateDict().scheduler}`);
  }
  if (optimizer && checkpoint.optimizer!.optimizer !== optimizer.kind) {
    throw new Error(`${source}: the checkpoint holds the state of ${checkpoint.optimizer!.optimizer}, not of ${optimizer.kind}`);
  }
  // A file may hold anything: the saved scheduler state must have the types, lengths and ranges of the live one's.
  if (scheduler) checkSchedulerState(checkpoint.scheduler!, scheduler.stateDict(), source);
  // The optimizer checks its dict before changing anything; run it first, the model last.
  if (optimizer) withSource(source, () => optimizer.loadStateDict(structuredClone(checkpoint.optimizer!)));
  if (scheduler) withSource(source, () => scheduler.loadStateDict(structuredClone(checkpoint.scheduler!)));
  for (const write of writes) write();
  return checkpoint.training;
}

/** Rates and momentum factors: finite and non-negative. */
const RATE = /(^lr$|Lrs?$|^lrs?$|[mM]omentums?$|^gamma$|^factor$|^etaMin$|^eps$)/;

/**
 * Checks a scheduler state read from a file against the live scheduler's own stateDict(): the same fields (no
 * unknown ones), each of the same type (arrays of the same length, nested states alike), rates finite and
 * non-negative, lastEpoch an integer >= -1, other numbers finite where the live ones are. Throws a DataError
 * naming the file and the field.
 */
export function checkSchedulerState(saved: unknown, live: unknown, source: string, path = "", key = ""): void {
  const where = `scheduler state field '${path}'`;
  const fail = (what: string): never => {
    throw new DataError(source, `${where} ${what}`);
  };
  const shown = (v: unknown) => (typeof v === "number" ? String(v) : JSON.stringify(v));
  if (live === null || live === undefined) return;
  if (typeof live === "number") {
    if (typeof saved !== "number") fail(`is ${shown(saved)}, expected a number`);
    const v = saved as number;
    if (key === "lastEpoch" && !(Number.isInteger(v) && v >= -1)) fail(`is ${v} (must be an integer >= -1)`);
    if (RATE.test(key) && !(Number.isFinite(v) && v >= 0)) fail(`is ${v} (must be a finite number >= 0)`);
    if (Number.isFinite(live) && key !== "best" && !Number.isFinite(v)) fail(`is ${v} (must be finite)`);
    return;
  }
  if (typeof live !== "object") {
    if (typeof saved !== typeof live) fail(`is ${shown(saved)}, expected a ${typeof live}`);
    return;
  }
  if (Array.isArray(live)) {
    if (!Array.isArray(saved)) fail(`is ${shown(saved)}, expected a list`);
    const list = saved as unknown[];
    // Per-group lists (rates, momentums) have one entry per group; others (milestones) may differ with the configuration.
    if (RATE.test(key) && list.length !== live.length) fail(`has ${list.length} entries, the scheduler ${live.length} (one per parameter group)`);
    list.forEach((v, i) => checkSchedulerState(v, live[i], source, `${path}[${i}]`, key));
    return;
  }
  if (typeof saved !== "object" || saved === null || Array.isArray(saved)) fail(`is ${shown(saved)}, expected an object`);
  for (const k of Object.keys(saved as object)) {
    if (!(k in live)) throw new DataError(source, `the scheduler state has an unknown field '${path ? `${path}.` : ""}${k}'`);
  }
  for (const [k, v] of Object.entries(live as Record<string, unknown>)) {
    if (k in (saved as object)) checkSchedulerState((saved as Record<string, unknown>)[k], v, source, path ? `${path}.${k}` : k, k);
  }
}

function withSource(source: string, run: () => void): void {
  try {
    run();
  } catch (e) {
    throw new DataError(source, `${(e as Error).message}`, { cause: e });
  }
}

export interface ModelLoadOptions {
  /** Fail on tensors the model does not have (default true); a num_batches_tracked the model lacks is ignored. */
  strict?: boolean;
  /** Require the dtypes modelTensors writes (checkpoints); otherwise F64, F16, BF16 and I64 are converted. */
  exactDtype?: boolean;
}

/**
 * Checks that `tensors` hold every parameter and buffer of the model with the right shapes and returns the
 * writes to do; nothing is changed before everything has been checked.
 */
export function planModelLoad(model: NamedModel, tensors: Map<string, StoredTensor>, source: string, options: ModelLoadOptions = {}): (() => void)[] {
  const { strict = true, exactDtype = false } = options;
  const writes: (() => void)[] = [];
  const wanted = new Set<string>();
  const take = (name: string, shape: readonly number[], dtype: string, into: () => Float32Array, what: string) => {
    wanted.add(name);
    const t = tensors.get(name);
    if (!t) throw new DataError(source, `the ${what} '${name}' (shape [${shape.join(", ")}]) is missing`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    const expected = shape.reduce((a, b) => a * b, 1);
    // A buffer of one element may be stored with shape [] (a scalar) or [1].
    const sameShape = t.shape.length === shape.length && t.shape.every((d, i) => d === shape[i]);
    if (!sameShape && !(expected === 1 && count === 1)) {
      throw new DataError(source, `${what} '${name}' has shape [${t.shape.join(", ")}] in the file, [${shape.join(", ")}] in the model`);
    }
    if (exactDtype && t.dtype !== dtype) throw new DataError(source, `${what} '${name}' is ${t.dtype}; checkpoints store ${dtype}`);
    const values = t.toFloat32();
    writes.push(() => into().set(values));
  };
  for (const [name, p] of model.namedParameters()) take(name, p.shape, "F32", () => p.data, "parameter");
  for (const [name, b] of Object.entries(model.stateBuffers())) {
    take(name, [b.length], isCounter(name, b) ? "I64" : "F32", () => b.array, "buffer");
  }
  if (strict) {
    const unexpected = [...tensors.keys()].filter((n) => !wanted.has(n) && !n.endsWith(".num_batches_tracked"));
    if (unexpected.length > 0) {
      throw new DataError(source, `tensors the model does not have: ${unexpected.slice(0, 10).map((n) => `'${n}'`).join(", ")}${unexpected.length > 10 ? ", ..." : ""}`);
    }
  }
  return writes;
}

/** The model's weights and buffers as safetensors bytes, PyTorch's state_dict layout ({ format: 'pt' } metadata). */
export function modelToSafetensors(model: NamedModel): Uint8Array {
  return encodeSafetensors(modelTensors(model), { format: "pt" });
}

/**
 * Loads weights and buffers from safetensors bytes (e.g. safetensors.torch.save_file(model.state_dict())).
 * F64, F16, BF16 and I64 tensors are converted to float32. With `strict` (default), tensors the model does not
 * have are an error; missing ones always are. Nothing changes when the bytes do not match the model.
 */
export function loadSafetensors(model: NamedModel, bytes: Uint8Array, source = "safetensors data", options: { strict?: boolean } = {}): void {
  const file = decodeSafetensors(bytes, source);
  for (const write of planModelLoad(model, file.tensors, source, { strict: options.strict ?? true })) write();
}
