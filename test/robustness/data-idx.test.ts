// Bad IDX input, generated: headers that declare more (or fewer) values than the file holds, plain and gzipped,
// into an engine and not, image/label counts that disagree, gzip bombs, trailing garbage. Each gives a DataError
// naming the file and the declared and actual sizes, before any memory is reserved: the engine's memory does
// not grow.
import { randomBytes } from "node:crypto";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Engine } from "../../src/engine/engine.js";
import { fashionMnistFrom, FASHION_MNIST_FILES } from "../../src/data/fashion-mnist.js";
import { decodeIdx, encodeIdx, parseIdx } from "../../src/data/idx.js";
import { readIdxFile } from "../../src/data/node/read.js";
import { rejects, tempDir, throws } from "./harness.js";

const { file } = tempDir("idx");

/** An IDX header claiming `dims` of type code `type`, followed by `data` bytes. */
function header(dims: number[], data: Uint8Array = new Uint8Array(0), type = 0x08): Uint8Array {
  const out = new Uint8Array(4 + 4 * dims.length + data.length);
  const view = new DataView(out.buffer);
  out[2] = type;
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  out.set(data, 4 + 4 * dims.length);
  return out;
}

let engine: Engine;
beforeAll(async () => {
  engine = await createEngine({ backend: "js" });
});

describe("IDX headers that lie about the size", () => {
  const lies: [string, number[], number][] = [
    ["1,000,000 images", [1_000_000, 28, 28], 784 * 100],
    ["60000 images, 5 present", [60_000, 28, 28], 784 * 5],
    ["2^31 images", [2 ** 31, 28, 28], 784],
    ["2^32 - 1 images of 2^32 - 1 pixels", [2 ** 32 - 1, 2 ** 32 - 1], 16],
    ["one image of 4 GiB", [1, 65536, 65536], 100],
    ["a zero dimension and data", [0, 28, 28], 10],
    ["fewer values than the file holds", [2, 2, 2], 100],
  ];
  for (const [what, dims, present] of lies) {
    const bytes = header(dims, new Uint8Array(present).fill(7));
    it(`${what}: a plain file, read into an engine`, async () => {
      const path = file(`${what.replace(/\W+/g, "-")}.idx`, bytes);
      await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, dims.join(" × ")], engine });
    });
    it(`${what}: a gzipped file, read into an engine`, async () => {
      const path = file(`${what.replace(/\W+/g, "-")}.idx.gz`, gzipSync(bytes));
      await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, dims.join(" × ")], engine });
    });
    it(`${what}: gzipped bytes (decodeIdx), into an engine and not`, async () => {
      await rejects(() => decodeIdx(gzipSync(bytes), "b.idx.gz", {}, { engine }), { names: ["b.idx.gz", dims.join(" × ")], engine });
      await rejects(() => decodeIdx(gzipSync(bytes), "b.idx.gz"), { names: ["b.idx.gz", dims.join(" × ")] });
      throws(() => parseIdx(bytes, "b.idx"), { names: ["b.idx", dims.join(" × ")] });
    });
  }

  it("says declared against actual: truncated and trailing", async () => {
    const path = file("short.idx", header([1_000_000, 28, 28], new Uint8Array(784 * 3)));
    await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, "need 784000000 data bytes after the 16-byte header, found 2352", "truncated"], engine });
    const long = file("long.idx", header([2, 2], new Uint8Array(10)));
    await rejects(() => readIdxFile(long), { names: [long, "6 unexpected bytes after the 2 × 2 u8 values (at byte 16)"] });
  });

  it("a header whose values an engine cannot hold fails at once, saying how much and what to do", async () => {
    const small = await createEngine({ backend: "js", maximumMemoryMiB: 32 });
    const bytes = header([100, 1000, 1000]); // 100 MB declared
    const path = file("big.idx.gz", gzipSync(bytes));
    await rejects(() => readIdxFile(path, {}, { engine: small }), { names: [path, "100000000 bytes", "maximumMemoryMiB 32"], engine: small });
    await rejects(() => decodeIdx(bytes, "big.idx", {}, { engine: small }), { names: ["big.idx", "maximumMemoryMiB"], engine: small });
  });
});

