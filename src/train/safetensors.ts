// The safetensors format (https://github.com/huggingface/safetensors), as bytes, without any I/O:
//
//   [8 bytes] N, the header length, an unsigned little-endian 64-bit integer
//   [N bytes] a UTF-8 JSON object: { "<tensor name>": { "dtype": "F32", "shape": [..], "data_offsets": [b, e] },
//             ..., "__metadata__": { "<key>": "<string value>" } }, padded with spaces
//   [rest]    the tensors' raw little-endian data; [b, e) is relative to the first byte after the header, the
//             tensors tile this part without gaps or overlaps
//
// The writer pads the header so that the data starts 8-byte aligned, as the reference implementation does.
// Reading validates everything and names the source and the offending tensor in its errors.
import { DataError } from "../data/errors.js";

const ITEM_BYTES: Record<string, number> = {
  F64: 8, F32: 4, F16: 2, BF16: 2, I64: 8, I32: 4, I16: 2, I8: 1, U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
  F8_E4M3: 1, F8_E5M2: 1,
};
const MAX_HEADER_BYTES = 100_000_000; // the reference implementation's limit

/**
 * A tensor to write: float32, float64 (values that need it, such as per-step loss histories), int64 (BatchNorm's
 * num_batches_tracked, as PyTorch stores it), bf16 bits (a Uint16Array: low-bit optimizer state) or bytes (U8).
 */
export interface TensorToWrite {
  shape: readonly number[];
  data: Float32Array | Float64Array | BigInt64Array | Uint16Array | Uint8Array;
}

/** The dtype a TensorToWrite's data is written as. */
function dtypeOf(data: TensorToWrite["data"]): string {
  if (data instanceof Float64Array) return "F64";
  if (data instanceof BigInt64Array) return "I64";
  if (data instanceof Uint16Array) return "BF16";
  if (data instanceof Uint8Array) return "U8";
  return "F32";
}

/** A tensor as found in a file: its header entry, and a reader that converts it to float32. */
export interface StoredTensor {
  readonly name: string;
  readonly dtype: string;
  readonly shape: readonly number[];
  /** Byte range inside the data part (after the header). */
  readonly begin: number;
  readonly end: number;
  /** The values as float32 (a fresh copy); throws for dtypes other than F64, F32, F16, BF16 and I64. */
  toFloat32(): Float32Array;
  /** The values as float64 (a fresh copy); same dtypes as toFloat32. */
  toFloat64(): Float64Array;
  /** The stored bits (a fresh copy): a Uint8Array for U8, a Uint16Array for BF16; throws for other dtypes. */
  toBits(): Uint8Array | Uint16Array;
}

export interface SafetensorsFile {
  readonly tensors: Map<string, StoredTensor>;
  readonly metadata: Record<string, string>;
}

const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Serializes tensors (in the given order) and string metadata into one safetensors byte array. */
export function encodeSafetensors(tensors: Iterable<readonly [string, TensorToWrite]>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== "string") throw new TypeError(`safetensors metadata '${k}' must be a string, got ${typeof v}`);
    }
    header.__metadata__ = metadata;
  }
  const parts: { data: TensorToWrite["data"]; begin: number }[] = [];
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === "__metadata__" || name in header) throw new Error(`safetensors: duplicate or reserved tensor name '${name}'`);
    const elements = t.shape.reduce((a, b) => a * b, 1);
    if (t.shape.some((d) => !Number.isInteger(d) || d < 0) || elements !== t.data.length) {
      throw new RangeError(`safetensors: tensor '${name}' has shape [${t.shape.join(", ")}] but ${t.data.length} values`);
    }
    const dtype = dtypeOf(t.data);
    header[name] = { dtype, shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    parts.push({ data: t.data, begin: offset });
    offset += t.data.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const headerBytes = Math.ceil(json.length / 8) * 8;
  const out = new Uint8Array(8 + headerBytes + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes), true);
  out.set(json, 8);
  out.fill(0x20, 8 + json.length, 8 + headerBytes);
  const dataStart = 8 + headerBytes;
  for (const { data, begin } of parts) {
    if (LITTLE_ENDIAN_HOST) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), dataStart + begin);
    } else {
      const size = data.BYTES_PER_ELEMENT;
      for (let i = 0; i < data.length; i++) {
        const at = dataStart + begin + i * size;
        if (data instanceof BigInt64Array) view.setBigInt64(at, data[i]!, true);
        else if (data instanceof Uint8Array) view.setUint8(at, data[i]!);
        else if (data instanceof Uint16Array) view.setUint16(at, data[i]!, true);
        else if (data instanceof Float64Array) view.setFloat64(at, data[i]!, true);
        else view.setFloat32(at, data[i]!, true);
      }
    }
  }
  return out;
}

