// DataLoader: seeded, reproducible order; every sample exactly once per epoch; dropLast, 'full', batch 1; the
// gathered rows are the dataset's rows (scaled); resuming from stateDict gives the same order, mid-epoch too.
import { describe, expect, it } from "vitest";
import { createEngine, DataLoader, Dataset, type Backend, type Engine, type F32Slice, type I32Slice } from "../src/index.js";

/** A dataset whose sample i has features [i, i+1, i+2] (bytes, scale 1/2) and label i mod 3. */
function counting(n: number): Dataset {
  const x = new Uint8Array(3 * n).map((_, j) => Math.floor(j / 3) + (j % 3));
  return new Dataset({ x, shape: [3], labels: Array.from({ length: n }, (_, i) => i % 3), scale: 0.5, name: "counting" });
}

/** Runs one epoch and returns, per batch, the sample ids recovered from the gathered features and labels. */
function epochIds(loader: DataLoader, x: F32Slice, y: I32Slice): number[][] {
  const batches: number[][] = [];
  for (const n of loader.epoch(x, y)) {
    const ids: number[] = [];
    for (let r = 0; r < n; r++) {
      const id = x.array[3 * r]! * 2;
      expect([x.array[3 * r + 1], x.array[3 * r + 2]]).toEqual([(id + 1) / 2, (id + 2) / 2]);
      expect(y.array[r]).toBe(id % 3);
      ids.push(id);
    }
    batches.push(ids);
  }
  return batches;
}

function setup(engine: Engine, data: Dataset, batch: number) {
  return { x: engine.allocF32(batch * data.featureSize), y: engine.allocI32(batch) };
}

