import type { Engine } from "./engine.js";
import { F32Slice } from "./views.js";

/**
 * A region of two parallel flat buffers in linear memory: parameter values and their gradients, with the same
 * layout. Parameters allocated one after another in a chunk are contiguous, so an optimizer updates all of them
 * with one kernel call.
 */
export class ParamChunk {
  used = 0;
  constructor(
    readonly id: number,
    readonly dataPtr: number,
    readonly gradPtr: number,
    readonly capacity: number,
  ) {}
}

/** A trainable tensor: `.data` and `.grad` are Float32Array views into the engine's WebAssembly memory. */
export class Parameter {
  readonly dataSlice: F32Slice;
  readonly gradSlice: F32Slice;

  constructor(
    readonly engine: Engine,
    readonly chunk: ParamChunk,
    /** Element offset inside the chunk. */
    readonly offset: number,
    readonly length: number,
    readonly shape: readonly number[] = [length],
    public name = "",
  ) {
    this.dataSlice = new F32Slice(engine.memory, chunk.dataPtr + 4 * offset, length);
    this.gradSlice = new F32Slice(engine.memory, chunk.gradPtr + 4 * offset, length);
  }

  /** The values (a view, valid after memory growth: read it again rather than keeping it). */
  get data(): Float32Array {
    return this.dataSlice.array;
  }

  /** The gradient, same layout as `data`. */
  get grad(): Float32Array {
    return this.gradSlice.array;
  }
}

/** A maximal run of parameters that sit next to each other in one chunk: one kernel call updates it. */
export interface ParamRun {
  readonly params: readonly Parameter[];
  readonly dataPtr: number;
  readonly gradPtr: number;
  readonly length: number;
}

/** Groups parameters into contiguous runs (usually one per model). Throws on a parameter listed twice. */
export function contiguousRuns(params: readonly Parameter[]): ParamRun[] {
  const seen = new Set<Parameter>();
  for (const p of params) {
    if (seen.has(p)) throw new Error(`parameter '${p.name || "(unnamed)"}' appears more than once in the list`);
    seen.add(p);
  }
  const sorted = [...params].sort((a, b) => a.chunk.id - b.chunk.id || a.offset - b.offset);
  const runs: ParamRun[] = [];
  let current: Parameter[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const first = current[0]!;
    const last = current[current.length - 1]!;
    runs.push({
      params: current,
      dataPtr: first.dataSlice.ptr,
      gradPtr: first.gradSlice.ptr,
      length: last.offset + last.length - first.offset,
    });
    current = [];
  };
  for (const p of sorted) {
    const prev = current[current.length - 1];
    if (prev && (prev.chunk !== p.chunk || prev.offset + prev.length !== p.offset)) flush();
    current.push(p);
  }
  flush();
  return runs;
}
