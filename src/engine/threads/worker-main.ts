// The body of every pool worker. It is serialized with String(workerMain) and evaluated in the worker (Node:
// `new Worker(source, { eval: true })`; browsers: a Blob URL), so it must reference nothing outside itself:
// no imports, no module-level names. The layout constants are passed in `init` from pool-layout.ts.

/** What a worker is told once, when it starts. */
export interface WorkerInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  /** This worker's thread number (1 .. threads-1; the calling thread is 0). */
  thread: number;
  /** Byte offset of the control block (pool-layout.ts). */
  control: number;
  /** The kernel names, by kernel id. */
  names: readonly string[];
  /** Layout, in bytes / int32 and float64 slots: see pool-layout.ts. */
  layout: {
    generation: number;
    done: number;
    sleepers: number;
    quit: number;
    threads: number;
    taskBytes: number;
    tasksAt: number;
    partialsAt: number;
    maxChunks: number;
    chunk: number;
    spins: number;
  };
}

/** Instantiates the kernels on the shared memory, reports "ready", then runs tasks until told to quit. */
export function workerMain(init: WorkerInit, ready: () => void): void {
  const { memory, thread, control, layout: L } = init;
  const exports = new WebAssembly.Instance(init.module, { env: { memory } }).exports as Record<string, (...args: number[]) => number>;
  const fns = init.names.map((name) => exports[name]!);
  const i32 = new Int32Array(memory.buffer, control, L.tasksAt / 4);
  const task = control + L.tasksAt + thread * L.taskBytes;
  const t32 = new Int32Array(memory.buffer, task, L.taskBytes / 4);
  const a = new Float64Array(memory.buffer, task + 16, 17); // 16 arguments, then the result
  const partials = new Float64Array(memory.buffer, control + L.partialsAt, L.maxChunks);
  const threads = i32[L.threads]!;
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
    if (Atomics.load(i32, L.quit)) return;
    const id = t32[0]!;
    if (id >= 0) {
      try {
        const fn = fns[id]!;
        if (t32[1] === 0) a[16] = fn(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, a[6]!, a[7]!, a[8]!, a[9]!, a[10]!, a[11]!, a[12]!, a[13]!, a[14]!, a[15]!);
        else {
          // A chunked sum: args (x[, y], n, first chunk, end chunk); one float64 partial per chunk.
          const pointers = t32[2]!;
          const n = a[pointers]!;
          for (let c = a[pointers + 1]!; c < a[pointers + 2]!; c++) {
            const offset = 4 * c * L.chunk;
            const length = Math.min(L.chunk, n - c * L.chunk);
            partials[c] = pointers === 1 ? fn(a[0]! + offset, length) : fn(a[0]! + offset, a[1]! + offset, length);
          }
        }
        t32[3] = 0;
      } catch {
        t32[3] = 1; // the calling thread throws, naming the kernel
      }
    }
    if (Atomics.add(i32, L.done, 1) + 1 === threads - 1) Atomics.notify(i32, L.done);
  }
}
