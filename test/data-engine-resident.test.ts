// Datasets that live in an engine's memory: IDX read chunk by chunk (also straight into engine memory) gives the
// same values and errors as the whole-file parser; a resident dataset trains to the same weights, bit for bit, as
// the same data from typed arrays; the DataLoader uses it in place (the arena grows only by labels and order);
// split/subset stay in the engine; a dataset of another engine and mismatched slices are refused.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { digitsDataset } from "../src/data/builtin/digits.js";
import { readIdxChunks } from "../src/data/idx-stream.js";
import { loadFashionMnist } from "../src/data/node/fashion-mnist.js";
import { readIdxFile } from "../src/data/node/read.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { evaluate } from "../src/train/evaluate.js";
import { fit } from "../src/train/fit.js";
import { createEngine, DataLoader, Dataset, decodeIdx, encodeIdx, idxClassification, parseIdx, type Engine } from "../src/index.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const dir = mkdtempSync(join(tmpdir(), "wasm-optim-resident-"));

/** The digits as an IDX pair: u8 images [n, 64] and u8 labels [n]. */
function digitsIdx(): { images: Uint8Array; labels: Uint8Array } {
  const d = digitsDataset();
  return { images: encodeIdx("u8", [d.length, 64], d.x), labels: encodeIdx("u8", [d.length], d.labels!) };
}

/** The digits (scale 1/16) with their images read into `engine`'s memory through the gzip + IDX path. */
async function residentDigits(engine: Engine): Promise<Dataset> {
  const { images, labels } = digitsIdx();
  const x = await decodeIdx(gzipSync(images), "digits-images.gz", { dtype: "u8" }, { engine });
  return idxClassification(x, parseIdx(labels, "digits-labels"), { scale: 1 / 16 });
}

/** `bytes` cut into pieces of 1, 2, 3, … bytes, so that the header and values straddle chunk boundaries. */
function* pieces(bytes: Uint8Array): Generator<Uint8Array> {
  for (let at = 0, size = 1; at < bytes.length; at += size, size++) yield bytes.subarray(at, at + size);
}

describe("IDX read in chunks", () => {
  it("gives the values of parseIdx, as views, into JS memory or an engine's", async () => {
    const bytes = encodeIdx("u8", [5, 2, 3], Array.from({ length: 30 }, (_, i) => (37 * i) % 256));
    const whole = parseIdx(bytes, "w");
    expect(whole.data.buffer).toBe(bytes.buffer); // a view, not a copy
    const chunked = await readIdxChunks(pieces(bytes), "c", { dtype: "u8", ndims: 3 });
    expect(chunked).toMatchObject({ source: "c", dtype: "u8", dims: [5, 2, 3] });
    expect(Array.from(chunked.data)).toEqual(Array.from(whole.data));
    expect(chunked.resident).toBeUndefined();
    const engine = await createEngine({ backend: "js" });
    const inEngine = await readIdxChunks(pieces(bytes), "e", {}, { engine });
    expect(inEngine.resident!.engine).toBe(engine);
    expect(inEngine.resident!.slice.array.buffer).toBe(engine.memory.buffer);
    expect(Array.from(inEngine.resident!.slice.array)).toEqual(Array.from(whole.data));
    const wide = encodeIdx("i16", [3], [-2, 300, 7]);
    const i16 = await readIdxChunks(pieces(wide), "i16", {}, { engine }); // wider types stay JS arrays
    expect([Array.from(i16.data), i16.resident]).toEqual([[-2, 300, 7], undefined]);
  });

  it("says the same as parseIdx about a broken file, whatever the chunks", async () => {
    const images = encodeIdx("u8", [4, 2, 3], new Array(24).fill(1));
    for (const bad of [images.subarray(0, 19), images.subarray(0, 10), images.subarray(0, 3), Uint8Array.from([...images, 1, 2])]) {
      let expected = "";
      try {
        parseIdx(bad, "bad.idx");
      } catch (e) {
        expected = (e as Error).message;
      }
      expect(expected).toMatch(/^bad.idx: /);
      // A stream stops at the first byte past the declared values: it knows of at least that many unexpected bytes.
      const same = new RegExp(`^${expected.replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/\d+ unexpected/, "(at least )?\\d+ unexpected")}$`);
      await expect(readIdxChunks(pieces(bad), "bad.idx")).rejects.toThrow(same);
      await expect(readIdxChunks([bad], "bad.idx")).rejects.toThrow(same);
    }
  });

  it("reads a gzipped file straight into an engine, and loadFashionMnist({ engine }) builds resident datasets", async () => {
    const engine = await createEngine({ backend: "js" });
    const { images } = digitsIdx();
    const path = join(dir, "digits.gz");
    writeFileSync(path, gzipSync(images));
    const idx = await readIdxFile(path, { ndims: 2 }, { engine });
    expect(Array.from(idx.resident!.slice.array)).toEqual(Array.from(parseIdx(images).data));

    writeFileSync(join(dir, "train-images-idx3-ubyte.gz"), gzipSync(encodeIdx("u8", [3, 2, 2], [...new Array(11).fill(255), 4])));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), encodeIdx("u8", [3], [9, 0, 4]));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdx("u8", [1, 2, 2], [0, 1, 2, 3]));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte.gz"), gzipSync(encodeIdx("u8", [1], [5])));
    const { train, test } = await loadFashionMnist({ dir, engine });
    expect([train.engine, test.engine]).toEqual([engine, engine]);
    expect([train.x[11], test.x[3], train.shape, Array.from(train.labels!)]).toEqual([4, 3, [1, 2, 2], [9, 0, 4]]);
  });
});

