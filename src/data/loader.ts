// Batches of a Dataset, gathered inside the engine's memory. On construction the dataset is copied into wasm
// memory (once per engine, shared by every loader over it; features already in this engine's memory are used in
// place, only the labels or targets are copied) and an index buffer is planned; each epoch the
// indices 0..n−1 are shuffled with a seeded RNG, and batch b gathers the rows
//
//   order[b·B], …, order[b·B + n_b − 1]        (n_b = B, or fewer in the last batch unless dropLast)
//
// into slices the caller owns: x = stored · scale + offset as float32, labels as int32 or targets as float32.
// Nothing is allocated per batch.
//
//   for (const n of loader.epoch(model.input, labels)) { ...train on the first n samples... }
import type { Engine } from "../engine/engine.js";
import { Rng } from "../engine/rng.js";
import { F32Slice, I32Slice } from "../engine/views.js";
import type { Dataset } from "./dataset.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface DataLoaderOptions {
  /** Samples per batch: 1 is stochastic gradient descent, 'full' the whole dataset in one batch. */
  batchSize: number | "full";
  /** Reshuffle the order every epoch (default true). */
  shuffle?: boolean;
  /** Seed of the shuffle (default 0): the same seed gives the same order on every run and runtime. */
  seed?: number;
  /** Skip the last batch when it is smaller than batchSize (default false). */
  dropLast?: boolean;
}

/** Where a loader stands: enough to resume in a new process with the same order, even mid-epoch. */
export interface DataLoaderState {
  /** The shuffle RNG's state before the current epoch's shuffle. */
  rng: number[];
  /** Batches of the current epoch already delivered (0 between epochs). */
  batch: number;
}

/** Where a dataset's features and labels/targets are in one engine's memory. */
interface Resident {
  x: number;
  y: number;
}

const residents = new WeakMap<Dataset, WeakMap<Engine, Resident>>();

/** The dataset in `engine`'s memory: its features in place when they live there, else a copy (made once). */
function residentIn(engine: Engine, data: Dataset): Resident {
  if (data.engine && data.engine !== engine) {
    throw new Error(
      `DataLoader: dataset '${data.name}' lives in the memory of another engine (${describe(data.engine)}) than this loader's (${describe(engine)}); ` +
        `load it with this engine, or as typed arrays (without { engine })`,
    );
  }
  let perEngine = residents.get(data);
  if (!perEngine) residents.set(data, (perEngine = new WeakMap()));
  let copy = perEngine.get(engine);
  if (!copy) {
    const x = data.slice ?? (data.x instanceof Uint8Array ? engine.allocU8(data.x.length) : engine.allocF32(data.x.length));
    if (!data.slice) x.array.set(data.x);
    const y = data.labels ? engine.allocI32(data.labels.length) : engine.allocF32(data.targets!.length);
    y.array.set(data.labels ?? data.targets!);
    perEngine.set(engine, (copy = { x: x.ptr, y: y.ptr }));
  }
  return copy;
}

const describe = (engine: Engine) => `${engine.backend} backend, ${engine.memory.buffer.byteLength / 2 ** 20} MiB of memory`;

export class DataLoader {
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  /** Batches per epoch. */
  readonly numBatches: number;
  private readonly resident: Resident;
  private readonly order: I32Slice;
  private readonly rng: Rng;
  private epochStart: number[];
  private nextBatch = 0;

