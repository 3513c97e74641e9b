// Memory fit() and evaluate() plan once and reuse: data loaders and label buffers, cached per dataset and engine,
// so that calling fit or evaluate again does not grow the arena (a bump allocator that never frees).
import type { Engine } from "../engine/engine.js";
import { Rng } from "../engine/rng.js";
import type { F32Slice, I32Slice } from "../engine/views.js";
import type { Dataset } from "../data/dataset.js";
import { DataLoader } from "../data/loader.js";
import type { LossTarget } from "./types.js";

const loaders = new WeakMap<Dataset, WeakMap<Engine, Map<string, DataLoader>>>();
const labelBuffers = new WeakMap<Engine, Map<string, I32Slice | F32Slice>>();

/**
 * A loader over `data` with these options, at the start of an epoch with the shuffle RNG seeded by `seed`: the
 * same as a new DataLoader, but created only once per (dataset, engine, options).
 */
export function plannedLoader(engine: Engine, data: Dataset, batchSize: number, shuffle: boolean, dropLast: boolean, seed: number): DataLoader {
  let perEngine = loaders.get(data);
  if (!perEngine) loaders.set(data, (perEngine = new WeakMap()));
  let byOptions = perEngine.get(engine);
  if (!byOptions) perEngine.set(engine, (byOptions = new Map()));
  const key = `${batchSize}/${shuffle}/${dropLast}`;
  let loader = byOptions.get(key);
  if (!loader) byOptions.set(key, (loader = new DataLoader(engine, data, { batchSize, shuffle, dropLast, seed })));
  else loader.loadStateDict({ rng: new Rng(seed).getState(), batch: 0 });
  return loader;
}

/** A label (I32) or target (F32) buffer for `rows` samples of `data`, shared by every fit/evaluate on the engine. */
export function plannedTarget(engine: Engine, data: Dataset, rows: number): { slice: I32Slice | F32Slice; target: LossTarget } {
  let perEngine = labelBuffers.get(engine);
  if (!perEngine) labelBuffers.set(engine, (perEngine = new Map()));
  const labels = data.labels !== null;
  const length = rows * (labels ? data.labelSize : data.targetSize);
  const key = `${labels ? "i32" : "f32"}:${length}`;
  let slice = perEngine.get(key);
  if (!slice) perEngine.set(key, (slice = labels ? engine.allocI32(length) : engine.allocF32(length)));
  return { slice, target: labels ? { labels: slice as I32Slice } : { values: slice as F32Slice } };
}
