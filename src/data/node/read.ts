// Node-only: reading data files from disk (gzipped or not, by their bytes, with node:zlib). The parsers they
// call take bytes or text and run anywhere.
import { readFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip } from "node:zlib";
import { parseCsv, type CsvOptions } from "../csv.js";
import type { Dataset } from "../dataset.js";
import { isGzip } from "../gzip.js";
import { parseIdx, type IdxArray, type IdxExpectation } from "../idx.js";

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

/** Reads and validates an IDX file (.gz or not). */
export async function readIdxFile(path: string, expect: IdxExpectation = {}): Promise<IdxArray> {
  return parseIdx(await readMaybeGzipped(path), path, expect);
}

/** Reads a numeric CSV file (.gz or not) into a Dataset; see parseCsv for the options. */
export async function readCsvFile(path: string, options: Omit<CsvOptions, "name"> = {}): Promise<Dataset> {
  return parseCsv(new TextDecoder().decode(await readMaybeGzipped(path)), { ...options, name: path });
}
