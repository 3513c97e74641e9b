// IDX files (the MNIST family's format, see ./idx-header.ts): parse bytes, decode possibly gzipped bytes, encode,
// and build a classification Dataset from an images/labels pair.
//
// Parsers here take bytes (gzipped or not): reading files is in ./node/, so this module runs in browsers too.
import { DataError } from "./errors.js";
import { Dataset } from "./dataset.js";
import { gunzipChunks, isGzip } from "./gzip.js";
import { checkIdxLength, IDX_TYPES, idxValues, parseIdxHeader, type IdxArray, type IdxExpectation, type IdxType } from "./idx-header.js";
import { checkDeclaredSize, countChunks, gzipTrailer, readIdxChunks, type IdxReadOptions } from "./idx-stream.js";

export type { IdxArray, IdxData, IdxExpectation, IdxType } from "./idx-header.js";
export type { IdxReadOptions } from "./idx-stream.js";

/** Parses uncompressed IDX bytes, validating the magic, data type, dimensions and length. u8/i8 values are views of `bytes`. */
export function parseIdx(bytes: Uint8Array, source = "IDX data", expect: IdxExpectation = {}): IdxArray {
  const header = parseIdxHeader(bytes, source, expect);
  checkIdxLength(header, bytes.length - header.headerBytes, source);
  return { source, dtype: header.dtype, dims: header.dims, data: idxValues(bytes.subarray(header.headerBytes), header) };
}

/**
 * Parses IDX bytes that may be gzipped (decompressed with DecompressionStream, chunk by chunk into one buffer of
 * the values' size). With `engine`, u8 values are written into its memory (see IdxArray.resident).
 */
export async function decodeIdx(bytes: Uint8Array, source = "IDX data", expect: IdxExpectation = {}, options: IdxReadOptions = {}): Promise<IdxArray> {
  const gzipped = isGzip(bytes);
  if (!gzipped && !options.engine) return parseIdx(bytes, source, expect);
  const size = { size: bytes.length, gzipped, trailer: gzipped ? gzipTrailer(bytes) : null, count: (stopAt: number) => countChunks(gunzipChunks(bytes, source), stopAt) };
  return readIdxChunks(gzipped ? gunzipChunks(bytes, source) : [bytes], source, expect, { ...options, checkHeader: options.checkHeader ?? checkDeclaredSize(size, source) });
}

/** Writes an IDX file's bytes (big-endian): the inverse of parseIdx. */
export function encodeIdx(dtype: IdxType, dims: readonly number[], data: ArrayLike<number>): Uint8Array {
  const code = Number(Object.keys(IDX_TYPES).find((c) => IDX_TYPES[Number(c)]!.dtype === dtype));
  const width = IDX_TYPES[code]!.bytes;
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
 * 1-D integer labels [n]. Images stay bytes; samples are shaped [1, h, w] (or [c, h, w], or [features]). Images
 * read into an engine's memory make a dataset that lives there (Dataset.engine).
 */
export function idxClassification(images: IdxArray, labels: IdxArray, options: IdxClassificationOptions = {}): Dataset {
  if (images.dtype !== "u8") throw new DataError(images.source, `images must be u8 (data type 0x08), found ${images.dtype}`);
  if (images.dims.length < 2 || images.dims.length > 4) {
    throw new DataError(images.source, `images must have 2 to 4 dimensions (n, …), found ${images.dims.length} (${images.dims.join(" × ")})`);
  }
  if (labels.dims.length !== 1 || !["u8", "i8", "i16", "i32"].includes(labels.dtype)) {
    throw new DataError(labels.source, `labels must be 1-dimensional integers, found ${labels.dtype} ${labels.dims.join(" × ")}`);
  }
  const [n, ...rest] = images.dims;
  if (labels.dims[0] !== n) {
    throw new DataError(images.source, `holds ${n} images but ${labels.source} holds ${labels.dims[0]} labels`);
  }
  const shape = rest.length === 2 ? [1, ...rest] : rest;
  return new Dataset({
    ...(images.resident ? { x: images.resident.slice, engine: images.resident.engine } : { x: images.data as Uint8Array }),
    shape,
    labels: Int32Array.from(labels.data),
    numClasses: options.numClasses,
    scale: options.scale ?? 1 / 255,
    offset: options.offset ?? 0,
    name: images.source,
  });
}