/** Parses and validates safetensors bytes. `source` (a file name) prefixes every error message. */
export function decodeSafetensors(bytes: Uint8Array, source = "safetensors data"): SafetensorsFile {
  return decode(bytes, source, bytes.length);
}

/**
 * Validates the start of a safetensors file of `fileLength` bytes (at least its first 8 bytes, then its 8 + N
 * header bytes) before the rest is read: the header length against the file size and a sane maximum, then every
 * tensor's dtype, shape and offsets against the file's data part. Returns the bytes needed to validate (8, then
 * 8 + N), or 0 when `prefix` held them all and the header is valid. Throws a DataError as decodeSafetensors.
 */
export function checkSafetensorsPrefix(prefix: Uint8Array, fileLength: number, source = "safetensors data"): number {
  if (fileLength >= 8 && prefix.length < 8) return 8;
  if (prefix.length >= 8) {
    const n = new DataView(prefix.buffer, prefix.byteOffset, 8).getBigUint64(0, true);
    if (n <= BigInt(Math.max(0, fileLength - 8)) && n <= BigInt(MAX_HEADER_BYTES) && prefix.length < 8 + Number(n)) return 8 + Number(n);
  }
  decode(prefix, source, fileLength); // throws, or validates the header
  return 0;
}

function decode(bytes: Uint8Array, source: string, fileLength: number): SafetensorsFile {
  const fail = (what: string): never => {
    throw new DataError(source, what);
  };
  if (fileLength < 8) fail(`truncated: ${fileLength} bytes, fewer than the 8-byte header length${fileLength === 0 ? " (the file is empty)" : ""}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(fileLength - 8)) {
    fail(`the header length ${headerLength} goes beyond the end of the file (${fileLength} bytes): truncated or not a safetensors file`);
  }
  if (headerLength > BigInt(MAX_HEADER_BYTES)) fail(`the header length ${headerLength} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (e) {
    fail(`the header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("the header is not a JSON object");
  const dataStart = 8 + n;
  const dataLength = fileLength - dataStart;
  const metadata: Record<string, string> = {};
  const tensors = new Map<string, StoredTensor>();
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail("__metadata__ is not an object");
      for (const [k, v] of Object.entries(entry as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__ value '${k}' is not a string`);
        metadata[k] = v as string;
      }
      continue;
    }
    tensors.set(name, parseEntry(name, entry, fail, bytes, dataStart, dataLength));
  }
  checkTiling([...tensors.values()], dataLength, fail);
  return { tensors, metadata };
}

