// An LSTM training step (issue 9): wasm-optim against TensorFlow.js's LSTM on its wasm backend (one thread, SIMD)
// and, where Debian's /usr/bin/python3 has torch, PyTorch's nn.LSTM on the CPU with one thread (a subprocess), in
// the same run. The same step everywhere: an LSTM (input 32, hidden 128, sequence 64, batch-first) on random
// inputs, its last step into Linear(128, 10), softmax cross-entropy on random labels, Adam (lr 1e-3); one step is
// forward, backward and the update. Reported: the median step time over timed steps (after warm-up steps), tokens
// (sequence steps of a sample) per second = batch · T / step time, and the ratios to wasm-optim.
//   npm run bench:lstm
//   BENCH_HIDDEN=16 BENCH_T=8 BENCH_BATCH=4 BENCH_STEPS=3 node bench/lstm.bench.mjs    (a smoke run; nothing written)
// Knobs: BENCH_HIDDEN (128), BENCH_T (64), BENCH_BATCH (32), BENCH_INPUT (32), BENCH_STEPS (timed steps, 20),
// BENCH_WARMUP (3), BENCH_BACKEND (wasm-optim's backend, default the best), BENCH_ONLY=wasm-optim,tfjs,torch.
// Writes bench/results/lstm.json at the default sizes.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { machine } from "./lib/machine.mjs";
import { median } from "./lib/suite.mjs";
import { loadTf } from "./lib/tf.mjs";
import { Adam, CrossEntropyLoss, Linear, LSTM, Sequential, createEngine } from "../dist/index.js";

const env = process.env;
const H = Number(env.BENCH_HIDDEN ?? 128), T = Number(env.BENCH_T ?? 64), B = Number(env.BENCH_BATCH ?? 32), IN = Number(env.BENCH_INPUT ?? 32);
const STEPS = Number(env.BENCH_STEPS ?? 20), WARMUP = Number(env.BENCH_WARMUP ?? 3), CLASSES = 10;
const only = new Set((env.BENCH_ONLY ?? "wasm-optim,tfjs,torch").split(","));
const defaults = H === 128 && T === 64 && B === 32 && IN === 32 && only.size === 3;
const log = (...a) => console.error(...a);
const require = createRequire(import.meta.url);

/** Deterministic inputs and labels, the same for every framework. */
const x = Float32Array.from({ length: B * T * IN }, (_, i) => Math.sin(i * 0.37) * 0.8);
const labels = Int32Array.from({ length: B }, (_, i) => (i * 7) % CLASSES);

/** Median seconds of `step` over STEPS calls after WARMUP. */
async function timeSteps(step) {
  for (let i = 0; i < WARMUP; i++) await step();
  const times = [];
  for (let i = 0; i < STEPS; i++) {
    const t0 = performance.now();
    await step();
    times.push((performance.now() - t0) / 1000);
  }
  return median(times);
}

async function wasmOptim() {
  const engine = await createEngine(env.BENCH_BACKEND ? { backend: env.BENCH_BACKEND } : {});
  const model = new Sequential([new LSTM(IN, H, { returnSequences: false }), new Linear(H, CLASSES)]).compile(engine, { inputShape: [T, IN], batchSize: B, seed: 0 });
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const loss = new CrossEntropyLoss();
  model.input.array.set(x);
  const y = engine.allocI32(B);
  y.array.set(labels);
  const seconds = await timeSteps(() => {
    model.zeroGrad();
    model.forward(B, true);
    loss.compute(model.output, { labels: y }, B, model.dOutput);
    model.backward(B);
    optimizer.step();
  });
  return { seconds, backend: engine.backend };
}