describe("IDX gzip bombs and trailing garbage", () => {
  it("stops inflating one byte past the declared size (a small header, gigabytes behind it)", async () => {
    // 4 values declared, then 256 MiB of zeros: the file is ~250 KB.
    const bomb = gzipSync(Buffer.concat([header([2, 2], new Uint8Array(4)), Buffer.alloc(256 << 20)]), { level: 9 });
    const path = file("bomb.idx.gz", bomb);
    await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, "unexpected bytes after the 2 × 2 u8 values"], engine, ms: 3000 });
    await rejects(() => decodeIdx(bomb, "bomb.idx.gz", {}, { engine }), { names: ["bomb.idx.gz", "unexpected bytes"], engine, ms: 3000 });
  });

  it("a gzip trailer that disagrees with the header: a counting pass decides, bounded", async () => {
    const good = gzipSync(header([3, 2], new Uint8Array(6)));
    const lying = Uint8Array.from(good);
    new DataView(lying.buffer).setUint32(lying.length - 4, 999, true); // a wrong ISIZE
    const path = file("isize.idx.gz", lying);
    await rejects(() => readIdxFile(path), { names: [path, /corrupt|truncated gzip/] });
  });

  it("a gzip trailer forged to match a lying header: memory grows no further than the real data", async () => {
    // Incompressible: the file is large enough (800 KB) for the 784 MB declared to pass the 1032:1 ratio check.
    const bytes = Uint8Array.from(gzipSync(header([1_000_000, 28, 28], randomBytes(800_000))));
    new DataView(bytes.buffer).setUint32(bytes.length - 4, (16 + 784_000_000) % 2 ** 32, true); // ISIZE as declared
    const path = file("forged.idx.gz", bytes);
    await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, /corrupt or truncated gzip data|truncated/], engine });
    await rejects(() => decodeIdx(bytes, "forged.idx.gz", {}, { engine }), { names: ["forged.idx.gz", /corrupt|truncated/], engine });
  });

  const garbage: [string, Uint8Array][] = [
    ["text after the values", Buffer.concat([header([2, 2], new Uint8Array(4)), Buffer.from("hello")])],
    ["a second IDX after the values", Buffer.concat([header([2, 2], new Uint8Array(4)), header([2, 2], new Uint8Array(4))])],
    ["one byte after the values", Buffer.concat([header([2, 2], new Uint8Array(4)), Buffer.from([0])])],
  ];
  for (const [what, bytes] of garbage) {
    it(`refuses ${what}, plain and gzipped`, async () => {
      const plain = file(`${what.replace(/\W+/g, "-")}.idx`, bytes);
      const zipped = file(`${what.replace(/\W+/g, "-")}.idx.gz`, gzipSync(bytes));
      await rejects(() => readIdxFile(plain, {}, { engine }), { names: [plain, "unexpected bytes after"], engine });
      await rejects(() => readIdxFile(zipped, {}, { engine }), { names: [zipped, "unexpected bytes after"], engine });
    });
  }

  const broken: [string, Uint8Array, RegExp][] = [
    ["an empty file", new Uint8Array(0), /0 bytes, too short/],
    ["a truncated header", header([2, 2]).subarray(0, 9), /truncated header/],
    ["a bad magic", Uint8Array.from([1, 2, 8, 1, 0, 0, 0, 1, 5]), /magic/],
    ["an unknown data type", header([1], new Uint8Array(1), 0x42), /data type/],
    ["0 dimensions", Uint8Array.from([0, 0, 8, 0]), /number of dimensions\) is 0/],
    ["255 dimensions, truncated", Uint8Array.from([0, 0, 8, 255, 0, 0]), /255 dimensions need 1024 header bytes/],
    ["a truncated gzip stream", gzipSync(header([10, 10], new Uint8Array(100))).subarray(0, 25), /gzip|truncated/],
  ];
  for (const [what, bytes, message] of broken) {
    it(`refuses ${what}`, async () => {
      const path = file(`${what.replace(/\W+/g, "-")}.idx`, bytes);
      await rejects(() => readIdxFile(path, {}, { engine }), { names: [path, message], engine });
    });
  }
});

describe("IDX images and labels that disagree", () => {
  /** Reads four in-memory files through fashionMnistFrom (the path the CLI and loadFashionMnist take). */
  const from = (files: Partial<Record<keyof typeof FASHION_MNIST_FILES, Uint8Array>>, withEngine = true) =>
    fashionMnistFrom((key, expect, e) => decodeIdx(files[key]!, FASHION_MNIST_FILES[key], expect, { engine: e }), withEngine ? { engine } : {});
  const images = (n: number) => encodeIdx("u8", [n, 2, 2], new Array(4 * n).fill(3));
  const labels = (n: number, value = 1) => encodeIdx("u8", [n], new Array(n).fill(value));
  const good = { trainImages: images(6), trainLabels: labels(6), testImages: images(2), testLabels: labels(2) };

  it("checks the images' declared count against the labels before reserving memory for them", async () => {
    for (const n of [1_000_000, 7, 5, 2 ** 31]) {
      const trainImages = header([n, 2, 2], new Uint8Array(Math.min(4 * n, 4 * 7)));
      await rejects(() => from({ ...good, trainImages }), { names: ["train-images-idx3-ubyte", `declares ${n} samples`, "train-labels-idx1-ubyte (the labels) holds 6"], engine });
    }
  });

  it("refuses labels outside the 10 classes, and labels of the wrong type or shape", async () => {
    await rejects(() => from({ ...good, testLabels: labels(2, 10) }), { names: ["t10k-images-idx3-ubyte", "label 10 of sample 0 is outside [0, 10)"] });
    await rejects(() => from({ ...good, trainLabels: encodeIdx("i32", [6], [0, 1, 2, 3, 4, 5]) }), { names: ["train-labels-idx1-ubyte", "data type"] });
    await rejects(() => from({ ...good, trainLabels: encodeIdx("u8", [3, 2], [0, 1, 2, 3, 4, 5]) }), { names: ["train-labels-idx1-ubyte", "number of dimensions"] });
    await rejects(() => from({ ...good, trainImages: encodeIdx("f32", [6, 2, 2], new Array(24).fill(0)) }), { names: ["train-images-idx3-ubyte", "data type"] });
  });

  it("reads a consistent set", async () => {
    const { train, test } = await from(good, false);
    expect([train.length, test.length]).toEqual([6, 2]);
  });
});
