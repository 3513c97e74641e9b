// The code every thread of a pool runs, the calling thread included. A worker evaluates String(threadMain)
// (Node: `new Worker(source, { eval: true })`; browsers: a Blob URL), so the function must reference nothing
// outside itself: no imports (but of types), no module-level names, and no named function inside it either (a bundler's keepNames
// wraps those in a helper of the module: hence the object method). The layout comes in `init` (pool.ts, LAYOUT).

import type { WasmMemory, WasmModule } from "../../kernels/wasm-types.js";

/** What a thread is told once, when it starts. */
export interface ThreadInit {
  /** A worker instantiates the module on the memory; the calling thread passes its instance's exports instead. */
  module?: WasmModule;
  exports?: Record<string, unknown>;
  memory: WasmMemory;
  /** This thread's number (0: the calling thread). */
  thread: number;
  /** Byte offset of the control block. */
  control: number;
  /** Byte offset of this worker's GEMM pack scratch (the calling thread uses the one its caller passes). */
  pack?: number;
  /** The kernel names, by kernel id. */
  names: readonly string[];
  layout: {
    generation: number;
    quit: number;
    sleepers: number;
    claim: number;
    finished: number;
    job: number;
    piecesAt: number;
    pieceFloats: number;
    maxPieces: number;
    partialsAt: number;
    maxChunks: number;
    chunk: number;
    spins: number;
  };
}

/**
 * Sets up this thread's view of the control block. On a worker (with `ready`): reports ready, then waits for jobs
 * and runs pieces of each until told to quit. On the calling thread (no `ready`): returns the function that runs
 * pieces of the current job, which the caller calls after publishing one.
 *
 * A job is cut into pieces, each a complete kernel call (its arguments in a row of the piece table), and every
 * thread claims pieces until none is left: the claim word holds (generation mod 2²³)·256 + the next piece, taken
 * with compareExchange, so a thread that wakes late cannot claim a piece of a newer job it has not seen. Which
 * thread runs a piece does not change its result, so the bits never depend on the timing, and a thread that the
 * OS does not schedule only leaves more pieces to the others.
 */
export function threadMain(init: ThreadInit, ready?: () => void): ((generation: number) => unknown) | undefined {
  const { memory, control, layout: L } = init;
  const exports = (init.exports ?? new WebAssembly.Instance(init.module as WebAssembly.Module, { env: { memory: memory as WebAssembly.Memory } }).exports) as Record<string, (...args: number[]) => number>;
  const fns = init.names.map((name) => exports[name]!);
  const i32 = new Int32Array(memory.buffer, control, L.piecesAt / 4);
  const rows = new Float64Array(memory.buffer, control + L.piecesAt, L.maxPieces * L.pieceFloats);
  const partials = new Float64Array(memory.buffer, control + L.partialsAt, L.maxChunks);
  // The job: int32 slots kernel id, mode (0: one call per piece, 1: a chunked sum), pointer count (sums), pieces,
  // argument index of the GEMM pack (-1: none), error flag.
  const J = L.job;

  const job = {
    /** Runs pieces of the job of `generation` until none is left; returns the first error a piece threw. */
    run(generation: number): unknown {
      const tag = (generation & 0x7fffff) * 256;
      let failure: unknown = undefined;
      for (;;) {
        const word = Atomics.load(i32, L.claim);
        if (word - (word & 255) !== tag) return failure;
        const piece = word & 255;
        const count = Atomics.load(i32, J + 3);
        if (piece >= count) return failure;
        if (Atomics.compareExchange(i32, L.claim, word, word + 1) !== word) continue;
        const b = piece * L.pieceFloats; // the piece's arguments: rows[b .. b+15], its result at rows[b+16]
        try {
          const fn = fns[i32[J]!]!;
          if (init.pack !== undefined && i32[J + 4]! >= 0) rows[b + i32[J + 4]!] = init.pack;
          if (i32[J + 1] === 0) {
            rows[b + 16] = fn(rows[b]!, rows[b + 1]!, rows[b + 2]!, rows[b + 3]!, rows[b + 4]!, rows[b + 5]!, rows[b + 6]!, rows[b + 7]!, rows[b + 8]!, rows[b + 9]!, rows[b + 10]!, rows[b + 11]!, rows[b + 12]!, rows[b + 13]!, rows[b + 14]!, rows[b + 15]!);
          } else {
            // A chunked sum: (x[, y], n, first chunk, end chunk); one float64 partial per chunk.
            const pointers = i32[J + 2]!;
            const n = rows[b + pointers]!;
            for (let c = rows[b + pointers + 1]!; c < rows[b + pointers + 2]!; c++) {
              const offset = 4 * c * L.chunk;
              const length = Math.min(L.chunk, n - c * L.chunk);
              partials[c] = pointers === 1 ? fn(rows[b]! + offset, length) : fn(rows[b]! + offset, rows[b + 1]! + offset, length);
            }
          }
        } catch (e) {
          failure ??= e;
          Atomics.store(i32, J + 5, 1);
        }
        if (Atomics.add(i32, L.finished, 1) + 1 === count) Atomics.notify(i32, L.finished);
      }
    },
  };
  if (!ready) return job.run;

  ready();
  let seen = Atomics.load(i32, L.generation);
  for (;;) {
    // Spin briefly (the next kernel of a step usually follows within microseconds), then sleep.
    let spins = 0;
    while (Atomics.load(i32, L.generation) === seen) {
      if (++spins < L.spins) continue;
      Atomics.add(i32, L.sleepers, 1);
      Atomics.wait(i32, L.generation, seen);
      Atomics.sub(i32, L.sleepers, 1);
      spins = 0;
    }
    seen = Atomics.load(i32, L.generation);
    if (Atomics.load(i32, L.quit)) return undefined;
    job.run(seen);
  }
}
