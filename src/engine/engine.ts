import type { Kernels } from "../kernels/kernels.js";
import type { WasmMemory, WasmModule } from "../kernels/wasm-types.js";
import { Arena } from "./arena.js";
import type { Backend } from "./backend.js";
import { type EmbeddedBuilds, instantiate, type KernelSource, loadBackend } from "./load.js";
import { ParamChunk, Parameter } from "./parameter.js";
import { F32Slice, I32Slice, U8Slice } from "./views.js";
import { checkOptions, keysOf } from "./options.js";
import { ThreadPool, workerSupport } from "./threads/pool.js";
import { threadedKernels } from "./threads/splits.js";

export interface EngineOptions extends KernelSource {
  /** Which kernels run: `'auto'` (default) picks relaxed-simd, simd, scalar or js, the first this runtime accepts
   * (validates and compiles); with a module, bytes or url, the build given. */
  backend?: Backend;
  /** Initial size of the linear memory in MiB (default 16). It grows as needed while models are built. */
  initialMemoryMiB?: number;
  /** Upper bound of the linear memory in MiB (default 4096, the wasm32 limit). */
  maximumMemoryMiB?: number;
  /**
   * Threads the kernels run on (default 1): a positive integer, or `'auto'` for the cores the runtime reports.
   * With more than one, the memory is shared and threads-1 workers (worker_threads in Node, Web Workers in a
   * cross-origin isolated page) run their share of each large kernel; the results have the same bits as with one.
   * Where threads cannot run (the js backend, a page without cross-origin isolation) the engine runs on one and
   * says why in `engine.threadsReason`. Call `engine.dispose()` to end the workers.
   */
  threads?: number | "auto";
}

/** Values accepted where a tensor is created: a Float32Array, a number[], or a length (zeros). */
export type Values = Float32Array | readonly number[] | number;

const MIB_PAGES = 16; // 64 KiB pages in a MiB
const MIN_CHUNK = 4096;

/**
 * Owns one WebAssembly.Memory, the kernels that run on it, and an arena of aligned slices. Every parameter,
 * gradient, optimizer state and activation lives in this memory; TypeScript only holds views into it.
 */
export class Engine {
  private chunks = 0;
  private openChunk: ParamChunk | null = null;

  private constructor(
    readonly memory: WasmMemory,
    readonly kernels: Kernels,
    readonly backend: Exclude<Backend, "auto">,
    readonly arena: Arena,
    /** Why this backend runs, in a sentence ("js: this runtime refuses to compile ..."). */
    readonly backendReason: string,
    /** The compiled kernel module (null for 'js'; with threads, the build rewritten to import a shared memory). */
    readonly module: WasmModule | null,
    /** The workers of a threaded engine (null: every kernel runs on the calling thread). */
    private readonly pool: ThreadPool | null,
    /** Why the engine runs on fewer threads than asked ('' when it runs on as many). */
    readonly threadsReason: string,
  ) {}

  /** Threads the kernels run on: 1, or the number asked for (until `dispose()`). */
  get threads(): number {
    return this.pool?.running ? this.pool.threads : 1;
  }

  /** Ends the engine's workers, so that a Node process can exit; the engine keeps working on the calling thread.
   * A no-op for an engine without threads. */
  dispose(): void {
    this.pool?.dispose();
  }

  /** An engine on the kernels of `options` (module, bytes or url), else on the `embedded` builds (none: 'js'). */
  static async create(options: EngineOptions = {}, embedded?: EmbeddedBuilds): Promise<Engine> {
    checkOptions("createEngine", options, ENGINE_OPTIONS);
    const initial = Math.max(1, Math.ceil((options.initialMemoryMiB ?? 16) * MIB_PAGES));
    const maximum = Math.min(65536, Math.ceil((options.maximumMemoryMiB ?? 4096) * MIB_PAGES));
    if (initial > maximum) throw new RangeError(`initialMemoryMiB (${options.initialMemoryMiB}) exceeds maximumMemoryMiB`);
    const requested = requestedThreads(options.threads);
    const support = requested > 1 ? workerSupport() : null;
    let reason = support && "reason" in support ? support.reason : "";
    if (requested > 1 && options.backend === "js") reason = JS_ONE_THREAD;
    // A compiled module's memory import cannot be rewritten to a shared one; bytes and urls can.
    if (requested > 1 && !reason && options.module !== undefined) reason = "a compiled module imports a plain memory: pass the build's bytes or url to run on threads";
    const shared = requested > 1 && !reason;
    const memory = new WebAssembly.Memory({ initial, maximum, shared });
    const loaded = await loadBackend(options.backend ?? "auto", options, memory, embedded, shared);
    if (shared && loaded.backend === "js") reason = JS_ONE_THREAD;
    const arena = new Arena(memory, Math.max(loaded.kernels.heap_base(), 1024), maximum * 65536);
    const engine = (kernels: Kernels, pool: ThreadPool | null) => new Engine(memory, kernels, loaded.backend, arena, loaded.reason, loaded.module, pool, reason);
    if (!shared || reason || !support || !("spawn" in support)) return engine(loaded.kernels, null);
    const pool = await ThreadPool.start(loaded.module as WebAssembly.Module, loaded.kernels as unknown as Record<string, unknown>, memory, requested, arena, support.spawn);
    return engine(threadedKernels(loaded.kernels, pool), pool);
  }

