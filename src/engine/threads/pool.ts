// A pool of threads-1 workers that run kernels on the engine's shared memory, with the calling thread as thread 0.
//
// Every worker instantiates the same kernel module on the same memory. The kernels keep no state in memory (no
// stack in memory, no mutable statics: locals are wasm locals, and the static data below heap_base is constant),
// so the instances cannot collide; the only scratch a kernel uses is what its arguments point at, and the GEMM
// pack buffer is one per thread (`pack(t)`). Re-instantiating writes the module's constant data segments again,
// which all workers do while createEngine waits, before any kernel runs.
//
// Dispatch, with no message after start-up: the calling thread writes each worker's task (kernel id and up to 16
// float64 arguments) into its task block, resets `done`, bumps `generation` and wakes the workers that sleep
// (Atomics.notify, only when `sleepers` > 0); it runs its own share, then waits until `done` = threads - 1.
// A worker spins on `generation` for a while after each task (a step's next kernel usually follows within
// microseconds) before it sleeps in Atomics.wait. The layout is in LAYOUT and in docs/ARCHITECTURE.md.
import type { Arena } from "../arena.js";
import { GEMM_PACK_FLOATS, KERNEL_NAMES, WASM_CONSTANTS } from "../../kernels/kernels.js";
import { workerMain, type WorkerInit } from "./worker-main.js";

/** Floats per chunk of the chunked sums (assembly/linalg/reduce.ts): a threaded sum splits at chunk boundaries. */
export const REDUCE_CHUNK: number = WASM_CONSTANTS.REDUCE_CHUNK;

/**
 * The control block, from its byte offset: int32 slots generation, quit, sleepers, threads (one cache line); done
 * (its own line, at int32 16); at byte 128 one 256-byte task block per thread (int32 kernel id (-1: nothing),
 * mode (0: one call, 1: a chunked sum), pointer count of a sum, error flag; float64 arguments at byte 16, the
 * result at byte 144); then one float64 partial per chunk of a chunked sum.
 */
export const LAYOUT = {
  generation: 0,
  quit: 1,
  sleepers: 2,
  threads: 3,
  done: 16,
  tasksAt: 128,
  taskBytes: 256,
  partialsAt: 0, // 128 + threads·256, set per pool
  maxChunks: 2 ** 32 / 4 / REDUCE_CHUNK, // a float32 vector of the whole 4 GiB
  chunk: REDUCE_CHUNK,
  // Iterations of the worker's spin loop before it sleeps: about 20-50 µs on this machine's cores.
  spins: 20_000,
};

/** A worker of either kind (worker_threads or Web Worker): all the pool needs. */
interface AnyWorker {
  terminate(): unknown;
}

export class ThreadPool {
  private readonly control: Int32Array;
  private readonly tasks: Int32Array[] = [];
  private readonly args: Float64Array[] = [];
  /** One float64 partial per chunk of a chunked sum. */
  readonly partials: Float64Array;
  private readonly packs: number[] = [];
  /** False on a browser's main thread, where Atomics.wait is not allowed: the caller then only spins. */
  private readonly canBlock: boolean;
  private workers: AnyWorker[] = [];

  private constructor(
    memory: WebAssembly.Memory,
    readonly threads: number,
    readonly controlPtr: number,
    arena: Arena,
  ) {
    const buffer = memory.buffer;
    this.control = new Int32Array(buffer, controlPtr, 32);
    for (let t = 0; t < threads; t++) {
      const task = controlPtr + LAYOUT.tasksAt + t * LAYOUT.taskBytes;
      this.tasks.push(new Int32Array(buffer, task, 4));
      this.args.push(new Float64Array(buffer, task + 16, 17));
      this.packs.push(t === 0 ? 0 : arena.alloc(4 * GEMM_PACK_FLOATS, 64, `the GEMM scratch of thread ${t}`));
    }
    this.partials = new Float64Array(buffer, controlPtr + layoutOf(threads).partialsAt, LAYOUT.maxChunks);
    this.control[LAYOUT.threads] = threads;
    this.canBlock = agentCanBlock(this.control);
  }

