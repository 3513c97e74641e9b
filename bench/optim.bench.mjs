// Optimizer step throughput: wasm-optim's backends (relaxed-simd, simd, scalar, and the plain-JS reference)
// against TensorFlow.js (wasm and cpu backends) on the same N, and the memory bandwidth (memory.copy of
// 256 MiB) measured in the same run. Writes bench/results/optim.json and prints a Markdown table.
//   npm run bench            (node --experimental-wasm-relaxed-simd, so the relaxed-SIMD build is measured too)
//   BENCH_SIZES=1e5,1e6 npm run bench    (a quicker run)
//   THREADS=1,2 npm run bench            (each wasm backend also on 2 threads: "wasm-optim simd ×2")
import { mkdirSync, writeFileSync } from "node:fs";
import { createEngine, isBackendSupported, SGD, Adam, RMSprop } from "../dist/index.js";
import { memoryCopy } from "./lib/bandwidth.mjs";
import { machine } from "./lib/machine.mjs";
import { time } from "./lib/suite.mjs";
import { loadTf } from "./lib/tf.mjs";

const sizes = (process.env.BENCH_SIZES ?? "1e5,1e6,1e7").split(",").map(Number);
const optimizers = {
  sgd: { ours: (p) => new SGD(p, { lr: 1e-3 }), tf: (tf) => tf.train.sgd(1e-3) },
  "sgd+momentum": { ours: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9 }), tf: (tf) => tf.train.momentum(1e-3, 0.9) },
  adam: { ours: (p) => new Adam(p, { lr: 1e-3 }), tf: (tf) => tf.train.adam(1e-3) },
  rmsprop: { ours: (p) => new RMSprop(p, { lr: 1e-3 }), tf: (tf) => tf.train.rmsprop(1e-3) },
};
const threadCounts = (process.env.THREADS ?? "1").split(",").map(Number);
/** [backend, threads] pairs: every backend on one thread, the wasm ones on the other counts too. */
const runs = ["relaxed-simd", "simd", "scalar", "js"].filter(isBackendSupported).flatMap((b) => (b === "js" ? [[b, 1]] : threadCounts.map((t) => [b, t])));
const implOf = (backend, threads) => `wasm-optim ${backend}${threads > 1 ? ` ×${threads}` : ""}`;
const BYTES_PER_PARAM = { sgd: 12, "sgd+momentum": 20, adam: 28, rmsprop: 20 }; // bytes read + written per parameter

function randomFill(a, seed) {
  let x = seed;
  for (let i = 0; i < a.length; i++) a[i] = ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.1;
}

const tf = await loadTf();
const copy = memoryCopy(256);
const bw = time("memory.copy 256 MiB", copy.run);
const bandwidth = copy.bytesPerRun / bw.median; // bytes/s
console.log(`memory.copy: ${(bandwidth / 1e9).toFixed(2)} GB/s (read + write)`);

const rows = [];
for (const n of sizes) {
  for (const [name, make] of Object.entries(optimizers)) {
    for (const [backend, threads] of runs) {
      const engine = await createEngine({ backend, threads, initialMemoryMiB: Math.ceil((n * 4 * 5) / 2 ** 20) + 16 });
      const p = engine.parameter(n);
      randomFill(p.data, 1), randomFill(p.grad, 2);
      const opt = make.ours([p]);
      const r = time(`${name} ${implOf(backend, threads)} ${n}`, () => opt.step());
      rows.push({ n, optimizer: name, impl: implOf(backend, threads), secondsPerStep: r.median, rme: r.rme, paramsPerSecond: n / r.median });
      engine.dispose();
    }
    for (const tfBackend of ["wasm", "cpu"]) {
      await tf.setBackend(tfBackend);
      const v = tf.variable(tf.randomNormal([n]));
      const g = tf.randomNormal([n]);
      const opt = make.tf(tf);
      const grads = { [v.name]: g };
      const r = time(`${name} tfjs-${tfBackend} ${n}`, () => opt.applyGradients(grads));
      opt.dispose(), v.dispose(), g.dispose();
      rows.push({ n, optimizer: name, impl: `tfjs-${tfBackend}`, secondsPerStep: r.median, rme: r.rme, paramsPerSecond: n / r.median });
    }
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
