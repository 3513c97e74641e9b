// Gzip detection and decompression with the web platform's DecompressionStream (browsers, workers, Deno, Bun and
// Node ≥ 18), so that parsers taking bytes also take .gz bytes anywhere.

/** True when the bytes start with the gzip magic number 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/** Decompresses gzip bytes; a corrupt or truncated stream throws an Error naming `source`. */
export async function gunzip(bytes: Uint8Array, source: string): Promise<Uint8Array> {
  if (typeof DecompressionStream === "undefined") {
    throw new Error(`${source}: gzip data, and this runtime has no DecompressionStream to decompress it`);
  }
  try {
    const stream = new Blob([bytes as Uint8Array<ArrayBuffer>]).stream().pipeThrough(new DecompressionStream("gzip"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new Error(`${source}: corrupt or truncated gzip data (${(e as Error).message})`);
  }
}
