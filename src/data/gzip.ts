// Gzip detection and decompression with the web platform's DecompressionStream (browsers, workers, Deno, Bun and
// Node ≥ 18), so that parsers taking bytes also take .gz bytes anywhere.
import { DataError } from "./errors.js";

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes piece by piece (a stream's chunks); a corrupt or truncated stream throws naming `source`. */
export async function* gunzipChunks(bytes: Uint8Array, source: string): AsyncGenerator<Uint8Array, void, undefined> {
  if (typeof DecompressionStream === "undefined") {
    throw new DataError(source, `gzip data, and this runtime has no DecompressionStream to decompress it`);
  }
  const reader = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip")).getReader();
  try {
    for (;;) {
      let next: ReadableStreamReadResult<Uint8Array>;
      try {
        next = await reader.read();
      } catch (e) {
        throw new DataError(source, `corrupt or truncated gzip data (${(e as Error).message})`);
      }
      if (next.done) return;
      yield next.value;
    }
  } finally {
    void reader.cancel().catch(() => {}); // a consumer that stopped early (an invalid header) stops the decompression
  }
}
