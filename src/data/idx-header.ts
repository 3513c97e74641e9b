// The IDX format of the MNIST family (yann.lecun.com/exdb/mnist): a big-endian header, then the values.
//
//   bytes 0–1   0x00 0x00                       magic
//   byte  2     data type: 0x08 u8, 0x09 i8, 0x0B i16, 0x0C i32, 0x0D f32, 0x0E f64
//   byte  3     number of dimensions d
//   4 · d bytes the dimensions, uint32 big-endian
//   then        d0 · d1 · … values, big-endian, row-major
//
// The header, the length check and the values, shared by the parser of whole files (./idx.ts) and the reader of
// chunked streams (./idx-stream.ts), so that both say the same thing about the same broken file.
import { DataError } from "./errors.js";
import type { Engine } from "../engine/engine.js";
import type { U8Slice } from "../engine/views.js";
import { isGzip } from "./gzip.js";

export type IdxType = "u8" | "i8" | "i16" | "i32" | "f32" | "f64";
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  /** Where the bytes came from (a file name), used in error messages. */
  source: string;
  dtype: IdxType;
  dims: number[];
  /** The values. Read into an engine's memory (see IdxReadOptions), a view of it: use `slice.array` after growth. */
  data: IdxData;
  /** The values' place in an engine's memory, when they were read there. */
  resident?: IdxResident;
}

/** u8 values read straight into an engine's memory. */
export interface IdxResident {
  engine: Engine;
  slice: U8Slice;
}

/** What the caller needs; a file that differs throws an Error saying which field and what was found. */
export interface IdxExpectation {
  dtype?: IdxType;
  ndims?: number;
  /** The first dimension (the number of samples) this file must declare, and the file that says so. */
  samples?: { count: number; from: string };
}

export interface IdxHeader {
  dtype: IdxType;
  dims: number[];
  /** 4 + 4 · number of dimensions. */
  headerBytes: number;
  /** Number of values: the product of the dimensions. */
  count: number;
  /** count · bytes per value. */
  dataBytes: number;
}

export const IDX_TYPES: Record<number, { dtype: IdxType; bytes: number }> = {
  0x08: { dtype: "u8", bytes: 1 },
  0x09: { dtype: "i8", bytes: 1 },
  0x0b: { dtype: "i16", bytes: 2 },
  0x0c: { dtype: "i32", bytes: 4 },
  0x0d: { dtype: "f32", bytes: 4 },
  0x0e: { dtype: "f64", bytes: 8 },
};

const hex = (b: number | undefined) => `0x${(b ?? 0).toString(16).padStart(2, "0")}`;

/** Header bytes needed to know the whole header's size from what is there: 4, then 4 + 4 · dimensions. */
export function idxHeaderSize(head: Uint8Array): number {
  return head.length < 4 ? 4 : 4 + 4 * head[3]!;
}

