// IDX from a stream of byte chunks (a gunzip stream, a file read piece by piece, a fetch body): the header first,
// then the values written straight into one buffer of exactly their size, allocated as soon as the header gives
// the dimensions. No chunk list to concatenate, no copy of the whole file: the data exist once. With an engine,
// u8 values (images) go into its memory, where a DataLoader uses them in place.
import type { Engine } from "../engine/engine.js";
import type { U8Slice } from "../engine/views.js";
import { checkIdxLength, idxHeaderSize, idxValues, parseIdxHeader, type IdxArray, type IdxExpectation, type IdxHeader } from "./idx-header.js";

export interface IdxReadOptions {
  /** Read u8 values into this engine's memory (an engine.allocU8 slice); other types stay JS typed arrays. */
  engine?: Engine;
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
  let slice: U8Slice | null = null; // the values' place in the engine's memory
  let target: { readonly array: Uint8Array } = { array: head };
  let filled = 0, extra = 0;
  for await (const chunk of chunks) {
    let rest = chunk;
    while (!header && rest.length > 0) {
      const take = Math.min(idxHeaderSize(head) - head.length, rest.length);
      head = concat(head, rest.subarray(0, take));
      rest = rest.subarray(take);
      if (head.length === idxHeaderSize(head)) {
        header = parseIdxHeader(head, source, expect);
        if (header.dtype === "u8" && options.engine) target = slice = options.engine.allocU8(header.dataBytes);
        else target = { array: new Uint8Array(header.dataBytes) };
      }
    }
    if (!header) continue;
    const take = Math.min(header.dataBytes - filled, rest.length);
    target.array.set(rest.subarray(0, take), filled); // a slice's array is re-made if another reader grew the memory
    filled += take;
    extra += rest.length - take;
  }
  header ??= parseIdxHeader(head, source, expect); // throws: the stream ended inside the header
  checkIdxLength(header, filled + extra, source);
  const data = idxValues(target.array, header);
  return { source, dtype: header.dtype, dims: header.dims, data, ...(slice && { resident: { engine: options.engine!, slice } }) };
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