describe("a dataset in engine memory", () => {
  it("trains and evaluates to the same weights, bit for bit, as the same data from typed arrays; its split too", async () => {
    const run = async (resident: boolean) => {
      const { engine, model } = await digitsMlp({ batchSize: 32 });
      const all = resident ? await residentDigits(engine) : digitsDataset();
      const [train, test] = all.split(0.8, 0);
      expect([train.engine, test.engine]).toEqual(resident ? [engine, engine] : [null, null]);
      const loss = new CrossEntropyLoss();
      const history = await fit(model, train, { optimizer: new Adam(model.parameters(), { lr: 3e-3 }), loss, epochs: 3, batchSize: 32, seed: 4, validationData: test, verbose: 0 });
      const losses = history.epochs.map((e) => [e.loss, e.accuracy, e.valLoss, e.valAccuracy]);
      return { weights: bits(weightsOf(model)), losses, test: evaluate(model, test, { loss }) };
    };
    const [plain, resident] = [await run(false), await run(true)];
    expect(resident.weights).toEqual(plain.weights);
    expect(resident.losses).toEqual(plain.losses);
    expect(resident.test).toEqual(plain.test);
    expect(plain.test.accuracy).toBeGreaterThan(0.8); // it did learn
  });

  it("is used in place by the DataLoader: the arena grows by labels and the order, not by a copy of the features", async () => {
    const engine = await createEngine({ backend: "simd" });
    const resident = await residentDigits(engine);
    const n = resident.length, loaderBytes = 2 * (4 * n + 64); // labels and order, int32 each, 64-byte aligned
    let before = engine.arena.used;
    new DataLoader(engine, resident, { batchSize: 16 });
    expect(engine.arena.used - before).toBeLessThanOrEqual(loaderBytes);
    before = engine.arena.used;
    new DataLoader(engine, digitsDataset(), { batchSize: 16 }); // the typed-array dataset is copied
    expect(engine.arena.used - before).toBeGreaterThanOrEqual(n * 64 + 4 * n);
    const x = engine.allocF32(16 * 64), y = engine.allocI32(16);
    const loader = new DataLoader(engine, resident, { batchSize: 16, shuffle: false });
    const first = loader.epoch(x, y).next().value;
    expect(first).toBe(16);
    expect(Array.from(x.array.subarray(0, 64))).toEqual(Array.from({ length: 64 }, (_, i) => resident.value(i)));
  });

  it("keeps its values when the memory grows (x is re-made from the engine's memory)", async () => {
    const engine = await createEngine({ backend: "js", initialMemoryMiB: 1 });
    const resident = await residentDigits(engine);
    const first = Array.from(resident.x.subarray(0, 64));
    const buffer = engine.memory.buffer;
    engine.allocF32(1 << 20);
    expect(engine.memory.buffer).not.toBe(buffer);
    expect(Array.from(resident.x.subarray(0, 64))).toEqual(first);
    expect(resident.reshape([1, 8, 8]).engine).toBe(engine);
    expect(Array.from(resident.subset([1, 0]).x.subarray(64, 128))).toEqual(first);
  });

  it("is refused by another engine's loader, naming the dataset and both engines", async () => {
    const home = await createEngine({ backend: "js" }), other = await createEngine({ backend: "simd" });
    const resident = await residentDigits(home);
    expect(() => new DataLoader(other, resident, { batchSize: 8 })).toThrow(
      /^DataLoader: dataset 'digits-images.gz' lives in the memory of another engine \(js backend, \d+ MiB of memory\) than this loader's \(simd backend, 16 MiB of memory\); load it with this engine, or as typed arrays/,
    );
    const { model } = await digitsMlp({ batchSize: 8 });
    await expect(fit(model, resident, { optimizer: new Adam(model.parameters()), loss: new CrossEntropyLoss(), batchSize: 8, verbose: 0 })).rejects.toThrow(
      /dataset 'digits-images.gz' lives in the memory of another engine/,
    );
  });

  it("checks that a slice comes with its engine, and only then", async () => {
    const engine = await createEngine({ backend: "js" }), other = await createEngine({ backend: "js" });
    const slice = engine.allocU8(8);
    const labels = [0, 1];
    expect(() => new Dataset({ x: slice, shape: [4], labels, name: "s" })).toThrow(/^s: give an engine with features in its memory/);
    expect(() => new Dataset({ x: new Uint8Array(8), engine, shape: [4], labels, name: "a" })).toThrow(/^a: give an engine with features in its memory/);
    expect(() => new Dataset({ x: slice, engine: other, shape: [4], labels, name: "o" })).toThrow(/^o: the feature slice is not in the given engine's memory/);
    const data = new Dataset({ x: slice, engine, shape: [4], labels });
    expect(data.derive({ x: new Float32Array(8) }).engine).toBeNull(); // new features without an engine: typed arrays
  });
});