describe("DataLoader", () => {
  for (const backend of ["js", "simd"] as Backend[]) {
    it(`${backend}: every sample exactly once per epoch, batches of batchSize and a smaller last one`, async () => {
      const engine = await createEngine({ backend });
      const data = counting(103);
      const loader = new DataLoader(engine, data, { batchSize: 10, seed: 5 });
      const { x, y } = setup(engine, data, 10);
      expect(loader.numBatches).toBe(11);
      for (let e = 0; e < 3; e++) {
        const batches = epochIds(loader, x, y);
        expect(batches.map((b) => b.length)).toEqual([10, 10, 10, 10, 10, 10, 10, 10, 10, 10, 3]);
        expect(batches.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 103 }, (_, i) => i));
      }
    });
  }

  it("same seed same order, different seed or epoch a different order; shuffle false keeps the order", async () => {
    const engine = await createEngine({ backend: "js" });
    const data = counting(50);
    const { x, y } = setup(engine, data, 8);
    const order = (seed: number, shuffle = true) => {
      const loader = new DataLoader(engine, data, { batchSize: 8, seed, shuffle });
      return [epochIds(loader, x, y).flat(), epochIds(loader, x, y).flat()];
    };
    const [a1, a2] = order(1), [b1, b2] = order(1), [c1] = order(2);
    expect(a1).toEqual(b1);
    expect(a2).toEqual(b2);
    expect(a1).not.toEqual(c1);
    expect(a1).not.toEqual(a2);
    const [s1, s2] = order(1, false);
    expect(s1).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(s2).toEqual(s1);
  });

  it("dropLast drops the short batch; 'full' is one batch of everything; batchSize 1 yields single samples", async () => {
    const engine = await createEngine({ backend: "scalar" });
    const data = counting(23);
    const { x, y } = setup(engine, data, 23);
    const dropped = new DataLoader(engine, data, { batchSize: 5, dropLast: true });
    expect(dropped.numBatches).toBe(4);
    const kept = epochIds(dropped, x, y);
    expect(kept.map((b) => b.length)).toEqual([5, 5, 5, 5]);
    expect(new Set(kept.flat()).size).toBe(20);
    const full = new DataLoader(engine, data, { batchSize: "full", shuffle: false });
    expect(full.batchSize).toBe(23);
    expect(epochIds(full, x, y)).toEqual([Array.from({ length: 23 }, (_, i) => i)]);
    const sgd = new DataLoader(engine, data, { batchSize: 1, seed: 3 });
    const singles = epochIds(sgd, x, y);
    expect(singles.every((b) => b.length === 1)).toBe(true);
    expect(singles.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it("resumes from stateDict with the same order: between epochs and mid-epoch, in a fresh engine", async () => {
    const data = counting(40);
    const engineA = await createEngine({ backend: "simd" });
    const a = setup(engineA, data, 6);
    const whole = new DataLoader(engineA, data, { batchSize: 6, seed: 9 });
    const reference = [epochIds(whole, a.x, a.y), epochIds(whole, a.x, a.y), epochIds(whole, a.x, a.y)].flat();

    const first = new DataLoader(engineA, data, { batchSize: 6, seed: 9 });
    const seen: number[][] = [...epochIds(first, a.x, a.y)];
    let k = 0;
    for (const n of first.epoch(a.x, a.y)) {
      seen.push(Array.from(a.x.array.subarray(0, 3 * n).filter((_, j) => j % 3 === 0), (v) => v * 2));
      if (++k === 3) break; // stop mid-epoch 2, as a checkpoint would
    }
    const saved = structuredClone(first.stateDict());
    expect(saved.batch).toBe(3);

    const engineB = await createEngine({ backend: "js" });
    const b = setup(engineB, data, 6);
    const resumed = new DataLoader(engineB, data, { batchSize: 6, seed: 1234 });
    resumed.loadStateDict(saved);
    seen.push(...epochIds(resumed, b.x, b.y), ...epochIds(resumed, b.x, b.y));
    expect(seen).toEqual(reference);

    // The same loader continues where its loop stopped.
    const again = new DataLoader(engineA, data, { batchSize: 6, seed: 9 });
    epochIds(again, a.x, a.y);
    for (const _ of again.epoch(a.x, a.y)) break;
    expect([...epochIds(again, a.x, a.y), ...epochIds(again, a.x, a.y)]).toEqual(reference.slice(8));
  });

  it("gathers float features and float targets (regression)", async () => {
    const engine = await createEngine({ backend: "simd" });
    const x = Float32Array.from({ length: 35 }, (_, i) => i * 0.25);
    const targets = Float32Array.from({ length: 14 }, (_, i) => -i - 1);
    const data = new Dataset({ x, shape: [5], targets, name: "reg" });
    expect(data.targetSize).toBe(2);
    const loader = new DataLoader(engine, data, { batchSize: 4, seed: 2 });
    const xs = engine.allocF32(20), ys = engine.allocF32(8);
    const seen: number[] = [];
    for (const n of loader.epoch(xs, ys)) {
      for (let r = 0; r < n; r++) {
        const i = xs.array[5 * r]! / 1.25;
        expect(Array.from(xs.array.subarray(5 * r, 5 * r + 5))).toEqual(Array.from(x.subarray(5 * i, 5 * i + 5)));
        expect(Array.from(ys.array.subarray(2 * r, 2 * r + 2))).toEqual([-2 * i - 1, -2 * i - 2]);
        seen.push(i);
      }
    }
    expect(seen.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6]);
  });

  it("copies a dataset into an engine once, whatever the number of loaders", async () => {
    const engine = await createEngine({ backend: "js" });
    const data = counting(1000);
    new DataLoader(engine, data, { batchSize: 10 });
    const used = engine.arena.used;
    new DataLoader(engine, data, { batchSize: 100, shuffle: false });
    expect(engine.arena.used - used).toBeLessThan(4 * 1000 + 64); // only the second loader's index buffer
  });

  it("rejects bad options and destinations with messages naming them", async () => {
    const engine = await createEngine({ backend: "js" });
    const data = counting(10);
    expect(() => new DataLoader(engine, data, { batchSize: 0 })).toThrow(/batchSize must be a positive integer or 'full', got 0/);
    expect(() => new DataLoader(engine, data, { batchSize: 2.5 })).toThrow(/got 2.5/);
    expect(() => new DataLoader(engine, data, { batchSize: 11, dropLast: true })).toThrow(/batchSize 11 with dropLast leaves no batch of the 10 samples/);
    const loader = new DataLoader(engine, data, { batchSize: 4 });
    expect(() => loader.epoch(engine.allocF32(11), engine.allocI32(4))).toThrow(/input slice holds 11 floats; a batch of 4 samples of shape \[3\] needs 12/);
    expect(() => loader.epoch(engine.allocF32(12), engine.allocF32(4))).toThrow(/'counting' has class labels: the label slice must be an I32Slice/);
    expect(() => loader.loadStateDict({ rng: [1, 2, 3, 4], batch: 3 })).toThrow(/batch position 3 is outside \[0, 3\)/);
  });
});
