// Matrix multiply throughput in GFLOP/s (2·m·n·k flops per call, median time under the benchmark package):
// f32_gemm_nn / _tn / _nt on each backend (relaxed-simd, simd, scalar, and the plain-JS reference) against
// TensorFlow.js matMul with the same transposes (wasm and cpu backends). Shapes are m×n×k, the argument order of
// the kernels: C[m×n] (+)= A·B with k the summed dimension. Writes bench/results/gemm.json and a Markdown table.
//   npm run bench:gemm     (builds dist/ first; node --experimental-wasm-relaxed-simd, so relaxed SIMD is measured)
//   BENCH_SHAPES=128x784x256 BENCH_IMPLS=relaxed-simd,simd node --experimental-wasm-relaxed-simd bench/gemm.bench.mjs
//   THREADS=1,2 ...: each wasm backend also on each thread count (an engine with { threads }), "wasm-optim simd ×2".
import Benchmark from "benchmark";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { createEngine, isBackendSupported, GEMM_PACK_FLOATS } from "../dist/index.js";
import { machine } from "./lib/machine.mjs";
import { median } from "./lib/suite.mjs";
import { loadTf } from "./lib/tf.mjs";

const shapes = (process.env.BENCH_SHAPES ?? "128x784x256,128x256x128,128x128x10,512x512x512").split(",").map((s) => s.split("x").map(Number));
const forms = ["nn", "tn", "nt"];
const backends = ["relaxed-simd", "simd", "scalar", "js"].filter(isBackendSupported);
const threadCounts = (process.env.THREADS ?? "1").split(",").map(Number);
const withThreads = (impl) => (impl.startsWith("wasm-optim") && impl !== "wasm-optim js" ? threadCounts.map((t) => (t === 1 ? impl : `${impl} ×${t}`)) : [impl]);
const impls = (process.env.BENCH_IMPLS?.split(",") ?? [...backends.map((b) => `wasm-optim ${b}`), "tfjs-wasm", "tfjs-cpu"])
  .map((i) => (i.startsWith("tfjs") || i.startsWith("wasm-optim") ? i : `wasm-optim ${i}`))
  .flatMap(withThreads);

/** Median and fastest seconds per call over the benchmark package's samples (the fastest is the least disturbed
 * by other processes on a shared machine). */
function time(name, fn) {
  const bench = new Benchmark(name, fn, { maxTime: 1, minSamples: 10, initCount: 1 });
  bench.run();
  if (bench.error) throw bench.error;
  return { median: median(bench.stats.sample), fastest: Math.min(...bench.stats.sample), rme: bench.stats.rme, samples: bench.stats.sample.length };
}