  /** Starts threads-1 workers on `memory` (shared) running `module`; resolves when every one is ready. */
  static async start(module: WebAssembly.Module, memory: WebAssembly.Memory, threads: number, arena: Arena, spawn: Spawn): Promise<ThreadPool> {
    const layout = layoutOf(threads);
    const control = arena.alloc(layout.partialsAt + 8 * LAYOUT.maxChunks, 64, "the thread pool's control block");
    const pool = new ThreadPool(memory, threads, control, arena);
    try {
      await Promise.all(
        Array.from({ length: threads - 1 }, (_, i) => {
          const init: WorkerInit = { module, memory, thread: i + 1, control, names: KERNEL_NAMES, layout };
          return spawn(init, (w) => pool.workers.push(w));
        }),
      );
    } catch (e) {
      pool.dispose();
      throw e;
    }
    return pool;
  }

  /** The argument slots (16, then the result) of thread t's task. */
  argsOf(t: number): Float64Array {
    return this.args[t]!;
  }

  /** Sets thread t's (t ≥ 1) task: kernel `id` (-1: nothing), mode 0 (one call) or 1 (a chunked sum of `pointers` vectors). */
  setTask(t: number, id: number, mode = 0, pointers = 0): void {
    const task = this.tasks[t]!;
    task[0] = id;
    task[1] = mode;
    task[2] = pointers;
  }

  /** The GEMM scratch of thread t (t ≥ 1; thread 0 uses the caller's). */
  pack(t: number): number {
    return this.packs[t]!;
  }

  /** Wakes the workers on the tasks just set. The caller runs its share, then calls `join`. */
  start(): void {
    const c = this.control;
    Atomics.store(c, LAYOUT.done, 0);
    Atomics.add(c, LAYOUT.generation, 1);
    if (Atomics.load(c, LAYOUT.sleepers) > 0) Atomics.notify(c, LAYOUT.generation);
  }

  /** Waits until every worker finished its task; throws naming the kernel when one failed. */
  join(kernel: string): void {
    const c = this.control;
    const workers = this.threads - 1;
    let spins = 0;
    for (let d = Atomics.load(c, LAYOUT.done); d < workers; d = Atomics.load(c, LAYOUT.done)) {
      if (++spins > LAYOUT.spins && this.canBlock) Atomics.wait(c, LAYOUT.done, d, 100);
    }
    for (let t = 1; t < this.threads; t++) {
      if (this.tasks[t]![3]) throw new Error(`kernel ${kernel} failed on thread ${t} of the engine's thread pool`);
    }
  }

  /** Ends the workers (idempotent). */
  dispose(): void {
    if (this.workers.length === 0) return;
    Atomics.store(this.control, LAYOUT.quit, 1);
    Atomics.add(this.control, LAYOUT.generation, 1);
    Atomics.notify(this.control, LAYOUT.generation);
    for (const w of this.workers) void w.terminate();
    this.workers = [];
  }

  get running(): boolean {
    return this.workers.length > 0;
  }
}

function layoutOf(threads: number): WorkerInit["layout"] {
  return { ...LAYOUT, partialsAt: LAYOUT.tasksAt + threads * LAYOUT.taskBytes };
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
export type Spawn = (init: WorkerInit, track: (w: AnyWorker) => void) => Promise<void>;

/** The worker's source: workerMain, called with the first message it receives. */
const browserSource = () =>
  `onmessage = (e) => { onmessage = null; (${String(workerMain)})(e.data, () => postMessage("ready")); };`;
const nodeSource = () =>
  `const { parentPort } = require("node:worker_threads");\n` +
  `parentPort.once("message", (init) => (${String(workerMain)})(init, () => parentPort.postMessage("ready")));`;

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