  /** A zero-filled float32 slice of `length` elements, 64-byte aligned. */
  allocF32(length: number, what?: string): F32Slice {
    return new F32Slice(this.memory, this.arena.alloc(4 * length, 64, what), length);
  }

  /** A zero-filled int32 slice (labels, indices). */
  allocI32(length: number, what?: string): I32Slice {
    return new I32Slice(this.memory, this.arena.alloc(4 * length, 64, what), length);
  }

  /** A zero-filled byte slice (raw image data). */
  allocU8(length: number, what?: string): U8Slice {
    return new U8Slice(this.memory, this.arena.alloc(length, 64, what), length);
  }

  /** A slice filled with `values` (or zeros, given a length). */
  tensor(values: Values): F32Slice {
    const length = typeof values === "number" ? values : values.length;
    const slice = this.allocF32(length);
    if (typeof values !== "number") slice.array.set(values);
    return slice;
  }

  /** One trainable parameter, appended contiguously after the previous one when there is room. */
  parameter(values: Values, shape?: readonly number[], name = ""): Parameter {
    const length = typeof values === "number" ? values : values.length;
    checkShape(length, shape, name);
    let chunk = this.openChunk;
    if (!chunk || chunk.used + length > chunk.capacity) {
      chunk = this.newChunk(Math.max(length, MIN_CHUNK, 2 * (chunk?.capacity ?? 0)));
      this.openChunk = chunk;
    }
    return this.place(chunk, values, shape, name);
  }

  /** Several parameters packed back to back in one new chunk: a model's parameters, one flat buffer. */
  parameters(list: readonly { values: Values; shape?: readonly number[]; name?: string }[]): Parameter[] {
    const total = list.reduce((s, p) => s + (typeof p.values === "number" ? p.values : p.values.length), 0);
    const chunk = this.newChunk(total);
    return list.map((p) => this.place(chunk, p.values, p.shape, p.name ?? ""));
  }

  private newChunk(capacity: number): ParamChunk {
    const dataPtr = this.arena.alloc(4 * capacity);
    const gradPtr = this.arena.alloc(4 * capacity);
    return new ParamChunk(this.chunks++, dataPtr, gradPtr, capacity);
  }

  private place(chunk: ParamChunk, values: Values, shape: readonly number[] | undefined, name: string): Parameter {
    const length = typeof values === "number" ? values : values.length;
    checkShape(length, shape, name);
    const p = new Parameter(this, chunk, chunk.used, length, shape ?? [length], name);
    chunk.used += length;
    if (typeof values !== "number") p.data.set(values);
    return p;
  }
}

/** Compiles and instantiates a kernel module on `memory`; fails, naming the difference, unless it exports exactly the
 * functions, constants and memory of the ABI this library was built for (src/kernels/abi.gen.ts). */
export async function loadKernels(bytes: ArrayBuffer | ArrayBufferView, memory: WasmMemory): Promise<Kernels> {
  return instantiate(await WebAssembly.compile(bytes as BufferSource), memory);
}

const JS_ONE_THREAD = "the js backend runs every kernel on the calling thread (its twins are the readable reference, kept out of workers)";

/** The number of threads `threads` asks for ('auto': the cores the runtime reports). */
function requestedThreads(threads: number | "auto" | undefined): number {
  if (threads === undefined) return 1;
  if (threads === "auto") return Math.max(1, reportedCores());
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_THREADS) {
    throw new RangeError(`createEngine: threads must be an integer from 1 to ${MAX_THREADS} or 'auto', got ${String(threads)}`);
  }
  return threads;
}

const MAX_THREADS = 64;

/** The cores this runtime reports: navigator.hardwareConcurrency, or os.availableParallelism() in Node 20. */
function reportedCores(): number {
  const g = globalThis as { navigator?: { hardwareConcurrency?: number }; process?: { getBuiltinModule?: (id: string) => unknown } };
  const os = g.process?.getBuiltinModule?.("node:os") as { availableParallelism?: () => number } | undefined;
  return Math.min(MAX_THREADS, os?.availableParallelism?.() ?? g.navigator?.hardwareConcurrency ?? 1);
}

function checkShape(length: number, shape: readonly number[] | undefined, name: string): void {
  if (!Number.isInteger(length) || length < 0) throw new RangeError(`parameter '${name}': invalid length ${length}`);
  if (shape && shape.reduce((a, b) => a * b, 1) !== length) {
    throw new RangeError(`parameter '${name}': shape [${shape.join(", ")}] does not hold ${length} values`);
  }
}

/** Loads the kernels and creates the memory. `await createEngine({ backend: 'simd' })`. Without a module, bytes or
 * url, the kernels come from the builds embedded in this entry (a chunk of their own, imported on first use). */
export async function createEngine(options?: EngineOptions): Promise<Engine> {
  const { wasmBytes } = await import("./embedded.js");
  return Engine.create(options, wasmBytes);
}

/** The keys createEngine accepts (tsc checks the list against EngineOptions). */
const ENGINE_OPTIONS = keysOf<EngineOptions>({ backend: 1, initialMemoryMiB: 1, maximumMemoryMiB: 1, threads: 1, module: 1, bytes: 1, url: 1 });