function randomFill(a, seed) {
  let x = seed;
  for (let i = 0; i < a.length; i++) a[i] = (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5;
}

/** A, B, C and the pack scratch of one shape on one backend ("simd" or "simd ×2": on 2 threads); returns the call
 * for each form. */
async function wasmOptimCalls(impl, m, n, k) {
  const [backend, times] = impl.split(" ×");
  const threads = Number(times ?? 1);
  const engine = await createEngine({ backend, threads, initialMemoryMiB: Math.ceil((4 * (m * k + k * n + m * n + GEMM_PACK_FLOATS)) / 2 ** 20) + 4 * threads });
  const a = engine.allocF32(m * k), b = engine.allocF32(k * n), c = engine.allocF32(m * n), pack = engine.allocF32(GEMM_PACK_FLOATS);
  randomFill(a.array, 1), randomFill(b.array, 2);
  const kern = engine.kernels;
  return { ...Object.fromEntries(forms.map((f) => [f, () => kern[`f32_gemm_${f}`](c.ptr, a.ptr, b.ptr, m, n, k, 0, pack.ptr)])), dispose: () => engine.dispose() };
}

/** TF.js matMul with the transposes of each form, on its wasm or cpu backend. */
async function tfCalls(tf, tfBackend, m, n, k) {
  await tf.setBackend(tfBackend);
  const t = (rows, cols, seed) => {
    const v = new Float32Array(rows * cols);
    randomFill(v, seed);
    return tf.tensor2d(v, [rows, cols]);
  };
  const aMK = t(m, k, 1), aKM = t(k, m, 1), bKN = t(k, n, 2), bNK = t(n, k, 2);
  const run = (a, b, ta, tb) => () => tf.matMul(a, b, ta, tb).dispose();
  return { nn: run(aMK, bKN, false, false), tn: run(aKM, bKN, true, false), nt: run(aMK, bNK, false, true), dispose: () => tf.dispose([aMK, aKM, bKN, bNK]) };
}

const tf = impls.some((i) => i.startsWith("tfjs")) ? await loadTf() : null;
const rows = [];
for (const [m, n, k] of shapes) {
  const flops = 2 * m * n * k;
  const shape = `${m}x${n}x${k}`;
  for (const impl of impls) {
    const calls = impl.startsWith("tfjs") ? await tfCalls(tf, impl.slice(5), m, n, k) : await wasmOptimCalls(impl.slice(11), m, n, k);
    for (const form of forms) {
      const r = time(`${impl} ${form} ${shape}`, calls[form]);
      rows.push({ shape, m, n, k, form, impl, secondsPerCall: r.median, rme: r.rme, samples: r.samples, gflops: flops / r.median / 1e9, gflopsFastestSample: flops / r.fastest / 1e9 });
    }
    calls.dispose?.();
  }
  for (const form of forms) {
    const line = rows.filter((r) => r.shape === shape && r.form === form);
    console.log(`${shape} ${form}: ` + line.map((r) => `${r.impl.replace("wasm-optim ", "")} ${r.gflops.toFixed(1)}`).join(", "));
  }
}

const get = (shape, form, impl) => rows.find((r) => r.shape === shape && r.form === form && r.impl === impl)?.gflops;
const best = impls.find((i) => i.startsWith("wasm-optim"));
const summary = [];
for (const [m, n, k] of shapes) {
  const shape = `${m}x${n}x${k}`;
  for (const form of forms) {
    const top = get(shape, form, best);
    const ratios = Object.fromEntries(impls.filter((i) => i !== best).map((i) => [`over ${i.replace("wasm-optim ", "")}`, top / get(shape, form, i)]));
    summary.push({ shape, form, fastest: best, gflops: top, ...ratios });
  }
}
const units = "GFLOP/s = 2·m·n·k / median seconds per call (gflopsFastestSample: fastest sample); shape = m×n×k";
const result = { machine: machine(), load: os.loadavg(), units, rows, summary };
if (!process.env.BENCH_SHAPES && !process.env.BENCH_IMPLS) {
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  writeFileSync(new URL("./results/gemm.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");
}

const names = impls.map((i) => i.replace("wasm-optim ", ""));
const others = names.filter((i) => i !== best.replace("wasm-optim ", ""));
console.log(`\n${result.machine.cpu}, ${result.machine.cores} cores, threads ${threadCounts.join(", ")} (×T: T threads), Node ${result.machine.node}, ${result.machine.date.slice(0, 10)}, load average ${result.load.map((x) => x.toFixed(1)).join(" ")}`);
console.log(`\n| m×n×k | form | ${names.join(" | ")} | ${others.map((o) => `${names[0]}/${o}`).join(" | ")} |`);
console.log(`|---|---|${names.map(() => "---:").join("|")}|${others.map(() => "---:").join("|")}|`);
for (const s of summary) {
  const cells = impls.map((i) => get(s.shape, s.form, i).toFixed(1));
  const ratios = others.map((o) => `${s[`over ${o}`].toFixed(1)}x`);
  console.log(`| ${s.shape.replaceAll("x", "×")} | ${s.form} | ${cells.join(" | ")} | ${ratios.join(" | ")} |`);
}
console.log("\n(GFLOP/s, median of the benchmark package's samples)");
console.log(`fastest samples: ${summary.map((s) => `${s.shape} ${s.form} ${rows.find((r) => r.shape === s.shape && r.form === s.form && r.impl === best).gflopsFastestSample.toFixed(1)}`).join(", ")}`);
