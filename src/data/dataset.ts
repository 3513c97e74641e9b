// A dataset: n samples of one per-sample shape, plus either integer class labels or float targets. The features
// live in a JavaScript typed array, which a DataLoader copies into its engine's memory once, or in an engine's
// memory already (a U8Slice or F32Slice, e.g. loadFashionMnist({ engine })), where that engine's loaders use them
// in place: the data then exist once. The values a model sees are
//
//   x = stored · scale + offset        (e.g. bytes 0..255 with scale 1/255)
//
// so raw images stay bytes. Treat a Dataset as immutable: split(), subset() and friends return new ones.
//
// Sequences: a sample may carry `labelSize` labels (one per step: next-character targets of a text window), and
// its features may be token ids (`vocabularySize`: integers in [0, vocabularySize), the input of an Embedding).
import { DataError } from "./errors.js";
import type { Engine } from "../engine/engine.js";
import { Rng } from "../engine/rng.js";
import { F32Slice, U8Slice } from "../engine/views.js";
import { size, type Shape } from "../nn/layer.js";
import { checkOptions, keysOf } from "../engine/options.js";

/** Stored feature values: raw bytes (images) or float32. */
export type FeatureArray = Uint8Array | Float32Array;

/** Features in an engine's memory. */
export type FeatureSlice = U8Slice | F32Slice;

export interface DatasetInit {
  /** The features of all samples, sample after sample (row-major, `length · size(shape)` values). */
  x: FeatureArray | FeatureSlice;
  /** The engine whose memory holds x, when x is a slice (and only then). */
  engine?: Engine;
  /** The shape of one sample: [features] or [channels, height, width]. */
  shape: Shape;
  /** Class labels, integers in [0, numClasses). Give labels or targets, not both. */
  labels?: Int32Array | readonly number[];
  /** Number of classes (default: largest label + 1). */
  numClasses?: number;
  /** Labels per sample (default 1): e.g. one per step of a sequence, `labels` then holding length · labelSize. */
  labelSize?: number;
  /** The features are token ids, integers in [0, vocabularySize) (default 0: they are not). */
  vocabularySize?: number;
  /** Float targets for regression, `targetSize` per sample. */
  targets?: Float32Array | readonly number[];
  /** Targets per sample (default: targets.length / number of samples). */
  targetSize?: number;
  /** The model sees stored · scale + offset (default 1 and 0). */
  scale?: number;
  offset?: number;
  /** Where the data came from, for error messages ('train-images-idx3-ubyte.gz', 'digits'). */
  name?: string;
}

/** The most classes a dataset may have (given or found in its labels); the largest label is one less. */
export const MAX_CLASSES = 100_000;
export const MAX_LABEL = MAX_CLASSES - 1;

/**
 * The number of classes `labels` imply: largest label + 1, where every label is an integer in [0, MAX_LABEL] and
 * the labels present are not sparse (at most half of 0..largest missing, beyond a few). Throws a DataError
 * naming the sample otherwise.
 */
export function inferNumClasses(labels: ArrayLike<number>, name: string): number {
  let max = -1;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (!Number.isInteger(l)) throw new DataError(name, `label ${l} of sample ${i} is not an integer`);
    if (l > MAX_LABEL) {
      throw new DataError(name, `label ${l} of sample ${i} would make ${l + 1} classes, more than the ${MAX_CLASSES} a dataset may have: class labels are 0, 1, 2 ...`);
    }
    if (l > max) max = l;
  }
  if (max < 0) return labels.length > 0 ? 1 : 0; // negative labels only: checkLabels names the first
  const k = max + 1;
  const seen = new Uint8Array(k);
  let present = 0;
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i]!;
    if (l >= 0 && !seen[l]) (seen[l] = 1), present++;
  }
  if (k > 2 * present && k - present > 8) {
    throw new DataError(
      name,
      `the labels take ${present} distinct values but go up to ${max}, which would make ${k} classes, ${k - present} of them empty: ` +
        `relabel the classes 0..${present - 1}, or give numClasses`,
    );
  }
  return k;
}

