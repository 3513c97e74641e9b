// What the machine can do, measured from wasm in the same run as the benchmarks it is compared with:
// - fmaPeak(): the FMA throughput of one thread, f32x4.relaxed_madd (which V8 lowers to vfmadd where the CPU has
//   FMA) on 10 independent accumulators, enough to hide the instruction's latency on current x86 and ARM cores;
//   the ceiling that a relaxed-SIMD GEMM is measured against. Null where the runtime does not validate relaxed SIMD.
// - memoryCopy(mib, threads): memory.copy inside one shared WebAssembly.Memory, each thread copying a block of its
//   own `mib` MiB, all started together; bytes moved = 2 × size per thread (read + write).
// Both modules are compiled from the AssemblyScript source below with asc, as the kernels are.
import asc from "assemblyscript/asc";
import { Worker } from "node:worker_threads";
import { median } from "./suite.mjs";

const FMA_SOURCE = `
export function fma(iterations: i32): f32 {
  const b = f32x4.splat(0.9999999), c = f32x4.splat(1e-7);
  let a0 = f32x4.splat(1.0), a1 = f32x4.splat(1.1), a2 = f32x4.splat(1.2), a3 = f32x4.splat(1.3), a4 = f32x4.splat(1.4);
  let a5 = f32x4.splat(1.5), a6 = f32x4.splat(1.6), a7 = f32x4.splat(1.7), a8 = f32x4.splat(1.8), a9 = f32x4.splat(1.9);
  for (let i = 0; i < iterations; i++) {
    a0 = f32x4.relaxed_madd(a0, b, c); a1 = f32x4.relaxed_madd(a1, b, c); a2 = f32x4.relaxed_madd(a2, b, c);
    a3 = f32x4.relaxed_madd(a3, b, c); a4 = f32x4.relaxed_madd(a4, b, c); a5 = f32x4.relaxed_madd(a5, b, c);
    a6 = f32x4.relaxed_madd(a6, b, c); a7 = f32x4.relaxed_madd(a7, b, c); a8 = f32x4.relaxed_madd(a8, b, c);
    a9 = f32x4.relaxed_madd(a9, b, c);
  }
  const s = f32x4.add(f32x4.add(f32x4.add(a0, a1), f32x4.add(a2, a3)), f32x4.add(f32x4.add(a4, a5), f32x4.add(f32x4.add(a6, a7), f32x4.add(a8, a9))));
  return f32x4.extract_lane(s, 0);
}`;
const FLOPS_PER_ITERATION = 10 * 4 * 2; // accumulators × lanes × (multiply + add)

const COPY_SOURCE = `export function copy(dst: usize, src: usize, n: usize): void { memory.copy(dst, src, n); }`;

async function compile(source, flags) {
  const { error, binary, stderr } = await asc.compileString(source, { optimizeLevel: 3, runtime: "stub", ...flags });
  if (error) throw new Error(`probe did not compile: ${stderr.toString()}`);
  return new WebAssembly.Module(binary);
}

/** FLOP/s of one thread doing relaxed FMAs (median of 7 timed calls), or null without relaxed SIMD. */
export async function fmaPeak() {
  let module;
  try {
    module = await compile(FMA_SOURCE, { enable: ["simd", "relaxed-simd"] });
  } catch {
    return null; // the runtime does not validate relaxed SIMD
  }
  const { fma } = new WebAssembly.Instance(module).exports;
  const iterations = 20_000_000;
  fma(iterations / 10);
  console.error("online");
  const seconds = [];
  for (let r = 0; r < 7; r++) {
    const t0 = performance.now();
    fma(iterations);
    seconds.push((performance.now() - t0) / 1000);
  }
  return (FLOPS_PER_ITERATION * iterations) / median(seconds);
}


/** Bytes per second of memory.copy on `threads` threads at once (median of the rounds). */
export async function memoryCopy(mib, threads, rounds = 9) {
  const size = mib * 2 ** 20;
  const pages = (2 * size * threads) / 65536 + 1;
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
  new Uint8Array(memory.buffer).fill(1);
  const module = await compile(COPY_SOURCE, { importMemory: true, sharedMemory: true, maximumMemory: pages, initialMemory: pages, enable: ["threads", "bulk-memory"] });
  const control = new Int32Array(new SharedArrayBuffer(8));
  const workers = Array.from({ length: threads }, (_, t) => new Worker(new URL("./copy-worker.mjs", import.meta.url), {
    workerData: { module, memory, control, dst: 2 * size * t + size, src: 2 * size * t, size, rounds },
  }));
  const message = (w) => new Promise((resolve, reject) => w.once("message", resolve).once("error", reject));
  await Promise.all(workers.map(message)); // each has instantiated the module: the rounds below block this thread
  const seconds = [];
  for (let r = 0; r < rounds; r++) {
    Atomics.store(control, 1, 0);
    const t0 = performance.now();
    Atomics.store(control, 0, r + 1);
    Atomics.notify(control, 0);
    while (Atomics.load(control, 1) < threads) Atomics.wait(control, 1, Atomics.load(control, 1), 1000);
    seconds.push((performance.now() - t0) / 1000);
  }
  await Promise.all(workers.map(message));
  await Promise.all(workers.map((w) => w.terminate()));
  return (2 * size * threads) / median(seconds.slice(1)); // the first round also wakes the threads
}
