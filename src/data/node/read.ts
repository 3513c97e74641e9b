// Node-only: reading data files from disk (gzipped or not, by their bytes, with node:zlib). The parsers they
// call take bytes or text and run anywhere.
import { createReadStream } from "node:fs";
import { open, readFile } from "node:fs/promises";
import { pipeline } from "node:stream";
import { promisify } from "node:util";
import { createGunzip, gunzip } from "node:zlib";
import { parseCsv, type CsvOptions } from "../csv.js";
import type { Dataset } from "../dataset.js";
import { isGzip } from "../gzip.js";
import type { IdxArray, IdxExpectation } from "../idx.js";
import { readIdxChunks, type IdxReadOptions } from "../idx-stream.js";

const gunzipAsync = promisify(gunzip);

/** A file's bytes, decompressed when they are gzip. Errors name the path. */
export async function readMaybeGzipped(path: string): Promise<Uint8Array> {
  const bytes = await readFile(path);
  if (!isGzip(bytes)) return bytes;
  try {
    return await gunzipAsync(bytes);
  } catch (e) {
    throw new Error(`${path}: corrupt or truncated gzip data (${(e as Error).message})`);
  }
}

/**
 * Reads and validates an IDX file (.gz or not), streamed: the values are decompressed straight into one buffer of
 * their size (with `engine`, u8 values into its memory), never the whole file at once.
 */
export async function readIdxFile(path: string, expect: IdxExpectation = {}, options: IdxReadOptions = {}): Promise<IdxArray> {
  return readIdxChunks(fileChunks(path), path, expect, options);
}


// Small pieces: every piece a stream hands out is a new Buffer, garbage once copied, and with pieces of 16 KiB read
// and 4 KiB decompressed it is collected young. With Node's defaults (64 KiB, 16 KiB), reading Fashion-MNIST peaks
// ~10 MiB higher; with 64 KiB out, ~30 MiB. It costs ~0.1 s on Fashion-MNIST's 55 MB.
const READ_BYTES = 1 << 14;
const GUNZIP_BYTES = 1 << 12;

/** A file's bytes in chunks, decompressed on the way when they are gzip. Errors name the path. */
async function* fileChunks(path: string): AsyncGenerator<Uint8Array, void, undefined> {
  const magic = new Uint8Array(2);
  const handle = await open(path);
  try {
    await handle.read(magic, 0, 2, 0);
  } finally {
    await handle.close();
  }
  const file = createReadStream(path, { highWaterMark: READ_BYTES });
  const gzipped = isGzip(magic);
  const stream = gzipped ? pipeline(file, createGunzip({ chunkSize: GUNZIP_BYTES }), () => {}) : file;
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    const zlibError = gzipped && String((e as NodeJS.ErrnoException).code).startsWith("Z_");
    throw zlibError ? new Error(`${path}: corrupt or truncated gzip data (${(e as Error).message})`) : e;
  } finally {
    stream.destroy(); // a reader that stopped early (an invalid header) stops reading the file
  }
}

/** Reads a numeric CSV file (.gz or not) into a Dataset; see parseCsv for the options. */
export async function readCsvFile(path: string, options: Omit<CsvOptions, "name"> = {}): Promise<Dataset> {
  return parseCsv(new TextDecoder().decode(await readMaybeGzipped(path)), { ...options, name: path });
}