export class Dataset {
  /** The engine whose memory holds the features, or null when they are a JS typed array. */
  readonly engine: Engine | null;
  /** The features' slice of that engine's memory (null for a typed array). */
  readonly slice: FeatureSlice | null;
  private readonly array: FeatureArray | null;
  readonly shape: Shape;
  /** Values per sample: the product of `shape`. */
  readonly featureSize: number;
  readonly labels: Int32Array | null;
  /** Number of classes (0 for a regression set). */
  readonly numClasses: number;
  /** Labels per sample (1, or the steps of a sequence; 0 for a regression set). */
  readonly labelSize: number;
  /** Features are token ids in [0, vocabularySize) (0: ordinary features). */
  readonly vocabularySize: number;
  readonly targets: Float32Array | null;
  /** Targets per sample (0 for a labelled set). */
  readonly targetSize: number;
  readonly scale: number;
  readonly offset: number;
  readonly name: string;
  readonly length: number;

  constructor(init: DatasetInit) {
    checkOptions("Dataset", init, DATASET_INIT);
    const name = (this.name = init.name ?? "dataset");
    this.shape = [...init.shape];
    if (this.shape.length === 0 || !this.shape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new DataError(name, `invalid sample shape [${this.shape.join(", ")}]`);
    }
    this.featureSize = size(this.shape);
    const slice = init.x instanceof U8Slice || init.x instanceof F32Slice ? init.x : null;
    if (!slice && !(init.x instanceof Uint8Array) && !(init.x instanceof Float32Array)) {
      throw new TypeError(`${name}: features must be a Uint8Array or a Float32Array, or a U8Slice or F32Slice with its engine`);
    }
    if ((slice !== null) !== (init.engine !== undefined)) {
      throw new TypeError(`${name}: give an engine with features in its memory (a U8Slice or F32Slice), and only then`);
    }
    if (slice && slice.array.buffer !== init.engine!.memory.buffer) {
      throw new DataError(name, `the feature slice is not in the given engine's memory`);
    }
    this.engine = init.engine ?? null;
    this.slice = slice;
    this.array = slice ? null : (init.x as FeatureArray);
    if (init.x.length % this.featureSize !== 0) {
      throw new RangeError(
        `${name}: ${init.x.length} feature values are not a whole number of samples of shape [${this.shape.join(", ")}]`,
      );
    }
    this.length = init.x.length / this.featureSize;
    this.scale = init.scale ?? 1;
    this.offset = init.offset ?? 0;
    if (!Number.isFinite(this.scale) || !Number.isFinite(this.offset)) {
      throw new DataError(name, `scale (${this.scale}) and offset (${this.offset}) must be finite`);
    }
    if ((init.labels === undefined) === (init.targets === undefined)) {
      throw new DataError(name, `give either labels (classification) or targets (regression)`);
    }
    if (init.labels !== undefined) {
      if (!(init.labels instanceof Int32Array)) {
        // Int32Array.from would truncate 1.7 to 1 and NaN to 0, and wrap 2^32 to 0.
        const bad = Array.prototype.findIndex.call(init.labels, (l: unknown) => !(typeof l === "number" && Number.isInteger(l) && Math.abs(l) < 2 ** 31));
        if (bad >= 0) throw new DataError(name, `label ${String(init.labels[bad])} of sample ${bad} is not an integer class label`);
      }
      this.labels = init.labels instanceof Int32Array ? init.labels : Int32Array.from(init.labels);
      this.labelSize = init.labelSize ?? 1;
      this.targets = null;
      this.targetSize = 0;
      this.numClasses = init.numClasses ?? inferNumClasses(this.labels, name);
      this.checkLabels();
    } else {
      if (init.labelSize !== undefined) throw new DataError(name, `labelSize applies to class labels, and this dataset has targets`);
      this.labels = null;
      this.labelSize = 0;
      this.numClasses = 0;
      this.targets = init.targets instanceof Float32Array ? init.targets : Float32Array.from(init.targets!);
      this.targetSize = init.targetSize ?? (this.length > 0 ? this.targets.length / this.length : 1);
      if (!Number.isInteger(this.targetSize) || this.targetSize < 1 || this.targets.length !== this.length * this.targetSize) {
        throw new DataError(name, `${this.targets.length} targets do not fit ${this.length} samples (targetSize ${init.targetSize ?? "?"})`);
      }
    }
    this.vocabularySize = init.vocabularySize ?? 0;
    this.checkTokens();
  }