function parseEntry(
  name: string,
  entry: unknown,
  fail: (what: string) => never,
  bytes: Uint8Array,
  dataStart: number,
  dataLength: number,
): StoredTensor {
  if (typeof entry !== "object" || entry === null || Array.isArray(entry)) fail(`tensor '${name}': the header entry is not an object`);
  const { dtype, shape, data_offsets: offsets } = entry as Record<string, unknown>;
  if (typeof dtype !== "string" || !Object.hasOwn(ITEM_BYTES, dtype)) {
    fail(`tensor '${name}': unknown dtype ${JSON.stringify(dtype)} (known: ${Object.keys(ITEM_BYTES).join(", ")})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`tensor '${name}': invalid shape ${JSON.stringify(shape)}`);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every((o) => Number.isSafeInteger(o) && o >= 0)) {
    fail(`tensor '${name}': invalid data_offsets ${JSON.stringify(offsets)}`);
  }
  const [begin, end] = offsets as [number, number];
  const dims = shape as number[];
  const expected = dims.reduce((a, b) => a * b, 1) * ITEM_BYTES[dtype as string]!;
  if (end < begin || end > dataLength) {
    fail(`tensor '${name}': data_offsets [${begin}, ${end}] out of range (the data part has ${dataLength} bytes)`);
  }
  if (!Number.isSafeInteger(expected) || end - begin !== expected) {
    fail(`tensor '${name}': shape [${dims.join(", ")}] of ${dtype} needs ${expected} bytes, data_offsets [${begin}, ${end}] give ${end - begin}`);
  }
  const read = <T extends Float32Array | Float64Array>(make: (n: number) => T): T => {
    const count = expected / ITEM_BYTES[dtype as string]!;
    const out = make(count);
    readInto(out, dtype as string, bytes, dataStart + begin, count, (what) => fail(`tensor '${name}': ${what}`));
    return out;
  };
  return {
    name, dtype: dtype as string, shape: dims, begin, end,
    toFloat32: () => read((n) => new Float32Array(n)),
    toFloat64: () => read((n) => new Float64Array(n)),
    toBits: () => {
      const count = expected / ITEM_BYTES[dtype as string]!;
      if (dtype === "U8") return bytes.slice(dataStart + begin, dataStart + end);
      if (dtype !== "BF16") fail(`tensor '${name}': dtype ${dtype} holds no bf16 or byte values`);
      const view = new DataView(bytes.buffer, bytes.byteOffset + dataStart + begin, 2 * count);
      return Uint16Array.from({ length: count }, (_, i) => view.getUint16(2 * i, true));
    },
  };
}

function readInto(out: Float32Array | Float64Array, dtype: string, bytes: Uint8Array, at: number, count: number, fail: (what: string) => never): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset + at, count * ITEM_BYTES[dtype]!);
  switch (dtype) {
    case "F32":
      if (LITTLE_ENDIAN_HOST && out instanceof Float32Array) {
        new Uint8Array(out.buffer).set(bytes.subarray(at, at + 4 * count));
      } else {
        for (let i = 0; i < count; i++) out[i] = view.getFloat32(4 * i, true);
      }
      return;
    case "F64":
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(8 * i, true);
      return;
    case "I64":
      for (let i = 0; i < count; i++) out[i] = Number(view.getBigInt64(8 * i, true));
      return;
    case "F16":
      for (let i = 0; i < count; i++) out[i] = halfToFloat(view.getUint16(2 * i, true));
      return;
    case "BF16": {
      const word = new DataView(new ArrayBuffer(4));
      for (let i = 0; i < count; i++) {
        word.setUint32(0, view.getUint16(2 * i, true) << 16);
        out[i] = word.getFloat32(0);
      }
      return;
    }
    default:
      fail(`dtype ${dtype} cannot be read as floating point values (F64, F32, F16, BF16 and I64 can)`);
  }
}

/** IEEE 754 binary16 to a number. */
function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * fraction * 2 ** -24;
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * (1 + fraction / 1024) * 2 ** (exponent - 15);
}

/** The tensors must cover the data part exactly, without gaps or overlaps (as the reference reader requires). */
function checkTiling(tensors: StoredTensor[], dataLength: number, fail: (what: string) => never): void {
  const sorted = [...tensors].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let at = 0;
  for (const t of sorted) {
    if (t.begin !== at) {
      fail(t.begin < at ? `tensor '${t.name}' overlaps the previous tensor (starts at byte ${t.begin}, before ${at})`
        : `a gap of ${t.begin - at} bytes before tensor '${t.name}' in the data part`);
    }
    at = t.end;
  }
  if (at !== dataLength) fail(`the data part has ${dataLength} bytes but the tensors cover ${at}: truncated or trailing bytes`);
}
