// What a split across threads costs and when it pays (the thresholds THREAD_MIN_WORK in
// src/engine/threads/splits.ts come from this): each kernel family timed on one thread and, forced to split (its
// threshold set to 0), on THREADS threads, over growing work sizes; and the round trip of a split of almost no
// work (waking the workers, the smallest task, waiting for the last one). A threshold is chosen where the split
// is clearly faster (the "break-even" column: the smallest size measured at least 1.2× faster).
//   npm run build && node bench/threads.bench.mjs            (THREADS=2 by default; THREADS=2,4 for more)
//   BENCH_QUICK=1 node bench/threads.bench.mjs              (a smoke run: few repetitions)
import { createEngine, GEMM_PACK_FLOATS, THREAD_MIN_WORK } from "../dist/index.js";
import { machine } from "./lib/machine.mjs";
import { median } from "./lib/suite.mjs";

const threadCounts = (process.env.THREADS ?? "2").split(",").map(Number).filter((t) => t > 1);
const quick = Boolean(process.env.BENCH_QUICK);
const reps = quick ? 5 : 41;

/** Median seconds per call of fn, each sample a batch of calls lasting at least ~2 ms. */
function timeOf(fn) {
  let calls = 1;
  for (let t = 0; t < 2e-3; calls *= 2) {
    const s = performance.now();
    for (let i = 0; i < calls; i++) fn();
    t = (performance.now() - s) / 1000;
  }
  const samples = [];
  for (let r = 0; r < reps; r++) {
    const s = performance.now();
    for (let i = 0; i < calls; i++) fn();
    samples.push((performance.now() - s) / 1000 / calls);
  }
  return median(samples);
}

/** The calls of each family on an engine, for a work size w (elements, or multiply-adds for GEMM). */
function families(engine) {
  const k = engine.kernels;
  const max = 1 << 22;
  const [p, g, m, v] = [0, 1, 2, 3].map(() => engine.allocF32(max).ptr);
  const pack = engine.allocF32(GEMM_PACK_FLOATS).ptr;
  const side = (w) => Math.max(8, Math.round(Math.cbrt(w)));
  return {
    optimizer: { sizes: [8e3, 16e3, 32e3, 64e3, 128e3, 512e3, 2e6], call: (w) => () => k.f32_adam(p, g, m, v, 0, w, 0.9, 0.999, 0.1, 0.001, 1e-8, 0, 1e-3, 1, 1, 0) },
    streaming: { sizes: [8e3, 16e3, 32e3, 64e3, 128e3, 512e3, 2e6], call: (w) => () => k.f32_relu(p, g, w) },
    sum: { sizes: [131072, 262144, 524288, 2 ** 21], call: (w) => () => k.f32_sum_squares(p, w) },
    gemm: { sizes: [32e3, 64e3, 128e3, 256e3, 512e3, 2e6, 8e6], call: (w) => { const s = side(w); return () => k.f32_gemm_nn(v, p, g, s, s, s, 0, pack); } },
  };
}

const result = { machine: machine(), rows: [] };
console.log(`${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}; load average ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}`);
const one = await createEngine({ backend: "simd" });
const saved = { ...THREAD_MIN_WORK };
for (const threads of threadCounts) {
  const many = await createEngine({ backend: "simd", threads });
  const a = families(one), b = families(many);
  // Round trip: a forced split of 2·256 elements of relu (one range each on two threads).
  THREAD_MIN_WORK.streaming = 0;
  const tiny = timeOf(b.streaming.call(512 * (threads - 1) + 256)) - timeOf(a.streaming.call(512 * (threads - 1) + 256));
  console.log(`\n${threads} threads: round trip of a split (wake, smallest task, join) ≈ ${(tiny * 1e6).toFixed(1)} µs`);
  console.log(`| family | work | 1 thread µs | ${threads} threads µs (forced split) | speed-up |\n|---|---:|---:|---:|---:|`);
  for (const [family, { sizes }] of Object.entries(a)) {
    THREAD_MIN_WORK[family] = 0;
    let breakEven = null;
    for (const w of sizes) {
      const t1 = timeOf(a[family].call(w)), tn = timeOf(b[family].call(w));
      if (breakEven === null && t1 / tn >= 1.2) breakEven = w;
      result.rows.push({ threads, family, work: w, t1, tn });
      console.log(`| ${family} | ${w} | ${(t1 * 1e6).toFixed(1)} | ${(tn * 1e6).toFixed(1)} | ${(t1 / tn).toFixed(2)}× |`);
    }
    THREAD_MIN_WORK[family] = saved[family];
    console.log(`| ${family}: break-even (≥ 1.2×) | ${breakEven ?? "none measured"} | | threshold now ${saved[family]} | |`);
  }
  Object.assign(THREAD_MIN_WORK, saved);
  many.dispose();
}