  /** Token ids must be integers in [0, vocabularySize). */
  private checkTokens(): void {
    const v = this.vocabularySize;
    if (v === 0) return;
    if (!Number.isInteger(v) || v < 1) throw new DataError(this.name, `vocabularySize must be a positive integer, got ${v}`);
    const x = this.x;
    for (let i = 0; i < x.length; i++) {
      const id = x[i]!;
      if (!(Number.isInteger(id) && id >= 0 && id < v)) {
        throw new DataError(this.name, `token id ${id} at sample ${Math.floor(i / this.featureSize)}, position ${i % this.featureSize} is not an integer in [0, ${v})`);
      }
    }
  }

  /**
   * The stored features, sample after sample. In an engine's memory, a view of it, re-made after the memory grew:
   * read `x` again after creating anything in the engine rather than keeping the array.
   */
  get x(): FeatureArray {
    return this.array ?? this.slice!.array;
  }

  private checkLabels(): void {
    const labels = this.labels!;
    if (!Number.isInteger(this.numClasses) || this.numClasses < 1 || this.numClasses > MAX_CLASSES) {
      throw new DataError(this.name, `numClasses must be an integer in [1, ${MAX_CLASSES}], got ${this.numClasses}${this.length === 0 ? " (no samples)" : ""}`);
    }
    if (!Number.isInteger(this.labelSize) || this.labelSize < 1) throw new DataError(this.name, `labelSize must be a positive integer, got ${this.labelSize}`);
    if (labels.length !== this.length * this.labelSize) {
      throw new DataError(this.name, `${labels.length} labels for ${this.length} samples${this.labelSize > 1 ? ` of ${this.labelSize} labels each` : ""}`);
    }
    const bad = labels.findIndex((l) => l < 0 || l >= this.numClasses);
    if (bad >= 0) throw new DataError(this.name, `label ${labels[bad]} of sample ${Math.floor(bad / this.labelSize)} is outside [0, ${this.numClasses})`);
  }

  /** Samples per class (labelled sets). */
  classCounts(): number[] {
    if (!this.labels) throw new DataError(this.name, `classCounts() needs a labelled dataset`);
    const counts = new Array<number>(this.numClasses).fill(0);
    for (const l of this.labels) counts[l]!++;
    return counts;
  }

  /**
   * The samples at `indices`, in that order (an index may repeat: bootstrap samples). A dataset in an engine's
   * memory gives one in the same engine: its features are copied there (the arena never frees them).
   */
  subset(indices: ArrayLike<number>, name = this.name): Dataset {
    const n = indices.length, k = this.featureSize;
    for (let j = 0; j < n; j++) {
      const i = indices[j]!;
      if (!Number.isInteger(i) || i < 0 || i >= this.length) {
        throw new DataError(this.name, `subset index ${i} (position ${j}) is outside [0, ${this.length})`);
      }
    }
    const bytes = this.x instanceof Uint8Array;
    const what = `the features of a subset of ${n} samples of ${this.name}`;
    const slice = this.engine ? (bytes ? this.engine.allocU8(n * k, what) : this.engine.allocF32(n * k, what)) : null;
    const x = slice ? slice.array : bytes ? new Uint8Array(n * k) : new Float32Array(n * k);
    const from = this.x; // after the allocation, which may have grown the memory
    const ls = this.labelSize;
    const labels = this.labels ? new Int32Array(n * ls) : undefined;
    const targets = this.targets ? new Float32Array(n * this.targetSize) : undefined;
    for (let j = 0; j < n; j++) {
      const i = indices[j]!; // checked above, before anything was reserved
      x.set(from.subarray(i * k, (i + 1) * k), j * k);
      if (labels) labels.set(this.labels!.subarray(i * ls, (i + 1) * ls), j * ls);
      if (targets) targets.set(this.targets!.subarray(i * this.targetSize, (i + 1) * this.targetSize), j * this.targetSize);
    }
    return this.derive({ ...(slice ? { x: slice, engine: this.engine! } : { x }), labels, targets, name });
  }

