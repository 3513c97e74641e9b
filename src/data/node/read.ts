// Node-only: reading data files from disk (gzipped or not, by their bytes, with node:zlib). The parsers they
// call take bytes or text and run anywhere.
//
// Every path is opened with openRegularFile (a directory, a FIFO, a device, a missing file: a DataError before a
// byte is read). IDX files are checked against their header before anything is reserved: an uncompressed file's
// size must be the declared size; a gzipped one must be able to inflate to it (at most ~1032 bytes per byte),
// and its trailer's size must agree, or a counting pass (stopping one byte past the declared size) decides.
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream";
import { promisify } from "node:util";
import { getHeapStatistics } from "node:v8";
import { createGunzip, gunzip } from "node:zlib";
import { DataError } from "../errors.js";
import { parseCsv, type CsvOptions } from "../csv.js";
import type { Dataset } from "../dataset.js";
import { isGzip } from "../gzip.js";
import type { IdxArray, IdxExpectation } from "../idx.js";
import { checkDeclaredSize, countChunks, readIdxChunks, type IdxReadOptions } from "../idx-stream.js";
import { readAt, readRegularFile, withRegularFile } from "./file.js";

const gunzipAsync = promisify(gunzip);

/** The most bytes a text file (CSV) may have, or inflate to: V8's longest string is ~2^29 characters. */
export const MAX_TEXT_BYTES = 2 ** 29 - 64;

/**
 * A file's bytes, decompressed when they are gzip (inflated no further than `maxBytes` + 1). Errors (a DataError)
 * name the path.
 */
export async function readMaybeGzipped(path: string, maxBytes = MAX_TEXT_BYTES, what = "data file"): Promise<Uint8Array> {
  const bytes = await readRegularFile(path, what, maxBytes);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes, { maxOutputLength: maxBytes });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_BUFFER_TOO_LARGE") {
      throw new DataError(path, `inflates to more than ${maxBytes} bytes, the most a ${what} may have here`, { cause: e });
    }
    throw new DataError(path, `corrupt or truncated gzip data (${(e as Error).message})`, { cause: e });
  }
}

/**
 * Reads and validates an IDX file (.gz or not), streamed: the values are decompressed straight into one buffer of
 * their size (with `engine`, u8 values into its memory), never the whole file at once. Declared sizes are checked
 * against the file before anything is reserved, and nothing is read past them.
 */
export async function readIdxFile(path: string, expect: IdxExpectation = {}, options: IdxReadOptions = {}): Promise<IdxArray> {
  const { size, gzipped, trailer } = await withRegularFile(path, "IDX file", Infinity, async (handle, size) => {
    const gzipped = isGzip(await readAt(handle, 0, 2));
    let trailer: number | null = null;
    if (gzipped && size >= 20) {
      const tail = await readAt(handle, size - 4, 4);
      trailer = new DataView(tail.buffer, tail.byteOffset, 4).getUint32(0, true); // ISIZE: the inflated size mod 2^32
    }
    return { size, gzipped, trailer };
  });
  const checkHeader = checkDeclaredSize({ size, gzipped, trailer, count: (stopAt) => countChunks(fileChunks(path, true, Infinity), stopAt) }, path);
  return readIdxChunks(fileChunks(path, gzipped, size), path, expect, { ...options, checkHeader: options.checkHeader ?? checkHeader });
}

// Small pieces: every piece a stream hands out is a new Buffer, garbage once copied, and with pieces of 16 KiB read
// and 4 KiB decompressed it is collected young. With Node's defaults (64 KiB, 16 KiB), reading Fashion-MNIST peaks
// ~10 MiB higher; with 64 KiB out, ~30 MiB. It costs ~0.1 s on Fashion-MNIST's 55 MB.
const READ_BYTES = 1 << 14;
const GUNZIP_BYTES = 1 << 12;

/** A regular file's first `size` bytes in chunks, decompressed on the way when gzipped. Errors name the path. */
async function* fileChunks(path: string, gzipped: boolean, size: number): AsyncGenerator<Uint8Array, void, undefined> {
  if (size === 0) return;
  const file = createReadStream(path, { highWaterMark: READ_BYTES, start: 0, ...(Number.isFinite(size) && { end: size - 1 }) });
  const stream = gzipped ? pipeline(file, createGunzip({ chunkSize: GUNZIP_BYTES }), () => {}) : file;
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    const zlibError = gzipped && String((e as NodeJS.ErrnoException).code).startsWith("Z_");
    throw zlibError ? new DataError(path, `corrupt or truncated gzip data (${(e as Error).message})`, { cause: e })
      : new DataError(path, `cannot read the file: ${(e as Error).message}`, { cause: e });
  } finally {
    stream.destroy(); // a reader that stopped early (an invalid header) stops reading the file
  }
}

/** Reads a numeric CSV file (.gz or not) into a Dataset; see parseCsv for the options. */
export async function readCsvFile(path: string, options: Omit<CsvOptions, "name"> = {}): Promise<Dataset> {
  // The text is parsed as one string on the JavaScript heap: a file that the heap cannot hold with room to parse
  // is refused up front, rather than ending the process with V8's fatal out-of-memory error.
  const heap = getHeapStatistics().heap_size_limit;
  const limit = Math.min(MAX_TEXT_BYTES, Math.floor(heap / 3));
  let bytes: Uint8Array;
  try {
    bytes = await readMaybeGzipped(path, limit, "CSV file");
  } catch (e) {
    if (e instanceof DataError && limit < MAX_TEXT_BYTES && /may have here$/.test(e.message)) {
      throw new DataError(path, `${e.message.slice(path.length + 2)} (a third of this process's ${heap}-byte JavaScript heap): run node with a larger --max-old-space-size, or split the file`, { cause: e });
    }
    throw e;
  }
  let text: string;
  try {
    text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch (e) {
    throw new DataError(path, `is not UTF-8 text (${(e as Error).message}): not a CSV file`, { cause: e });
  }
  return parseCsv(text, { ...options, name: path });
}
