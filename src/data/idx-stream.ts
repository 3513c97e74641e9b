// IDX from a stream of byte chunks (a gunzip stream, a file read piece by piece, a fetch body): the header first,
// then the values written straight into one buffer of exactly their size, allocated as soon as the header gives
// the dimensions. No chunk list to concatenate, no copy of the whole file: the data exist once. With an engine,
// u8 values (images) go into its memory, where a DataLoader uses them in place.
//
// The header's sizes are checked before anything is reserved: against what the engine (or a typed array) can
// hold, and against what the caller knows of the file (checkHeader: its size, a gzip trailer). The stream is
// read no further than the first byte past the declared values, so trailing garbage, or a gzip that inflates
// far beyond its header, stops there. A read that fails after reserving engine memory gives the space back.
import type { Engine } from "../engine/engine.js";
import { U8Slice } from "../engine/views.js";
import { DataError } from "./errors.js";
import { checkIdxDeclared, checkIdxLength, idxHeaderSize, idxValues, parseIdxHeader, type IdxArray, type IdxExpectation, type IdxHeader } from "./idx-header.js";

export interface IdxReadOptions {
  /** Read u8 values into this engine's memory (an engine.allocU8 slice); other types stay JS typed arrays. */
  engine?: Engine;
  /**
   * Called with the validated header before anything is reserved; throws (a DataError) to refuse the file, e.g.
   * when its declared size does not match the file's.
   */
  checkHeader?: (header: IdxHeader) => void | Promise<void>;
}

/** Reads and validates IDX bytes arriving in chunks; errors name `source` as parseIdx's do. */
export async function readIdxChunks(
  chunks: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  source: string,
  expect: IdxExpectation = {},
  options: IdxReadOptions = {},
): Promise<IdxArray> {
  let head: Uint8Array = new Uint8Array(0);
  let header: IdxHeader | null = null;
  let reserved: number | null = null; // the values' place in the engine's memory (grown as they arrive)
  let array: Uint8Array | null = null; // or the values' JS array
  let filled = 0, extra = 0;
  const engine = options.engine;
  try {
    for await (const chunk of chunks) {
      let rest = chunk;
      while (!header && rest.length > 0) {
        const take = Math.min(idxHeaderSize(head) - head.length, rest.length);
        head = concat(head, rest.subarray(0, take));
        rest = rest.subarray(take);
        if (head.length === idxHeaderSize(head)) {
          const parsed = parseIdxHeader(head, source, expect);
          checkIdxDeclared(parsed, source, options.engine);
          await options.checkHeader?.(parsed);
          header = parsed;
          if (header.dtype === "u8" && engine) reserved = engine.arena.reserve(header.dataBytes, 64, "them");
          else array = new Uint8Array(header.dataBytes);
        }
      }
      if (!header) continue;
      const take = Math.min(header.dataBytes - filled, rest.length);
      if (reserved !== null) {
        // Grow only as far as the data reach: a file shorter than declared leaves the memory smaller.
        engine!.arena.ensure(reserved + filled + take, take);
        new Uint8Array(engine!.memory.buffer, reserved + filled, take).set(rest.subarray(0, take)); // another reader may have grown it
      } else array!.set(rest.subarray(0, take), filled);
      filled += take;
      extra += rest.length - take;
      if (extra > 0) break; // read no further than one byte past what the header declares
    }
    header ??= parseIdxHeader(head, source, expect); // throws: the stream ended inside the header
    checkIdxLength(header, filled + extra, source, extra > 0);
  } catch (e) {
    if (reserved !== null) engine!.arena.release(reserved, header!.dataBytes);
    throw e;
  }
  if (reserved !== null) {
    engine!.arena.ensure(reserved + header.dataBytes); // (no-op unless there are no values at all)
    const slice = new U8Slice(engine!.memory, reserved, header.dataBytes);
    return { source, dtype: header.dtype, dims: header.dims, data: slice.array, resident: { engine: engine!, slice } };
  }
  const data = idxValues(array!, header);
  return { source, dtype: header.dtype, dims: header.dims, data };
}

/** What a reader knows of the bytes behind a stream, to check a header's declared size against. */
export interface IdxSourceSize {
  /** Bytes of the file (compressed, when gzipped). */
  size: number;
  gzipped: boolean;
  /** A gzip file's ISIZE trailer: the inflated size mod 2^32 (null when too short to have one). */
  trailer: number | null;
  /** Counts the inflated bytes, stopping at `stopAt`: for when the trailer disagrees. */
  count: (stopAt: number) => Promise<number>;
}

/** Deflate's best ratio is 1032:1; a gzip file of n bytes inflates to at most this many bytes. */
export const maxInflated = (compressed: number) => 1032 * compressed + 1024;

/** The gzip trailer of `bytes` (ISIZE, little-endian in the last 4 bytes), or null. */
export function gzipTrailer(bytes: Uint8Array): number | null {
  return bytes.length >= 20 ? new DataView(bytes.buffer, bytes.byteOffset + bytes.length - 4, 4).getUint32(0, true) : null;
}

/**
 * A checkHeader that refuses a header whose declared size the file cannot have: an uncompressed file must be
 * exactly that size; a gzipped one must be able to inflate to it, and its trailer must agree (otherwise a counting
 * pass, stopping one byte past the declared size, decides).
 */
export function checkDeclaredSize(file: IdxSourceSize, source: string): (h: IdxHeader) => Promise<void> {
  return async (h) => {
    const total = h.headerBytes + h.dataBytes;
    const declared = `the header declares ${h.dims.join(" × ")} values of ${h.dtype}: ${total} bytes with the ${h.headerBytes}-byte header`;
    if (!file.gzipped) return checkIdxLength(h, file.size - h.headerBytes, source);
    const most = maxInflated(file.size);
    if (total > most) throw new DataError(source, `${declared}, more than a gzip file of ${file.size} bytes can inflate to (${most}): truncated or a wrong header`);
    if (file.trailer === total % 2 ** 32) return;
    const inflated = await file.count(total + 1);
    checkIdxLength(h, inflated - h.headerBytes, source, inflated > total);
  };
}

/** Counts the bytes of a chunk stream, stopping at `stopAt`. */
export async function countChunks(chunks: AsyncIterable<Uint8Array>, stopAt: number): Promise<number> {
  let n = 0;
  for await (const chunk of chunks) {
    n += chunk.length;
    if (n >= stopAt) break;
  }
  return n;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
