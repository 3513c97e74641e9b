// Memory: the arena's arithmetic past 2 GiB (without allocating 2 GiB), the "cannot hold" error (bytes asked,
// bytes the engine can hold, what to do) thrown before the memory grows, and splitting a million samples without
// spreading them into a call.
import { describe, expect, it } from "vitest";
import { alignUp, Arena, MemoryLimitError } from "../../src/engine/arena.js";
import { createEngine } from "../../src/engine/engine.js";
import { Dataset } from "../../src/data/dataset.js";
import { parseCsv } from "../../src/data/csv.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { throws } from "./harness.js";

describe("arena arithmetic", () => {
  it("aligns addresses past 2 GiB and up to 4 GiB exactly (no negative offsets)", () => {
    for (const top of [2 ** 31 - 1, 2 ** 31, 2 ** 31 + 1, 2 ** 31 + 63, 3 * 2 ** 30 + 5, 2 ** 32 - 65]) {
      for (const align of [1, 4, 16, 64]) {
        const p = alignUp(top, align);
        expect(p).toBeGreaterThanOrEqual(top);
        expect(p - top).toBeLessThan(align);
        expect(p % align).toBe(0);
      }
    }
    expect(alignUp(2 ** 31 + 1, 64)).toBe(2 ** 31 + 64);
    // The old arithmetic, for the record: (top + align − 1) & ~(align − 1) is negative here.
    expect(((2 ** 31 + 1 + 63) & ~63) < 0).toBe(true);
    expect(() => alignUp(10, 3)).toThrow(/not a power of two/);
  });

  it("an arena whose top is past 2 GiB checks and places allocations above it, up to its limit", () => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1 });
    const arena = new Arena(memory, 2 ** 31 + 7, 2 ** 32);
    expect(() => arena.check(2 ** 30)).not.toThrow(); // fits below 4 GiB
    expect(arena.available).toBe(2 ** 32 - (2 ** 31 + 7));
    const err = throws(() => arena.check(2 ** 31, "the test buffer"), { type: MemoryLimitError, names: ["the test buffer", "2147483648 bytes", "can hold at most 4294967296 bytes", "wasm32 limit"] });
    expect((err as MemoryLimitError).requested).toBe(2 ** 31);
    expect((err as MemoryLimitError).limit).toBe(2 ** 32);
  });

  it("an allocation the engine cannot hold fails before the memory grows, saying how much, how much it holds and what to do", async () => {
    const engine = await createEngine({ backend: "js", maximumMemoryMiB: 24 });
    for (const n of [6 * 2 ** 20, 2 ** 29, 2 ** 31, 2 ** 40]) {
      throws(() => engine.allocF32(n, "the test"), {
        type: MemoryLimitError,
        names: ["cannot allocate the test", `${4 * n} bytes`, "can hold at most 25165824 bytes", "maximumMemoryMiB 24", "raise maximumMemoryMiB"],
        engine,
      });
    }
    const used = engine.arena.used;
    engine.allocU8(1000); // and the arena still works
    expect(engine.arena.used).toBeGreaterThan(used);
  });

  it("a model the engine cannot hold fails at compile, before initializing its weights", async () => {
    const engine = await createEngine({ backend: "js", maximumMemoryMiB: 16 });
    const start = performance.now();
    throws(() => new Sequential([new Linear(50_000, 50_000)]).compile(engine, { inputShape: [50_000], batchSize: 1 }), {
      type: MemoryLimitError,
      names: ["the model's 2500050000 parameters and their gradients", "20000400000 bytes", "maximumMemoryMiB 16"],
      engine,
    });
    expect(performance.now() - start).toBeLessThan(1000);
  });
});

describe("datasets in an engine", () => {
  it("a subset with a bad index is refused before reserving engine memory", async () => {
    const engine = await createEngine({ backend: "js", initialMemoryMiB: 1 });
    const x = engine.allocU8(4 * 1000);
    const data = new Dataset({ x, engine, shape: [4], labels: new Int32Array(1000), numClasses: 1, name: "resident" });
    const big = Array.from({ length: 200_000 }, (_, i) => i % 1000);
    for (const bad of [-1, 1000, 2.5, NaN]) {
      const used = engine.arena.used;
      throws(() => data.subset([...big, bad]), { names: ["resident: subset index", "position 200000"], engine });
      expect(engine.arena.used).toBe(used);
    }
  });
});

describe("large datasets", () => {
  it("splits a million labelled samples without a stack overflow, stratified", () => {
    const n = 1_000_000;
    const labels = new Int32Array(n).map((_, i) => i % 10);
    const data = new Dataset({ x: new Float32Array(n), shape: [1], labels, name: "million" });
    const [a, b] = data.split(0.8, 1);
    expect([a.length, b.length]).toEqual([800_000, 200_000]);
    expect(a.classCounts()).toEqual(new Array(10).fill(80_000));
  });

  it("splits a million regression samples, and a valid 1M-row CSV parses and splits", () => {
    const n = 1_000_000;
    const [a, b] = new Dataset({ x: new Float32Array(n), shape: [1], targets: new Float32Array(n), name: "r" }).split(0.25, 2);
    expect([a.length, b.length]).toEqual([250_000, 750_000]);
    const rows: string[] = [];
    for (let i = 0; i < n; i++) rows.push(`${i % 97},${i % 3}`);
    const csv = parseCsv(rows.join("\n"), { name: "million.csv" });
    expect(csv.length).toBe(n);
    const [train, test] = csv.split(0.8, 0);
    expect(train.length + test.length).toBe(n);
  });
});
