// wasm-optim beside TensorFlow.js and PyTorch, in one process, on the same data, shapes, seeds and batch order:
// - the machine's ceilings: FMA peak of one thread (relaxed SIMD) and memory.copy bandwidth on 1 and n threads;
// - optimizer steps (SGD, momentum, Adam, RMSprop at 1e5, 1e6, 1e7 parameters) on every backend and thread count,
//   TF.js wasm and cpu, PyTorch;
// - GEMM nn/tn/nt at 512×512×512 on each thread count, TF.js-wasm, PyTorch;
// - Fashion-MNIST epochs (MLP 784-256-128-10 and the small CNN, batch 128, Adam 1e-3), the time to 0.88 test
//   accuracy (MLP, test accuracy after every epoch), peak RSS; each training in its own process.
// PyTorch (where /usr/bin/python3 has torch) runs bench/torch_compare.py as a subprocess with the BLAS it finds,
// and again with OpenBLAS chosen by LD_LIBRARY_PATH when Debian's libopenblas0-openmp is installed; the same
// thread counts (torch.set_num_threads) and the batch order of wasm-optim's loader (written to a file).
// The load average is recorded before and after; every time is a median of repeats.
// Writes bench/results/compare.{json,md,svg} (a full run only) and prints the Markdown.
//   npm run bench:compare
//   BENCH_THREADS=1,2 BENCH_SIZES=1e5,1e6,1e7 BENCH_EPOCHS=10 BENCH_CNN_EPOCHS=2 BENCH_ONLY=steps,gemm,train
import { execFile, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEngine, GEMM_PACK_FLOATS, isBackendSupported, Rng } from "../dist/index.js";
import { machine } from "./lib/machine.mjs";
import { BYTES_PER_PARAM, OPTIMIZERS, measureOurs, measureTf, randomFill } from "./lib/optim-steps.mjs";
import { fmaPeak, memoryCopy } from "./lib/probes.mjs";
import { median, time } from "./lib/suite.mjs";
import { barChart } from "./lib/svg-bars.mjs";
import { loadTf } from "./lib/tf.mjs";

const env = process.env;
const cores = os.availableParallelism();
const sizes = (env.BENCH_SIZES ?? "1e5,1e6,1e7").split(",").map(Number);
const mlpEpochs = Number(env.BENCH_EPOCHS ?? 10);
const cnnEpochs = Number(env.BENCH_CNN_EPOCHS ?? 2);
const only = new Set((env.BENCH_ONLY ?? "steps,gemm,train").split(","));
const full = !env.BENCH_SIZES && !env.BENCH_EPOCHS && !env.BENCH_CNN_EPOCHS && !env.BENCH_ONLY && !env.BENCH_THREADS;
const FASHION = "/usr/share/datasets/fashion-mnist";
const PYTHON = "/usr/bin/python3";
const OPENBLAS = "/usr/lib/x86_64-linux-gnu/openblas-openmp";
const GEMM_SHAPE = [512, 512, 512];
const TARGET_ACCURACY = 0.88;
const log = (...a) => console.error(...a);
const run = promisify(execFile);
const load = () => ({ at: new Date().toISOString(), loadavg: os.loadavg().map((x) => Math.round(x * 100) / 100) });

/** Whether this build of wasm-optim runs kernels on threads (createEngine({ threads })). */
async function threadsSupported() {
  try {
    const engine = await createEngine({ threads: 2 });
    const threads = engine.threads ?? 1; // read before dispose(), which ends the workers
    engine.dispose();
    return threads > 1;
  } catch {
    return false;
  }
}
const threadCounts = [...new Set((env.BENCH_THREADS ?? `1,${cores}`).split(",").map(Number))];
const threaded = await threadsSupported();
const oursThreads = threaded ? threadCounts : [1];
const backends = ["relaxed-simd", "simd", "scalar", "js"].filter(isBackendSupported);
const torchFound = existsSync(PYTHON) && spawnOk(PYTHON, ["-c", "import torch"]);
const blasVariants = torchFound ? [{ name: "default BLAS", env: {} }, ...(existsSync(OPENBLAS) ? [{ name: "OpenBLAS", env: { LD_LIBRARY_PATH: OPENBLAS } }] : [])] : [];

