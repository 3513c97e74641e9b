// Optimizer step throughput: wasm-optim's backends (relaxed-simd, simd, scalar, and the plain-JS reference)
// against TensorFlow.js (wasm and cpu backends) on the same N, and the memory bandwidth (memory.copy of
// 256 MiB, bench/lib/probes.mjs) measured in the same run. Writes bench/results/optim.json and prints a Markdown table.
//   npm run bench            (node --experimental-wasm-relaxed-simd, so the relaxed-SIMD build is measured too)
//   BENCH_SIZES=1e5,1e6 npm run bench    (a quicker run)
//   THREADS=1,2 npm run bench            (each wasm backend also on 2 threads: "wasm-optim simd ×2")
import { mkdirSync, writeFileSync } from "node:fs";
import { isBackendSupported } from "../dist/index.js";
import { machine } from "./lib/machine.mjs";
import { BYTES_PER_PARAM, OPTIMIZERS as optimizers, measureOurs, measureTf } from "./lib/optim-steps.mjs";
import { memoryCopy } from "./lib/probes.mjs";
import { loadTf } from "./lib/tf.mjs";

const sizes = (process.env.BENCH_SIZES ?? "1e5,1e6,1e7").split(",").map(Number);
const threadCounts = (process.env.THREADS ?? "1").split(",").map(Number);
/** [backend, threads] pairs: every backend on one thread, the wasm ones on the other counts too. */
const runs = ["relaxed-simd", "simd", "scalar", "js"].filter(isBackendSupported).flatMap((b) => (b === "js" ? [[b, 1]] : threadCounts.map((t) => [b, t])));
const implOf = (backend, threads) => `wasm-optim ${backend}${threads > 1 ? ` ×${threads}` : ""}`;

const tf = await loadTf();
const bandwidth = await memoryCopy(256, 1); // bytes/s
console.log(`memory.copy: ${(bandwidth / 1e9).toFixed(2)} GB/s (read + write)`);

const rows = [];
for (const n of sizes) {
  for (const name of Object.keys(optimizers)) {
    for (const [backend, threads] of runs) rows.push({ ...(await measureOurs(n, name, backend, threads)), impl: implOf(backend, threads) });
    for (const tfBackend of ["wasm", "cpu"]) rows.push(await measureTf(tf, n, name, tfBackend));
    const line = rows.filter((r) => r.n === n && r.optimizer === name);
    console.log(`${name} N=${n}: ` + line.map((r) => `${r.impl} ${(r.paramsPerSecond / 1e6).toFixed(0)}M/s`).join(", "));
  }
}

const get = (n, o, impl) => rows.find((r) => r.n === n && r.optimizer === o && r.impl === impl)?.paramsPerSecond;
const summary = [];
for (const n of sizes) {
  for (const o of Object.keys(optimizers)) {
    const simd = get(n, o, "wasm-optim simd");
    summary.push({
      n, optimizer: o,
      simdOverJs: simd / get(n, o, "wasm-optim js"),
      simdOverTfjsWasm: simd / get(n, o, "tfjs-wasm"),
      simdOverTfjsCpu: simd / get(n, o, "tfjs-cpu"),
      simdFractionOfBandwidth: (simd * BYTES_PER_PARAM[o]) / bandwidth,
    });
  }
}
const result = { machine: machine(), memoryCopyBytesPerSecond: bandwidth, bytesPerParam: BYTES_PER_PARAM, rows, summary };
mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
writeFileSync(new URL("./results/optim.json", import.meta.url), JSON.stringify(result, null, 2) + "\n");

const impls = [...runs.map(([b, t]) => implOf(b, t)), "tfjs-wasm", "tfjs-cpu"];
console.log(`\n${result.machine.cpu}, ${result.machine.cores} cores, Node ${result.machine.node}, ${result.machine.date.slice(0, 10)}; memory.copy ${(bandwidth / 1e9).toFixed(1)} GB/s`);
console.log(`\n| optimizer | N | ${impls.join(" | ")} | simd/js | simd/tfjs-wasm | % of copy bandwidth |`);
console.log(`|---|---|${impls.map(() => "---:").join("|")}|---:|---:|---:|`);
for (const s of summary) {
  const cells = impls.map((i) => (get(s.n, s.optimizer, i) / 1e6).toFixed(0));
  console.log(`| ${s.optimizer} | ${s.n.toExponential(0)} | ${cells.join(" | ")} | ${s.simdOverJs.toFixed(1)}x | ${s.simdOverTfjsWasm.toFixed(1)}x | ${(100 * s.simdFractionOfBandwidth).toFixed(0)} % |`);
}
console.log("\n(M parameters per second, median step time)");
