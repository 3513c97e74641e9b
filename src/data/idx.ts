// The IDX format of the MNIST family (yann.lecun.com/exdb/mnist): a big-endian header, then the values.
//
//   bytes 0–1   0x00 0x00                       magic
//   byte  2     data type: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
//   byte  3     number of dimensions d
//   4 · d bytes the dimensions, uint32 big-endian
//   then        d0 · d1 · … values, big-endian, row-major
//
// Parsers here take bytes (gzipped or not): reading files is in ./node/, so this module runs in browsers too.
import { Dataset } from "./dataset.js";
import { gunzip, isGzip } from "./gzip.js";

export type IdxType = "u8" | "i8" | "i16" | "i32" | "f32" | "f64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Where the bytes came from (a file name), used in error messages. */
  source: string;
  dtype: IdxType;
  dims: number[];
  data: IdxData;
}

/** What the caller needs; a file that differs throws an Error saying which field and what was found. */
export interface IdxExpectation {
  dtype?: IdxType;
  ndims?: number;
}

const TYPES: Record<number, { dtype: IdxType; bytes: number }> = {
  0x08: { dtype: "u8", bytes: 1 },
  0x09: { dtype: "i8", bytes: 1 },
  0x0b: { dtype: "i16", bytes: 2 },
  0x0c: { dtype: "i32", bytes: 4 },
  0x0d: { dtype: "f32", bytes: 4 },
  0x0e: { dtype: "f64", bytes: 8 },
};

const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, "0")}`;

/** Parses uncompressed IDX bytes, validating the magic, data type, dimensions and length. */
export function parseIdx(bytes: Uint8Array, source = "IDX data", expect: IdxExpectation = {}): IdxArray {
  if (bytes.length < 4) throw new Error(`${source}: ${bytes.length} bytes, too short for the 4-byte IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = isGzip(bytes) ? " (these are gzip bytes: use decodeIdx, which decompresses)" : "";
    throw new Error(`${source}: not an IDX file: bytes 0-1 (magic) must be 0x00 0x00, found ${hex(bytes[0])} ${hex(bytes[1])}${hint}`);
  }
  const type = TYPES[bytes[2]!];
  if (!type) {
    const known = Object.entries(TYPES).map(([code, t]) => `${hex(Number(code))} (${t.dtype})`).join(", ");
    throw new Error(`${source}: byte 2 (data type) is ${hex(bytes[2])}, expected one of ${known}`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0) throw new Error(`${source}: byte 3 (number of dimensions) is 0`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new Error(`${source}: truncated header: ${ndims} dimensions need ${headerBytes} header bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  const shape = dims.join(" × ");
  if (expect.dtype !== undefined && type.dtype !== expect.dtype) {
    throw new Error(`${source}: byte 2 (data type) is ${type.dtype}, expected ${expect.dtype}`);
  }
  if (expect.ndims !== undefined && ndims !== expect.ndims) {
    throw new Error(`${source}: byte 3 (number of dimensions) is ${ndims} (${shape}), expected ${expect.ndims}`);
  }
  const count = dims.reduce((a, b) => a * b, 1);
  const dataBytes = count * type.bytes;
  const found = bytes.length - headerBytes;
  if (found < dataBytes) {
    throw new Error(
      `${source}: truncated: ${shape} values of ${type.dtype} need ${dataBytes} data bytes after the ${headerBytes}-byte header, found ${found} (${dataBytes - found} missing)`,
    );
  }
  if (found > dataBytes) {
    throw new Error(`${source}: ${found - dataBytes} unexpected bytes after the ${shape} ${type.dtype} values (at byte ${headerBytes + dataBytes})`);
  }
  return { source, dtype: type.dtype, dims, data: readValues(view, headerBytes, count, type.dtype) };
}

function readValues(view: DataView, at: number, count: number, dtype: IdxType): IdxData {
  const start = view.byteOffset + at;
  switch (dtype) {
    case "u8":
      return new Uint8Array(view.buffer.slice(start, start + count));
    case "i8":
      return new Int8Array(view.buffer.slice(start, start + count));
    case "i16":
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(at + 2 * i, false));
    case "i32":
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(at + 4 * i, false));
    case "f32":
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(at + 4 * i, false));
    case "f64":
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(at + 8 * i, false));
  }
}

/** Parses IDX bytes that may be gzipped (decompressed with DecompressionStream). */
export async function decodeIdx(bytes: Uint8Array, source = "IDX data", expect: IdxExpectation = {}): Promise<IdxArray> {
  return parseIdx(isGzip(bytes) ? await gunzip(bytes, source) : bytes, source, expect);
}

/** Writes an IDX file's bytes (big-endian): the inverse of parseIdx. */
export function encodeIdx(dtype: IdxType, dims: readonly number[], data: ArrayLike<number>): Uint8Array {
  const code = Number(Object.keys(TYPES).find((c) => TYPES[Number(c)]!.dtype === dtype));
  const width = TYPES[code]!.bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  if (data.length !== count) throw new RangeError(`encodeIdx: ${data.length} values do not fill dimensions ${dims.join(" × ")}`);
  const header = 4 + 4 * dims.length;
  const view = new DataView(new ArrayBuffer(header + width * count));
  view.setUint8(2, code);
  view.setUint8(3, dims.length);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  const write = {
    u8: (o: number, v: number) => view.setUint8(o, v),
    i8: (o: number, v: number) => view.setInt8(o, v),
    i16: (o: number, v: number) => view.setInt16(o, v, false),
    i32: (o: number, v: number) => view.setInt32(o, v, false),
    f32: (o: number, v: number) => view.setFloat32(o, v, false),
    f64: (o: number, v: number) => view.setFloat64(o, v, false),
  }[dtype];
  for (let i = 0; i < count; i++) write(header + width * i, data[i]!);
  return new Uint8Array(view.buffer);
}

export interface IdxClassificationOptions {
  /** Number of classes (default: largest label + 1). */
  numClasses?: number;
  /** The model sees byte · scale + offset (default 1/255 and 0: pixels in [0, 1]). */
  scale?: number;
  offset?: number;
}

/**
 * An image classification Dataset from an IDX pair: u8 images [n, h, w] (or [n, c, h, w], or [n, features]) and
 * 1-D integer labels [n]. Images stay bytes; samples are shaped [1, h, w] (or [c, h, w], or [features]).
 */
export function idxClassification(images: IdxArray, labels: IdxArray, options: IdxClassificationOptions = {}): Dataset {
  if (images.dtype !== "u8") throw new Error(`${images.source}: images must be u8 (data type 0x08), found ${images.dtype}`);
  if (images.dims.length < 2 || images.dims.length > 4) {
    throw new Error(`${images.source}: images must have 2 to 4 dimensions (n, …), found ${images.dims.length} (${images.dims.join(" × ")})`);
  }
  if (labels.dims.length !== 1 || !["u8", "i8", "i16", "i32"].includes(labels.dtype)) {
    throw new Error(`${labels.source}: labels must be 1-dimensional integers, found ${labels.dtype} ${labels.dims.join(" × ")}`);
  }
  const [n, ...rest] = images.dims;
  if (labels.dims[0] !== n) {
    throw new Error(`${images.source} holds ${n} images but ${labels.source} holds ${labels.dims[0]} labels`);
  }
  const shape = rest.length === 2 ? [1, ...rest] : rest;
  return new Dataset({
    x: images.data as Uint8Array,
    shape,
    labels: Int32Array.from(labels.data),
    numClasses: options.numClasses,
    scale: options.scale ?? 1 / 255,
    offset: options.offset ?? 0,
    name: images.source,
  });
}