/** Validates the header at the start of `bytes` (the values may follow or not) against `expect`. */
export function parseIdxHeader(bytes: Uint8Array, source: string, expect: IdxExpectation): IdxHeader {
  if (bytes.length < 4) throw new DataError(source, `${bytes.length} bytes, too short for the 4-byte IDX header`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const hint = isGzip(bytes) ? " (these are gzip bytes: use decodeIdx, which decompresses)" : "";
    throw new DataError(source, `not an IDX file: bytes 0-1 (magic) must be 0x00 0x00, found ${hex(bytes[0])} ${hex(bytes[1])}${hint}`);
  }
  const type = IDX_TYPES[bytes[2]!];
  if (!type) {
    const known = Object.entries(IDX_TYPES).map(([code, t]) => `${hex(Number(code))} (${t.dtype})`).join(", ");
    throw new DataError(source, `byte 2 (data type) is ${hex(bytes[2])}, expected one of ${known}`);
  }
  const ndims = bytes[3]!;
  if (ndims === 0) throw new DataError(source, `byte 3 (number of dimensions) is 0`);
  const headerBytes = 4 + 4 * ndims;
  if (bytes.length < headerBytes) {
    throw new DataError(source, `truncated header: ${ndims} dimensions need ${headerBytes} header bytes, found ${bytes.length}`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, headerBytes);
  const dims = Array.from({ length: ndims }, (_, i) => view.getUint32(4 + 4 * i, false));
  if (expect.dtype !== undefined && type.dtype !== expect.dtype) {
    throw new DataError(source, `byte 2 (data type) is ${type.dtype}, expected ${expect.dtype}`);
  }
  if (expect.ndims !== undefined && ndims !== expect.ndims) {
    throw new DataError(source, `byte 3 (number of dimensions) is ${ndims} (${dims.join(" × ")}), expected ${expect.ndims}`);
  }
  if (expect.samples !== undefined && dims[0] !== expect.samples.count) {
    throw new DataError(
      source,
      `the header declares ${dims[0]} samples (dimensions ${dims.join(" × ")}), but ${expect.samples.from} holds ${expect.samples.count}`,
    );
  }
  const count = dims.reduce((a, b) => a * b, 1);
  return { dtype: type.dtype, dims, headerBytes, count, dataBytes: count * type.bytes };
}

/**
 * Throws unless `found` bytes after the header are exactly the values' bytes. `stopped`: the reader stopped
 * at the first byte past the values, so there are at least `found − dataBytes` unexpected bytes.
 */
export function checkIdxLength(header: IdxHeader, found: number, source: string, stopped = false): void {
  const { dims, dtype, dataBytes, headerBytes } = header;
  const shape = dims.join(" × ");
  if (found < dataBytes) {
    throw new DataError(
      source,
      `truncated: ${shape} values of ${dtype} need ${dataBytes} data bytes after the ${headerBytes}-byte header, found ${found} (${dataBytes - found} missing)`,
    );
  }
  if (found > dataBytes) {
    const extra = `${stopped ? "at least " : ""}${found - dataBytes} unexpected bytes`;
    throw new DataError(source, `${extra} after the ${shape} ${dtype} values (at byte ${headerBytes + dataBytes})`);
  }
}

/** The most bytes of values a reader keeps in a JavaScript typed array (outside an engine). */
export const MAX_IDX_ARRAY_BYTES = 2 ** 31;

/** Throws before anything is reserved when the values a header declares cannot be held, naming the file and sizes. */
export function checkIdxDeclared(header: IdxHeader, source: string, engine?: Engine): void {
  const what = `the header declares ${header.dims.join(" × ")} values of ${header.dtype} (${header.dataBytes} bytes)`;
  if (engine && header.dtype === "u8") {
    try {
      engine.arena.check(header.dataBytes, "them");
    } catch (e) {
      throw new DataError(source, `${what}: ${(e as Error).message}`, { cause: e });
    }
  } else if (header.dataBytes > MAX_IDX_ARRAY_BYTES) {
    throw new DataError(source, `${what}, more than the ${MAX_IDX_ARRAY_BYTES} bytes a reader holds in one array`);
  }
}

/** The values of the data bytes (exactly header.dataBytes): u8 and i8 as views of them, wider types converted. */
export function idxValues(data: Uint8Array, header: IdxHeader): IdxData {
  const { count } = header;
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  switch (header.dtype) {
    case "u8":
      return data;
    case "i8":
      return new Int8Array(data.buffer, data.byteOffset, count);
    case "i16":
      return Int16Array.from({ length: count }, (_, i) => view.getInt16(2 * i, false));
    case "i32":
      return Int32Array.from({ length: count }, (_, i) => view.getInt32(4 * i, false));
    case "f32":
      return Float32Array.from({ length: count }, (_, i) => view.getFloat32(4 * i, false));
    case "f64":
      return Float64Array.from({ length: count }, (_, i) => view.getFloat64(8 * i, false));
  }
}