  constructor(
    readonly engine: Engine,
    readonly dataset: Dataset,
    options: DataLoaderOptions,
  ) {
    checkOptions("DataLoader", options, DATA_LOADER_OPTIONS);
    const n = dataset.length;
    const { batchSize, shuffle = true, seed = 0, dropLast = false } = options;
    if (n === 0) throw new RangeError(`DataLoader: dataset '${dataset.name}' is empty`);
    if (batchSize !== "full" && !(Number.isInteger(batchSize) && batchSize >= 1)) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer or 'full', got ${String(batchSize)}`);
    }
    if (!Number.isInteger(seed)) throw new RangeError(`DataLoader: seed must be an integer, got ${seed}`);
    this.batchSize = batchSize === "full" ? n : batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.numBatches = dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
    if (this.numBatches === 0) {
      throw new RangeError(`DataLoader: batchSize ${this.batchSize} with dropLast leaves no batch of the ${n} samples of '${dataset.name}'`);
    }
    this.rng = new Rng(seed);
    this.epochStart = this.rng.getState();
    this.resident = residentIn(engine, dataset);
    this.order = engine.allocI32(n);
  }

  /** Number of samples. */
  get length(): number {
    return this.dataset.length;
  }

  /**
   * Gathers the batches of one epoch into `x` (batchSize · featureSize floats) and `y` (batchSize · labelSize labels as an
   * I32Slice, or batchSize · targetSize targets as an F32Slice; null to skip), yielding each batch's size. After
   * a loop left early, or after loadStateDict() mid-epoch, it yields the rest of that epoch.
   */
  epoch(x: F32Slice, y: I32Slice | F32Slice | null = null): Generator<number, void, undefined> {
    this.checkDestinations(x, y);
    return this.batches(x, y);
  }

  private *batches(x: F32Slice, y: I32Slice | F32Slice | null): Generator<number, void, undefined> {
    const { kernels } = this.engine;
    const data = this.dataset;
    const order = this.order.array;
    if (this.nextBatch === 0) this.epochStart = this.rng.getState();
    else this.rng.setState(this.epochStart); // replay the shuffle of the epoch being resumed
    for (let i = 0; i < order.length; i++) order[i] = i;
    if (this.shuffle) this.rng.shuffle(order);
    const gatherX = data.x instanceof Uint8Array ? kernels.f32_gather_rows_u8 : kernels.f32_gather_rows_f32;
    for (let b = this.nextBatch; b < this.numBatches; b++) {
      const start = b * this.batchSize;
      const n = Math.min(this.batchSize, data.length - start);
      const idx = this.order.ptr + 4 * start;
      gatherX(x.ptr, this.resident.x, idx, n, data.featureSize, data.scale, data.offset);
      if (y && data.labels && data.labelSize > 1) kernels.i32_gather_rows(y.ptr, this.resident.y, idx, n, data.labelSize);
      else if (y && data.labels) kernels.i32_gather(y.ptr, this.resident.y, idx, n);
      else if (y) kernels.f32_gather_rows_f32(y.ptr, this.resident.y, idx, n, data.targetSize, 1, 0);
      this.nextBatch = b + 1 === this.numBatches ? 0 : b + 1;
      yield n;
    }
  }

  private checkDestinations(x: F32Slice, y: I32Slice | F32Slice | null): void {
    const data = this.dataset, b = this.batchSize;
    const sample = `[${data.shape.join(", ")}]`;
    if (!(x instanceof F32Slice) || x.length < b * data.featureSize) {
      const have = x instanceof F32Slice ? `${x.length} floats` : "no F32Slice";
      throw new RangeError(`DataLoader: the input slice holds ${have}; a batch of ${b} samples of shape ${sample} needs ${b * data.featureSize}`);
    }
    if (y === null) return;
    if (data.labels && !(y instanceof I32Slice && y.length >= b * data.labelSize)) {
      const per = data.labelSize > 1 ? ` × ${data.labelSize} (labels per sample)` : "";
      throw new RangeError(`DataLoader: '${data.name}' has class labels: the label slice must be an I32Slice of at least ${b * data.labelSize} (batchSize${per}) elements`);
    }
    if (data.targets && !(y instanceof F32Slice && y.length >= b * data.targetSize)) {
      throw new RangeError(
        `DataLoader: '${data.name}' has ${data.targetSize} float target(s) per sample: the target slice must be an F32Slice of at least ${b * data.targetSize} elements`,
      );
    }
  }

  /** The shuffle state and position, for checkpoints. */
  stateDict(): DataLoaderState {
    return { rng: this.nextBatch === 0 ? this.rng.getState() : [...this.epochStart], batch: this.nextBatch };
  }

  /** Restores a state from stateDict(): the next epoch() continues with the same order as the saved loader. */
  loadStateDict(state: DataLoaderState): void {
    if (!Number.isInteger(state.batch) || state.batch < 0 || state.batch >= this.numBatches) {
      throw new RangeError(`DataLoader: saved batch position ${state.batch} is outside [0, ${this.numBatches})`);
    }
    this.rng.setState(state.rng);
    this.epochStart = [...state.rng];
    this.nextBatch = state.batch;
  }
}

/** The keys DataLoader accepts (tsc checks the list against DataLoaderOptions). */
const DATA_LOADER_OPTIONS = keysOf<DataLoaderOptions>({ batchSize: 1, shuffle: 1, seed: 1, dropLast: 1 });