  /**
   * Splits into two datasets holding `fraction` and 1 − fraction of the samples, chosen with a seeded shuffle.
   * Labelled sets (one label per sample) are split per class (stratified), so both parts keep the class proportions. Each part keeps
   * the original order of its samples.
   */
  split(fraction: number, seed = 0): [Dataset, Dataset] {
    if (!(fraction > 0 && fraction < 1)) throw new DataError(this.name, `split fraction must be in (0, 1), got ${fraction}`);
    const rng = new Rng(seed);
    const groups = this.labels && this.labelSize === 1 ? this.indicesByClass() : [Array.from({ length: this.length }, (_, i) => i)];
    const takes = apportion(groups.map((g) => g.length), fraction);
    const first: number[] = [], second: number[] = [];
    groups.forEach((group, c) => {
      rng.shuffle(group);
      // One by one: push(...part) passes every element as an argument and overflows the stack past ~10^5.
      for (let i = 0; i < group.length; i++) (i < takes[c]! ? first : second).push(group[i]!);
    });
    const ascending = (a: number, b: number) => a - b;
    return [this.subset(first.sort(ascending)), this.subset(second.sort(ascending))];
  }

  /** The same samples seen with another shape of the same size ([64] ↔ [1, 8, 8]); shares the arrays. */
  reshape(shape: Shape): Dataset {
    if (size(shape) !== this.featureSize) {
      throw new DataError(this.name, `cannot reshape samples of shape [${this.shape.join(", ")}] to [${shape.join(", ")}]`);
    }
    return this.derive({ shape });
  }

  /** The value the model sees for stored value i: x[i] · scale + offset, in float32 as the gather kernel does. */
  value(i: number): number {
    return Math.fround(Math.fround(this.x[i]! * Math.fround(this.scale)) + Math.fround(this.offset));
  }

  private indicesByClass(): number[][] {
    const groups: number[][] = Array.from({ length: this.numClasses }, () => []);
    this.labels!.forEach((l, i) => groups[l]!.push(i));
    return groups;
  }

  /** A dataset like this one with some fields replaced (new features x come with their engine, if any). */
  derive(changes: Partial<DatasetInit>): Dataset {
    const features = changes.x ? { x: changes.x, engine: changes.engine } : { x: this.slice ?? this.array!, engine: this.engine ?? undefined };
    return new Dataset({
      shape: this.shape,
      ...(this.labels ? { labels: this.labels, numClasses: this.numClasses, labelSize: this.labelSize } : { targets: this.targets!, targetSize: this.targetSize }),
      ...(this.vocabularySize ? { vocabularySize: this.vocabularySize } : {}),
      scale: this.scale,
      offset: this.offset,
      name: this.name,
      ...changes,
      ...features,
    });
  }
}

/**
 * How many of each group's members go to the first part: round(fraction · total) in all, split across groups by
 * largest remainder (ties to the lower group), so that every group gets ⌊fraction · size⌋ or one more.
 */
function apportion(sizes: readonly number[], fraction: number): number[] {
  const total = sizes.reduce((a, b) => a + b, 0);
  const takes = sizes.map((s) => Math.floor(s * fraction));
  let left = Math.round(total * fraction) - takes.reduce((a, b) => a + b, 0);
  const byRemainder = sizes.map((_, i) => i).sort((a, b) => sizes[b]! * fraction - takes[b]! - (sizes[a]! * fraction - takes[a]!) || a - b);
  for (const i of byRemainder) {
    if (left <= 0) break;
    if (takes[i]! < sizes[i]!) takes[i]!++, left--;
  }
  return takes;
}

/** The keys Dataset accepts (tsc checks the list against DatasetInit). */
const DATASET_INIT = keysOf<DatasetInit>({ x: 1, engine: 1, shape: 1, labels: 1, numClasses: 1, labelSize: 1, vocabularySize: 1, targets: 1, targetSize: 1, scale: 1, offset: 1, name: 1 });
