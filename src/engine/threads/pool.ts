// A pool of threads-1 workers that run kernels on the engine's shared memory, with the calling thread as thread 0.
//
// Every worker instantiates the same kernel module on the same memory. The kernels keep no state in memory (no
// stack in memory, no mutable statics: locals are wasm locals, and the static data below heap_base is constant),
// so the instances cannot collide; the only scratch a kernel uses is what its arguments point at, and the GEMM
// pack buffer is one per thread. Instantiating writes the module's constant data segments again, which every
// worker does while createEngine waits, before any kernel runs.
//
// Dispatch, with no message after start-up (worker-main.ts has the details): the calling thread writes a job —
// the kernel id and one row of float64 arguments per piece — resets `finished`, publishes the claim word of the
// new generation, bumps `generation` and wakes the workers that sleep (Atomics.notify, only when `sleepers` > 0).
// Then every thread, the caller too, claims pieces until none is left, and the caller waits until `finished`
// counts every piece. Workers spin on `generation` for a while after each job (a step's next kernel usually
// follows within microseconds) before they sleep in Atomics.wait. The layout is LAYOUT, and docs/ARCHITECTURE.md.
import type { Arena } from "../arena.js";
import type { WasmMemory, WasmModule } from "../../kernels/wasm-types.js";
import { GEMM_PACK_FLOATS, KERNEL_NAMES, WASM_CONSTANTS } from "../../kernels/kernels.js";
import { threadMain, type ThreadInit } from "./worker-main.js";

/** Floats per chunk of the chunked sums (assembly/linalg/reduce.ts): a threaded sum splits at chunk boundaries. */
export const REDUCE_CHUNK: number = WASM_CONSTANTS.REDUCE_CHUNK;

/**
 * The control block, from its byte offset (int32 slots unless said): generation, quit, sleepers (one cache line);
 * the claim word at int32 16 and `finished` at int32 32 (a line each); the job at int32 48 (kernel id, mode,
 * pointer count of a sum, pieces, argument index of the GEMM pack, error flag); at byte 256 the piece table
 * (maxPieces rows of 18 float64: 16 arguments, the result, padding); then one float64 partial per chunk of a
 * chunked sum (up to a float32 vector of the whole 4 GiB).
 */
export const LAYOUT: ThreadInit["layout"] = {
  generation: 0,
  quit: 1,
  sleepers: 2,
  claim: 16,
  finished: 32,
  job: 48,
  piecesAt: 256,
  pieceFloats: 18,
  maxPieces: 64,
  partialsAt: 256 + 64 * 18 * 8,
  maxChunks: 2 ** 32 / 4 / REDUCE_CHUNK,
  chunk: REDUCE_CHUNK,
  // Iterations of a worker's spin loop before it sleeps: some tens of µs (more on a loaded machine).
  spins: 20_000,
};

/** A worker of either kind (worker_threads or Web Worker): all the pool needs. */
interface AnyWorker {
  terminate(): unknown;
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly rows: Float64Array;
  /** One float64 partial per chunk of a chunked sum. */
  readonly partials: Float64Array;
  /** False on a browser's main thread, where Atomics.wait is not allowed: the caller then only spins. */
  private readonly canBlock: boolean;
  private readonly runPieces: (generation: number) => unknown;
  private generation = 0;
  private workers: AnyWorker[] = [];

  private constructor(
    memory: WasmMemory,
    exports: Record<string, unknown>,
    readonly threads: number,
    controlPtr: number,
  ) {
    const buffer = memory.buffer;
    this.control = new Int32Array(buffer, controlPtr, LAYOUT.piecesAt / 4);
    this.rows = new Float64Array(buffer, controlPtr + LAYOUT.piecesAt, LAYOUT.maxPieces * LAYOUT.pieceFloats);
    this.partials = new Float64Array(buffer, controlPtr + LAYOUT.partialsAt, LAYOUT.maxChunks);
    this.canBlock = agentCanBlock(this.control);
    // The calling thread runs pieces with the pack its caller passed (no `pack`: the argument stays as it is).
    this.runPieces = threadMain({ exports, memory, thread: 0, control: controlPtr, names: KERNEL_NAMES, layout: LAYOUT })!;
  }

  /** Starts threads-1 workers on `memory` (shared) running `module`; resolves when every one is ready. */
  static async start(module: WasmModule, exports: Record<string, unknown>, memory: WasmMemory, threads: number, arena: Arena, spawn: Spawn): Promise<ThreadPool> {
    const control = arena.alloc(LAYOUT.partialsAt + 8 * LAYOUT.maxChunks, 64, "the thread pool's control block");
    const pool = new ThreadPool(memory, exports, threads, control);
    try {
      await Promise.all(
        Array.from({ length: threads - 1 }, (_, i) => {
          const pack = arena.alloc(4 * GEMM_PACK_FLOATS, 64, `the GEMM scratch of thread ${i + 1}`);
          const init: ThreadInit = { module, memory, thread: i + 1, control, pack, names: KERNEL_NAMES, layout: LAYOUT };
          return spawn(init, (w) => pool.workers.push(w));
        }),
      );
    } catch (e) {
      pool.dispose();
      throw e;
    }
    return pool;
  }

  /** The most pieces one job may have. */
  get maxPieces(): number {
    return LAYOUT.maxPieces;
  }

  /** The argument row of piece i (16 arguments, then its result at index 16). */
  row(i: number): number {
    return i * LAYOUT.pieceFloats;
  }

