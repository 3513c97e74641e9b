// IDX: round trips of every data type, plain and gzipped, through the portable parser and the Node file reader;
// truncated, bad-magic, bad-type and wrong-dimension files fail with messages naming the file and the field.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readIdxFile } from "../src/data/node/read.js";
import { decodeIdx, encodeIdx, idxClassification, parseIdx, type IdxType } from "../src/index.js";

const dir = mkdtempSync(join(tmpdir(), "wasm-optim-idx-"));
function file(name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Hand-written IDX bytes: 2 × 3 int16 values, big-endian. */
const int16Bytes = Uint8Array.from([0, 0, 0x0b, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 0xff, 0xfe, 1, 0, 0x80, 0, 0x7f, 0xff, 0, 0]);

describe("IDX", () => {
  it("reads a hand-written file: header fields and big-endian values", () => {
    const idx = parseIdx(int16Bytes, "hand.idx");
    expect(idx).toMatchObject({ source: "hand.idx", dtype: "i16", dims: [2, 3] });
    expect(Array.from(idx.data)).toEqual([1, -2, 256, -32768, 32767, 0]);
    expect(encodeIdx("i16", [2, 3], idx.data)).toEqual(int16Bytes);
  });

  const samples: Record<IdxType, number[]> = {
    u8: [0, 1, 127, 128, 255, 7],
    i8: [-128, -1, 0, 1, 127, 5],
    i16: [-32768, -1, 0, 1, 32767, 300],
    i32: [-(2 ** 31), -1, 0, 1, 2 ** 31 - 1, 70000],
    f32: [-1.5, 0, 3.25, 1e-20, -7e10, 0.1].map(Math.fround),
    f64: [-1.5, 0, 0.1, 1e-300, -7e100, Math.PI],
  };
  for (const [dtype, values] of Object.entries(samples) as [IdxType, number[]][]) {
    it(`round trips ${dtype}, plain and gzipped, from bytes and from files`, async () => {
      const bytes = encodeIdx(dtype, [3, 1, 2], values);
      const plain = parseIdx(bytes, "x");
      expect(plain.dims).toEqual([3, 1, 2]);
      expect(Array.from(plain.data)).toEqual(values);
      const gz = gzipSync(bytes);
      expect(Array.from((await decodeIdx(gz, "x.gz")).data)).toEqual(values);
      expect(Array.from((await readIdxFile(file(`${dtype}.idx`, bytes))).data)).toEqual(values);
      const fromFile = await readIdxFile(file(`${dtype}.idx.gz`, gz), { dtype, ndims: 3 });
      expect(fromFile.source).toBe(join(dir, `${dtype}.idx.gz`));
      expect(Array.from(fromFile.data)).toEqual(values);
    });
  }

  const images = encodeIdx("u8", [4, 2, 3], Array.from({ length: 24 }, (_, i) => 10 * i));
  const cases: [string, Uint8Array, RegExp][] = [
    ["truncated data", images.subarray(0, images.length - 5), /truncated: 4 × 2 × 3 values of u8 need 24 data bytes after the 16-byte header, found 19 \(5 missing\)/],
    ["truncated header", images.subarray(0, 10), /truncated header: 3 dimensions need 16 header bytes, found 10/],
    ["too short", images.subarray(0, 3), /3 bytes, too short for the 4-byte IDX header/],
    ["bad magic", Uint8Array.from([0x50, 0x4b, 8, 1, 0, 0, 0, 0]), /not an IDX file: bytes 0-1 \(magic\) must be 0x00 0x00, found 0x50 0x4b/],
    ["bad data type", Uint8Array.from([0, 0, 0x07, 1, 0, 0, 0, 0]), /byte 2 \(data type\) is 0x07, expected one of 0x08 \(u8\)/],
    ["no dimensions", Uint8Array.from([0, 0, 8, 0]), /byte 3 \(number of dimensions\) is 0/],
    ["trailing bytes", Uint8Array.from([...images, 1, 2]), /(at least )?2 unexpected bytes after the 4 × 2 × 3 u8 values \(at byte 40\)/],
  ];
  for (const [what, bytes, message] of cases) {
    it(`rejects ${what}, naming the file, plain and gzipped`, async () => {
      expect(() => parseIdx(bytes, "bad.idx")).toThrow(new RegExp(`^bad.idx: ${message.source}`));
      await expect(decodeIdx(gzipSync(bytes), "bad.idx.gz")).rejects.toThrow(new RegExp(`^bad.idx.gz: ${message.source}`));
      const path = file(`bad-${what.replace(/ /g, "-")}.gz`, gzipSync(bytes));
      await expect(readIdxFile(path)).rejects.toThrow(`${path}: `);
      await expect(readIdxFile(path)).rejects.toThrow(message);
    });
  }

  it("rejects a file whose data type or dimensions differ from what the caller expects", () => {
    const labels = encodeIdx("u8", [4], [0, 1, 2, 3]);
    expect(() => parseIdx(labels, "labels", { ndims: 3 })).toThrow(/^labels: byte 3 \(number of dimensions\) is 1 \(4\), expected 3$/);
    expect(() => parseIdx(int16Bytes, "hand", { dtype: "u8" })).toThrow(/^hand: byte 2 \(data type\) is i16, expected u8$/);
  });

  it("says which file is corrupt gzip, from bytes and from a file", async () => {
    const gz = gzipSync(images);
    const cut = gz.subarray(0, gz.length - 12);
    await expect(decodeIdx(cut, "cut.gz")).rejects.toThrow(/^cut.gz: corrupt or truncated gzip data/);
    const path = file("cut.gz", cut);
    await expect(readIdxFile(path)).rejects.toThrow(`${path}: corrupt or truncated gzip data`);
    expect(() => parseIdx(gz, "raw.gz")).toThrow(/these are gzip bytes: use decodeIdx/);
  });

  it("builds an image classification dataset from an IDX pair and checks that they match", () => {
    const imgs = parseIdx(images, "imgs");
    const data = idxClassification(imgs, parseIdx(encodeIdx("u8", [4], [3, 0, 1, 3]), "labs"));
    expect(data.shape).toEqual([1, 2, 3]);
    expect(data.x).toBeInstanceOf(Uint8Array);
    expect(Array.from(data.labels!)).toEqual([3, 0, 1, 3]);
    expect(data.numClasses).toBe(4);
    expect(data.value(7)).toBe(Math.fround(Math.fround(70 * Math.fround(1 / 255)) + 0));
    expect(() => idxClassification(imgs, parseIdx(encodeIdx("u8", [3], [0, 1, 2]), "labs"))).toThrow(/^imgs: holds 4 images but labs holds 3 labels$/);
    expect(() => idxClassification(imgs, parseIdx(encodeIdx("u8", [4], [0, 1, 2, 9]), "labs"), { numClasses: 4 })).toThrow(
      /label 9 of sample 3 is outside \[0, 4\)/,
    );
    expect(() => idxClassification(parseIdx(int16Bytes, "i16"), parseIdx(encodeIdx("u8", [2], [0, 1]), "labs"))).toThrow(/^i16: images must be u8/);
  });
});
