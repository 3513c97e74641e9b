// Fashion-MNIST from Debian's dataset-fashion-mnist (skipped when it is not installed), and the error that says
// where it looked and which package provides it.
import { existsSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FASHION_MNIST_DIR, loadFashionMnist } from "../src/data/node/fashion-mnist.js";
import { createEngine, DataLoader, encodeIdx } from "../src/index.js";

function total(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

describe("Fashion-MNIST", () => {
  it("says where it looked and how to install it when the directory is missing", async () => {
    await expect(loadFashionMnist({ dir: "/nonexistent/fmnist" })).rejects.toThrow(
      /^Fashion-MNIST: no directory \/nonexistent\/fmnist \(looked there for train-images-idx3-ubyte\[\.gz\].*`apt-get install dataset-fashion-mnist` provides them/,
    );
  });

  it("reads any directory of the four IDX files (here tiny, uncompressed) and names a missing or mismatched one", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-optim-fmnist-"));
    await expect(loadFashionMnist({ dir })).rejects.toThrow(`${dir} has neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte`);
    writeFileSync(join(dir, "train-images-idx3-ubyte"), encodeIdx("u8", [3, 2, 2], new Array(12).fill(255)));
    writeFileSync(join(dir, "train-labels-idx1-ubyte"), encodeIdx("u8", [3], [9, 0, 4]));
    writeFileSync(join(dir, "t10k-images-idx3-ubyte"), encodeIdx("u8", [1, 2, 2], [0, 1, 2, 3]));
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx("u8", [1, 1], [5]));
    await expect(loadFashionMnist({ dir })).rejects.toThrow(/t10k-labels-idx1-ubyte: byte 3 \(number of dimensions\) is 2 \(1 × 1\), expected 1/);
    writeFileSync(join(dir, "t10k-labels-idx1-ubyte"), encodeIdx("u8", [1], [5]));
    const { train, test } = await loadFashionMnist({ dir });
    expect([train.length, ...train.shape, test.length]).toEqual([3, 1, 2, 2, 1]);
    expect(Array.from(train.labels!)).toEqual([9, 0, 4]);
    expect(train.numClasses).toBe(10);
    expect(test.value(3)).toBe(Math.fround(3 * Math.fround(1 / 255)));
  });

  it.skipIf(!existsSync(FASHION_MNIST_DIR))(`reads ${FASHION_MNIST_DIR}: 60000/10000 × 28×28, 6000 per class, known pixel statistics`, async () => {
    const { train, test } = await loadFashionMnist();
    expect([train.length, test.length]).toEqual([60000, 10000]);
    expect(train.shape).toEqual([1, 28, 28]);
    expect(test.shape).toEqual([1, 28, 28]);
    expect(train.x).toBeInstanceOf(Uint8Array);
    expect(train.classCounts()).toEqual(new Array(10).fill(6000));
    expect(test.classCounts()).toEqual(new Array(10).fill(1000));
    // Independent values (numpy over the raw files): mean 72.94035, std 90.02118 (published: 0.2860, 0.3530 × 255).
    let sum = 0, sq = 0;
    for (const v of train.x) (sum += v), (sq += v * v);
    const mean = sum / train.x.length;
    expect(mean).toBeCloseTo(72.94035, 4);
    expect(Math.sqrt(sq / train.x.length - mean * mean)).toBeCloseTo(90.02118, 4);
    expect(total(test.x) / test.x.length).toBeCloseTo(73.14657, 4);
    expect(total(train.x.subarray(0, 784))).toBe(76247);
    expect(Array.from(train.labels!.subarray(0, 10))).toEqual([9, 0, 0, 3, 0, 2, 7, 2, 5, 5]);
    // The loader sees the same statistic on the [0, 1] scale.
    const engine = await createEngine({ backend: "simd" });
    const loader = new DataLoader(engine, train, { batchSize: 1000, seed: 1 });
    const x = engine.allocF32(1000 * 784), y = engine.allocI32(1000);
    let scaled = 0;
    for (const n of loader.epoch(x, y)) for (let i = 0; i < n * 784; i++) scaled += x.array[i]!;
    expect(scaled / train.x.length).toBeCloseTo(72.94035 / 255, 5);
  });
});