async function tfjs() {
  const tf = await loadTf();
  await tf.setBackend("wasm");
  await tf.ready();
  const tfl = require("@tensorflow/tfjs-layers");
  // The recurrent weights start Glorot-uniform: tfjs-layers' default orthogonal initializer calls a chained op
  // (Tensor.flatten) that tfjs-core's node build does not register. The step's cost does not depend on it.
  const lstm = tfl.layers.lstm({ units: H, inputShape: [T, IN], recurrentInitializer: "glorotUniform" });
  const model = tfl.sequential({ layers: [lstm, tfl.layers.dense({ units: CLASSES })] });
  model.compile({ optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-8), loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const xs = tf.tensor(x, [B, T, IN]);
  const ys = tf.cast(tf.oneHot(tf.tensor1d(labels, "int32"), CLASSES), "float32");
  const seconds = await timeSteps(() => model.trainOnBatch(xs, ys));
  return { seconds, backend: tf.getBackend(), threads: tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? "multi" : "1", simd: tf.env().getBool("WASM_HAS_SIMD_SUPPORT") };
}

const TORCH = `
import json, sys, time, torch
torch.set_num_threads(1)
H, T, B, IN, C, steps, warmup = [int(a) for a in sys.argv[1:8]]
torch.manual_seed(0)
lstm, head = torch.nn.LSTM(IN, H, batch_first=True), torch.nn.Linear(H, C)
opt = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-3)
x = torch.sin(torch.arange(B * T * IN, dtype=torch.float64) * 0.37).float().mul(0.8).reshape(B, T, IN)
y = torch.tensor([(i * 7) % C for i in range(B)])
loss_fn = torch.nn.CrossEntropyLoss()
def step():
    opt.zero_grad()
    out, _ = lstm(x)
    loss_fn(head(out[:, -1]), y).backward()
    opt.step()
for _ in range(warmup): step()
times = []
for _ in range(steps):
    t0 = time.perf_counter(); step(); times.append(time.perf_counter() - t0)
times.sort()
print(json.dumps({"seconds": times[len(times) // 2], "torch": torch.__version__, "threads": torch.get_num_threads()}))
`;

function torch() {
  if (!existsSync("/usr/bin/python3")) return null;
  try {
    const out = execFileSync("/usr/bin/python3", ["-c", TORCH, ...[H, T, B, IN, CLASSES, STEPS, WARMUP].map(String)], { encoding: "utf8", env: { ...env, OMP_NUM_THREADS: "1" } });
    return JSON.parse(out.trim().split("\n").pop());
  } catch (e) {
    log(`  PyTorch: not run (${String(e.message).split("\n")[0]})`);
    return null;
  }
}

log(`LSTM training step: input ${IN}, hidden ${H}, T = ${T}, batch ${B}; ${STEPS} timed steps after ${WARMUP}`);
const results = {};
if (only.has("wasm-optim")) results["wasm-optim"] = await wasmOptim();
if (only.has("tfjs")) results["tfjs-wasm"] = await tfjs();
if (only.has("torch")) {
  const r = torch();
  if (r) results["pytorch-cpu-1-thread"] = r;
}
const ours = results["wasm-optim"]?.seconds;
const rows = Object.entries(results).map(([name, r]) => ({
  name, ...r, tokensPerSecond: (B * T) / r.seconds, ratio: ours ? r.seconds / ours : NaN,
}));
console.log("| framework | step (ms) | tokens/s | its step / wasm-optim's |\n|---|---:|---:|---:|");
for (const r of rows) console.log(`| ${r.name} | ${(r.seconds * 1000).toFixed(2)} | ${Math.round(r.tokensPerSecond)} | ${Number.isNaN(r.ratio) ? "–" : `${r.ratio.toFixed(2)}×`} |`);
if (defaults) {
  mkdirSync(new URL("./results/", import.meta.url), { recursive: true });
  const targets = { tfjsSpeedup: 5, torchSpeedup: 1 };
  writeFileSync(new URL("./results/lstm.json", import.meta.url), JSON.stringify({ machine: machine(), sizes: { input: IN, hidden: H, steps: T, batch: B }, targets, results: rows }, null, 2) + "\n");
  log("wrote bench/results/lstm.json");
}