  /** The piece table: row(i) + k is argument k of piece i. */
  get table(): Float64Array {
    return this.rows;
  }

  /**
   * Runs kernel `id` as `pieces` pieces (their arguments already in the table) on every thread; the caller's share
   * included. mode 1: a chunked sum of `pointers` vectors. `packArg`: the argument each worker replaces by its own
   * GEMM scratch (-1: none). Throws, naming `kernel`, when a piece failed.
   */
  run(kernel: string, id: number, pieces: number, mode = 0, pointers = 0, packArg = -1): void {
    const c = this.control;
    const J = LAYOUT.job;
    const generation = ++this.generation;
    const tag = (generation & 0x7fffff) * 256;
    // Close the claim word first: a thread still in the loop of the last job may have read its exhausted claim
    // word and be about to read the piece count; with the new count it would claim one more piece of the old word.
    Atomics.store(c, LAYOUT.claim, tag + 255);
    c[J] = id, c[J + 1] = mode, c[J + 2] = pointers, c[J + 4] = packArg, c[J + 5] = 0;
    Atomics.store(c, J + 3, pieces);
    Atomics.store(c, LAYOUT.finished, 0);
    Atomics.store(c, LAYOUT.claim, tag);
    Atomics.store(c, LAYOUT.generation, generation);
    if (Atomics.load(c, LAYOUT.sleepers) > 0) Atomics.notify(c, LAYOUT.generation);
    const failure = this.runPieces(generation);
    let spins = 0;
    for (let done = Atomics.load(c, LAYOUT.finished); done < pieces; done = Atomics.load(c, LAYOUT.finished)) {
      if (++spins > LAYOUT.spins && this.canBlock) Atomics.wait(c, LAYOUT.finished, done, 100);
    }
    if (failure !== undefined) throw failure;
    if (c[J + 5]) throw new Error(`kernel ${kernel} failed on a thread of the engine's thread pool`);
  }

  /** Ends the workers (idempotent). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.control, LAYOUT.quit, 1);
    Atomics.store(this.control, LAYOUT.generation, ++this.generation);
    Atomics.notify(this.control, LAYOUT.generation);
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }

  get running(): boolean {
    return this.workers.length > 0;
  }
}

/** Whether this thread may block in Atomics.wait (not a browser's main thread). */
function agentCanBlock(control: Int32Array): boolean {
  try {
    Atomics.wait(control, LAYOUT.quit, -1, 0); // "not-equal" at once where waiting is allowed
    return true;
  } catch {
    return false;
  }
}

/** Starts one worker on `init`, hands it to `track` at once (so a failed start can still terminate it) and resolves
 * when it reports ready. */
export type Spawn = (init: ThreadInit, track: (w: AnyWorker) => void) => Promise<void>;

/** The worker's source: threadMain, called with the first message it receives. */
const browserSource = () =>
  `onmessage = (e) => { onmessage = null; (${String(threadMain)})(e.data, () => postMessage("ready")); };`;
const nodeSource = () =>
  `const { parentPort } = require("node:worker_threads");\n` +
  `parentPort.once("message", (init) => (${String(threadMain)})(init, () => parentPort.postMessage("ready")));`;

interface NodeWorker extends AnyWorker {
  unref(): void;
  postMessage(message: unknown): void;
  once(event: "message" | "error" | "exit", listener: (value: unknown) => void): void;
}

/** How this runtime starts workers, or why it cannot share memory between threads. */
export function workerSupport(): { spawn: Spawn } | { reason: string } {
  if (typeof SharedArrayBuffer === "undefined" || typeof Atomics === "undefined") {
    return { reason: "this runtime has no SharedArrayBuffer (a browser page must be cross-origin isolated: COOP same-origin and COEP require-corp headers)" };
  }
  const g = globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown }; crossOriginIsolated?: boolean; Worker?: unknown };
  if (g.process?.versions?.node) {
    const threads = g.process.getBuiltinModule?.("node:worker_threads") as { Worker: new (src: string, options: { eval: true }) => NodeWorker } | undefined;
    if (!threads) return { reason: "this Node has no process.getBuiltinModule (Node 20.16 or later runs threads)" };
    return {
      spawn: (init, track) =>
        new Promise((resolve, reject) => {
          const w = new threads.Worker(nodeSource(), { eval: true });
          track(w);
          w.unref(); // a forgotten engine does not keep the process alive
          w.once("message", () => resolve());
          w.once("error", (e) => reject(e));
          w.postMessage(init);
        }),
    };
  }
  if (g.crossOriginIsolated === false) {
    return { reason: "the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)" };
  }
  if (typeof g.Worker !== "function") return { reason: "this runtime has no Worker" };
  const WebWorker = g.Worker as new (url: string) => AnyWorker & { postMessage(m: unknown): void; onmessage: unknown; onerror: unknown };
  return {
    spawn: (init, track) =>
      new Promise((resolve, reject) => {
        const url = URL.createObjectURL(new Blob([browserSource()], { type: "text/javascript" }));
        const w = new WebWorker(url);
        track(w);
        w.onmessage = () => {
          URL.revokeObjectURL(url);
          resolve();
        };
        w.onerror = (e: unknown) => reject(new Error(`a thread of the engine failed to start: ${(e as { message?: string }).message ?? e}`));
        w.postMessage(init);
      }),
  };
}