function spawnOk(cmd, args) {
  try {
    execFileSync(cmd, args, { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const result = {
  machine: machine(),
  revision: revision(),
  loadBefore: load(),
  settings: { sizes, threadCounts, oursThreads, mlpEpochs, cnnEpochs, batchSize: 128, nodeFlags: process.execArgv, backends },
  notes: [],
};
if (!threaded) result.notes.push("this build of wasm-optim has no thread pool (createEngine({ threads }) refused): its rows are 1 thread only");
if (!torchFound) result.notes.push(`PyTorch not measured: ${PYTHON} has no torch (Debian: apt-get install python3-torch)`);
else if (blasVariants.length < 2) result.notes.push(`PyTorch with OpenBLAS not measured: ${OPENBLAS} absent (Debian: apt-get install libopenblas0-openmp)`);
log(`bench:compare on ${result.machine.cpu}, ${result.machine.cores} cores, load ${result.loadBefore.loadavg.join(" ")}; threads ${oursThreads.join(",")}; PyTorch ${torchFound ? blasVariants.map((b) => b.name).join(" + ") : "absent"}`);

function revision() {
  try {
    const git = (...args) => execFileSync("git", args, { encoding: "utf8" }).trim();
    return { commit: git("rev-parse", "HEAD"), uncommitted: git("status", "--porcelain", "--", "assembly", "src").split("\n").filter(Boolean) };
  } catch {
    return null;
  }
}

/** Runs bench/torch_compare.py on a job; its JSON report, or null (with a note) when it failed. */
async function torch(job, blas) {
  const dir = mkdtempSync(join(os.tmpdir(), "wasm-optim-bench-"));
  try {
    writeFileSync(join(dir, "job.json"), JSON.stringify(job));
    const script = new URL("./torch_compare.py", import.meta.url).pathname;
    const { stdout } = await run(PYTHON, [script, join(dir, "job.json")], { env: { ...process.env, ...blas.env }, maxBuffer: 1 << 24 });
    return JSON.parse(stdout.trim().split("\n").pop());
  } catch (e) {
    result.notes.push(`PyTorch (${blas.name}) failed: ${String(e.stderr ?? e.message).trim().split("\n").pop()}`);
    return null;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// The ceilings.
log("FMA peak and memory bandwidth ...");
result.fmaPeakFlopsPerThread = await fmaPeak();
result.copyBytesPerSecond = {};
for (const t of threadCounts) result.copyBytesPerSecond[t] = median([await memoryCopy(128, t), await memoryCopy(128, t), await memoryCopy(128, t)]);
log(`  FMA ${(result.fmaPeakFlopsPerThread / 1e9).toFixed(1)} GFLOP/s per thread; memory.copy ${threadCounts.map((t) => `${t} thread${t > 1 ? "s" : ""} ${(result.copyBytesPerSecond[t] / 1e9).toFixed(1)} GB/s`).join(", ")}`);

const tf = only.has("steps") || only.has("gemm") ? await loadTf() : null;

if (only.has("steps")) {
  log("optimizer steps ...");
  result.steps = [];
  for (const n of sizes) {
    for (const name of Object.keys(OPTIMIZERS)) {
      for (const backend of backends) for (const t of oursThreads) result.steps.push(await measureOurs(n, name, backend, t, { maxTime: 1 }));
      for (const b of ["wasm", "cpu"]) result.steps.push(await measureTf(tf, n, name, b, { maxTime: 1 }));
    }
    log(`  N=${n} done`);
  }
  for (const blas of blasVariants.slice(0, 1)) { // the step does not call BLAS: one PyTorch variant suffices
    for (const t of threadCounts) {
      const r = await torch({ threads: t, steps: { sizes, optimizers: Object.keys(OPTIMIZERS), seconds: 1 } }, blas);
      for (const row of r?.steps ?? []) result.steps.push({ ...row, impl: "PyTorch", threads: t });
    }
  }
}

if (only.has("gemm")) {
  log("GEMM ...");
  const [m, n, k] = GEMM_SHAPE;
  result.gemm = [];
  for (const backend of ["relaxed-simd", "simd"].filter(isBackendSupported)) {
    for (const t of oursThreads) {
      const engine = await createEngine({ backend, initialMemoryMiB: 16, threads: t });
      const pack = engine.allocF32(GEMM_PACK_FLOATS);
      const a = engine.allocF32(m * k), b = engine.allocF32(k * n), c = engine.allocF32(m * n);
      randomFill(a.array, 1), randomFill(b.array, 2);
      for (const form of ["nn", "tn", "nt"]) {
        const gemm = engine.kernels[`f32_gemm_${form}`];
        const s = median([1, 2, 3].map(() => time(`gemm ${form} ${backend} ×${t}`, () => gemm(c.ptr, a.ptr, b.ptr, m, n, k, 0, pack.ptr), { maxTime: 1 }).median));
        result.gemm.push({ impl: `wasm-optim ${backend}`, threads: t, form, m, n, k, gflops: (2 * m * n * k) / s / 1e9 });
      }
      engine.dispose();
    }
  }
  await tf.setBackend("wasm");
  for (const form of ["nn", "tn", "nt"]) {
    const ta = form[0] === "t", tb = form[1] === "t";
    const A = tf.randomNormal(ta ? [k, m] : [m, k]), B = tf.randomNormal(tb ? [n, k] : [k, n]);
    const s = time(`gemm ${form} tfjs-wasm`, () => tf.matMul(A, B, ta, tb).dispose(), { maxTime: 1 }).median;
    tf.dispose([A, B]);
    result.gemm.push({ impl: "tfjs-wasm", threads: 1, form, m, n, k, gflops: (2 * m * n * k) / s / 1e9 });
  }
  for (const blas of blasVariants) {
    for (const t of threadCounts) {
      const r = await torch({ threads: t, gemm: { shapes: [GEMM_SHAPE], forms: ["nn", "tn", "nt"], seconds: 1 } }, blas);
      for (const row of r?.gemm ?? []) result.gemm.push({ ...row, impl: `PyTorch ${blas.name}`, threads: t });
    }
  }
}

/** One wasm-optim or TF.js training in its own process (bench/train-worker.mjs); its JSON report. */
async function trainWorker(framework, model, epochs, extra = []) {
  const args = [...process.execArgv, new URL("./train-worker.mjs", import.meta.url).pathname, "--framework", framework, "--model", model, "--epochs", String(epochs), ...extra];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
  return JSON.parse(stdout.trim().split("\n").pop());
}

/** Seconds of training until the test accuracy first reached the target (after whole epochs), or null. */
function timeToAccuracy(epochs) {
  let seconds = 0;
  for (const e of epochs) {
    seconds += e.seconds;
    if (e.testAccuracy >= TARGET_ACCURACY) return seconds;
  }
  return null;
}

function trainingRow(impl, threads, model, report) {
  const epochs = report.epochs;
  const medianEpochSeconds = median(epochs.map((e) => e.seconds));
  const last = epochs.findLast((e) => e.testAccuracy !== undefined);
  return {
    impl, threads, model, epochs: epochs.length, medianEpochSeconds, samplesPerSecond: 60000 / medianEpochSeconds,
    timeToTargetSeconds: model === "mlp" ? timeToAccuracy(epochs) : null, finalTestAccuracy: last?.testAccuracy ?? null,
    peakRssMiB: report.peakRssMiB ?? null, extrapolated: report.info?.extrapolated ?? false, epochSeconds: epochs.map((e) => e.seconds),
  };
}

if (only.has("train")) {
  log("training ...");
  result.train = [];
  const everyEpoch = (n) => Array.from({ length: n }, (_, i) => i + 1).join(",");
  const epochsOf = { mlp: mlpEpochs, cnn: cnnEpochs };
  for (const model of ["mlp", "cnn"]) {
    for (const t of oursThreads) {
      const r = await trainWorker("wasm-optim", model, epochsOf[model], ["--threads", String(t), "--eval-at", everyEpoch(epochsOf[model])]);
      result.train.push(trainingRow(`wasm-optim ${r.info.backend}`, t, model, r));
      log(`  wasm-optim ${model} ×${t}: ${r.epochs.map((e) => e.seconds.toFixed(2)).join(", ")} s`);
    }
    const tfjs = await trainWorker("tfjs-wasm", model, 1, model === "cnn" ? ["--batches", "30"] : []);
    result.train.push(trainingRow("tfjs-wasm", 1, model, tfjs));
    log(`  tfjs-wasm ${model}: ${tfjs.epochs[0].seconds.toFixed(1)} s${tfjs.info?.extrapolated ? " (extrapolated from 30 batches)" : ""}`);
  }
  if (blasVariants.length) {
    // The batch order of wasm-optim's DataLoader with seed 0 (train-worker's default): the same Rng, one shuffle
    // of the identity per epoch.
    const dir = mkdtempSync(join(os.tmpdir(), "wasm-optim-order-"));
    const orderFile = join(dir, "order.i32");
    const rng = new Rng(0), epochs = Math.max(mlpEpochs, cnnEpochs);
    const orders = new Int32Array(epochs * 60000);
    for (let e = 0; e < epochs; e++) {
      const order = orders.subarray(e * 60000, (e + 1) * 60000);
      for (let i = 0; i < order.length; i++) order[i] = i;
      rng.shuffle(order);
    }
    writeFileSync(orderFile, orders);
    for (const blas of blasVariants) {
      for (const t of threadCounts) {
        for (const model of ["mlp", "cnn"]) {
          // Debian's default BLAS is the reference implementation, 15-20× slower: one epoch of the MLP says enough.
          if (blas.name === "default BLAS" && model === "cnn") continue;
          const epochs = blas.name === "default BLAS" ? 1 : epochsOf[model];
          const r = await torch({ threads: t, train: [{ model, epochs, orderFile, dataDir: FASHION, evalEvery: 1 }] }, blas);
          if (!r) continue;
          result.train.push(trainingRow(`PyTorch ${blas.name}`, t, model, { epochs: r.train[0].epochs, peakRssMiB: r.peakRssMiB }));
          result.torch ??= { version: r.torch, blas: {} };
          result.torch.blas[blas.name] = r.blas;
          log(`  PyTorch ${blas.name} ${model} ×${t}: ${r.train[0].epochs.map((e) => e.seconds.toFixed(2)).join(", ")} s`);
        }
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}
result.loadAfter = load();

// Ratios and the issue's targets (issue 8), from this run's figures only.
const nMax = Math.max(...threadCounts);
const step = (impl, o, n, t) => result.steps?.find((r) => r.impl === impl && r.optimizer === o && r.n === n && r.threads === t)?.paramsPerSecond;
const gemmOf = (impl, form, t) => result.gemm?.find((r) => r.impl === impl && r.form === form && r.threads === t)?.gflops;
const trainOf = (prefix, model, t) => result.train?.find((r) => r.impl.startsWith(prefix) && r.model === model && r.threads === t);
const ratio = (a, b) => (a && b ? a / b : null);
const best = isBackendSupported("relaxed-simd") ? "wasm-optim relaxed-simd" : "wasm-optim simd";
const torchBest = blasVariants.at(-1) ? `PyTorch ${blasVariants.at(-1).name}` : null;
const check = (value, ok) => ({ value, met: value === null || value === undefined ? null : ok(value) });
result.targets = {
  mlpEpochVsPyTorch: check(ratio(trainOf(torchBest, "mlp", nMax)?.medianEpochSeconds, trainOf("wasm-optim", "mlp", nMax)?.medianEpochSeconds), (v) => v >= 1.1),
  mlpEpochVsTfjs: check(ratio(trainOf("tfjs-wasm", "mlp", 1)?.medianEpochSeconds, trainOf("wasm-optim", "mlp", nMax)?.medianEpochSeconds), (v) => v >= 20),
  timeToAccuracyVsPyTorch: check(ratio(trainOf(torchBest, "mlp", nMax)?.timeToTargetSeconds, trainOf("wasm-optim", "mlp", nMax)?.timeToTargetSeconds), (v) => v > 1),
  cnnEpochVsPyTorch: check(ratio(trainOf(torchBest, "cnn", nMax)?.medianEpochSeconds, trainOf("wasm-optim", "cnn", nMax)?.medianEpochSeconds), (v) => v >= 1),
  gemmFractionOfFmaPeakPerThread: check(
    result.fmaPeakFlopsPerThread && result.gemm && isBackendSupported("relaxed-simd") ? Math.min(...["nn", "tn", "nt"].map((f) => (gemmOf(best, f, 1) * 1e9) / result.fmaPeakFlopsPerThread)) : null,
    (v) => v >= 0.85,
  ),
  gemmThreadSpeedup: check(result.gemm && nMax > 1 && oursThreads.includes(nMax) ? Math.min(...["nn", "tn", "nt"].map((f) => ratio(gemmOf(best, f, nMax), gemmOf(best, f, 1)))) : null, (v) => v >= 1.8),
  adam1e7FractionOfCopyBandwidth: check(step(best, "adam", 1e7, nMax) ? (step(best, "adam", 1e7, nMax) * BYTES_PER_PARAM.adam) / result.copyBytesPerSecond[nMax] : null, (v) => v >= 0.9),
};

// The Markdown.
const f = (x, d = 1) => (x === null || x === undefined || !Number.isFinite(x) ? "–" : x.toFixed(d));
const m = result.machine;
const md = [];
md.push(`${m.cpu}, ${m.cores} cores, Node ${m.node}${process.execArgv.length ? ` (${process.execArgv.join(" ")})` : ""}, ${m.date.slice(0, 10)}; load average ${result.loadBefore.loadavg.join(" ")} before, ${result.loadAfter.loadavg.join(" ")} after.`);
md.push(`FMA peak ${f(result.fmaPeakFlopsPerThread / 1e9)} GFLOP/s per thread (relaxed SIMD); memory.copy ${threadCounts.map((t) => `${f(result.copyBytesPerSecond[t] / 1e9)} GB/s on ${t} thread${t > 1 ? "s" : ""}`).join(", ")}.`, "");
if (result.train) {
  md.push("| Fashion-MNIST, batch 128, Adam 1e-3 | threads | MLP epoch | MLP samples/s | MLP time to 0.88 test acc. | CNN epoch | peak RSS (MLP) |", "|---|---:|---:|---:|---:|---:|---:|");
  const impls = [...new Set(result.train.map((r) => r.impl))];
  for (const impl of impls) {
    for (const t of threadCounts) {
      const mlp = result.train.find((r) => r.impl === impl && r.model === "mlp" && r.threads === t);
      const cnn = result.train.find((r) => r.impl === impl && r.model === "cnn" && r.threads === t);
      if (!mlp && !cnn) continue;
      const note = (r) => (r?.extrapolated ? " (extrapolated)" : r?.epochs === 1 ? " (1 epoch)" : "");
      md.push(`| ${impl} | ${t} | ${f(mlp?.medianEpochSeconds, 2)} s${note(mlp)} | ${f(mlp?.samplesPerSecond, 0)} | ${mlp?.timeToTargetSeconds ? `${f(mlp.timeToTargetSeconds, 1)} s` : "–"} | ${f(cnn?.medianEpochSeconds, 1)} s${note(cnn)} | ${f(mlp?.peakRssMiB, 0)} MiB |`);
    }
  }
  md.push("");
}
if (result.steps) {
  const impls = [...new Set(result.steps.map((r) => `${r.impl}|${r.threads}`))];
  md.push(`| optimizer step (M params/s) | N | ${impls.map((i) => i.replace("|", " ×")).join(" | ")} | ${best.replace("wasm-optim ", "")} ×${nMax} % of copy bandwidth |`);
  md.push(`|---|---|${impls.map(() => "---:").join("|")}|---:|`);
  for (const n of sizes) {
    for (const o of Object.keys(OPTIMIZERS)) {
      const cells = impls.map((i) => { const [impl, t] = i.split("|"); return f(step(impl, o, n, Number(t)) / 1e6, 0); });
      const frac = step(best, o, n, nMax) ? (100 * step(best, o, n, nMax) * BYTES_PER_PARAM[o]) / result.copyBytesPerSecond[nMax] : null;
      md.push(`| ${o} | ${n.toExponential(0)} | ${cells.join(" | ")} | ${f(frac, 0)} % |`);
    }
  }
  md.push("");
}
if (result.gemm) {
  md.push(`| GEMM ${GEMM_SHAPE.join("×")} (GFLOP/s) | threads | nn | tn | nt | per thread, % of FMA peak (worst form) |`, "|---|---:|---:|---:|---:|---:|");
  for (const key of [...new Set(result.gemm.map((r) => `${r.impl}|${r.threads}`))]) {
    const [impl, t] = key.split("|");
    const g = ["nn", "tn", "nt"].map((form) => gemmOf(impl, form, Number(t)));
    const peak = result.fmaPeakFlopsPerThread ? (100 * Math.min(...g) * 1e9) / Number(t) / result.fmaPeakFlopsPerThread : null;
    md.push(`| ${impl} | ${t} | ${g.map((x) => f(x)).join(" | ")} | ${impl.startsWith("wasm-optim") ? `${f(peak, 0)} %` : "–"} |`);
  }
  md.push("");
}
const met = (t) => (t.met === null ? "not measured" : t.met ? "met" : "NOT met");
const T = result.targets;
md.push(`Targets (issue 8, ${nMax} threads):`);
md.push(`- MLP epoch ≥ 1.1× faster than ${torchBest ?? "PyTorch"}: ${met(T.mlpEpochVsPyTorch)} (${f(T.mlpEpochVsPyTorch.value, 2)}×)`);
md.push(`- MLP epoch ≥ 20× faster than TF.js-wasm: ${met(T.mlpEpochVsTfjs)} (${f(T.mlpEpochVsTfjs.value, 1)}×)`);
md.push(`- time to ${TARGET_ACCURACY} test accuracy below PyTorch's: ${met(T.timeToAccuracyVsPyTorch)} (PyTorch's time / ours: ${f(T.timeToAccuracyVsPyTorch.value, 2)})`);
md.push(`- CNN epoch at least as fast as PyTorch (oneDNN): ${met(T.cnnEpochVsPyTorch)} (${f(T.cnnEpochVsPyTorch.value, 2)}×)`);
md.push(`- GEMM (relaxed SIMD) ≥ 85 % of the FMA peak per thread, all forms: ${met(T.gemmFractionOfFmaPeakPerThread)} (${f(100 * (T.gemmFractionOfFmaPeakPerThread.value ?? NaN), 0)} %)`);
md.push(`- GEMM ≥ 1.8× on ${nMax} threads: ${met(T.gemmThreadSpeedup)} (${f(T.gemmThreadSpeedup.value, 2)}×)`);
md.push(`- Adam 1e7 on ${nMax} threads ≥ 90 % of the ${nMax}-thread copy bandwidth: ${met(T.adam1e7FractionOfCopyBandwidth)} (${f(100 * (T.adam1e7FractionOfCopyBandwidth.value ?? NaN), 0)} %)`);
if (result.notes.length) md.push("", ...result.notes.map((n) => `Note: ${n}.`));
const markdown = md.join("\n") + "\n";
console.log(markdown);

const svg = barChart(`wasm-optim, TensorFlow.js and PyTorch on ${m.cpu} (${m.date.slice(0, 10)})`, [
  ...["mlp", "cnn"].map((model) => ({
    title: `Fashion-MNIST ${model.toUpperCase()}: seconds per epoch (shorter is better)`,
    unit: "s",
    bars: (result.train ?? []).filter((r) => r.model === model).map((r) => ({ label: `${r.impl} ×${r.threads}`, value: r.medianEpochSeconds })),
  })),
  { title: `GEMM ${GEMM_SHAPE.join("×")} nn (GFLOP/s)`, unit: "GFLOP/s", bars: (result.gemm ?? []).filter((r) => r.form === "nn").map((r) => ({ label: `${r.impl} ×${r.threads}`, value: r.gflops })) },
  { title: "Adam step, 1e7 parameters (M params/s)", unit: "M/s", bars: (result.steps ?? []).filter((r) => r.optimizer === "adam" && r.n === 1e7).map((r) => ({ label: `${r.impl} ×${r.threads}`, value: r.paramsPerSecond / 1e6 })) },
]);
if (full) {
  const dir = new URL("./results/", import.meta.url);
  mkdirSync(dir, { recursive: true });
  writeFileSync(new URL("compare.json", dir), JSON.stringify(result, null, 2) + "\n");
  writeFileSync(new URL("compare.md", dir), markdown);
  writeFileSync(new URL("compare.svg", dir), svg);
  log("wrote bench/results/compare.{json,md,svg}");
} else log("(a partial run: bench/results/compare.* not written)");
