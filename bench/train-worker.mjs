// One framework training one model on Fashion-MNIST, alone in its process so that its peak RSS is its own.
// Prints one line of JSON: per-epoch times, samples/s, losses, test accuracies, and peak RSS
// (process.resourceUsage().maxRSS, which covers loading the data, the model and training), with the RSS after the
// imports, the peak after loading the data, and the RSS at the end.
//   node --experimental-wasm-relaxed-simd bench/train-worker.mjs --framework wasm-optim|tfjs-wasm --model mlp|cnn \
//        --epochs N [--eval-at 1,5,10] [--batches B (time B batches, extrapolate an epoch)] [--seed S] [--threads T (wasm-optim)]
import { parseArgs } from "node:util";

const { values } = parseArgs({
  options: {
    framework: { type: "string" },
    model: { type: "string" },
    epochs: { type: "string", default: "10" },
    "eval-at": { type: "string", default: "1,5,10" },
    batches: { type: "string" },
    seed: { type: "string", default: "0" },
    threads: { type: "string", default: "1" },
  },
});
// Each framework's code is imported only in its own worker, with the way it loads the data (wasm-optim: into its
// engine's memory; TF.js: as typed arrays, which it copies into its tensors).
const trainers = {
  "wasm-optim": async () => {
    const { trainWasmOptim, loadData } = await import("./lib/train-wasm-optim.mjs");
    return { train: trainWasmOptim, loadData };
  },
  "tfjs-wasm": async () => {
    const [{ trainTfjs }, { fashionMnist }] = await Promise.all([import("./lib/train-tfjs.mjs"), import("./lib/fashion.mjs")]);
    return { train: trainTfjs, loadData: () => fashionMnist() };
  },
};
if (!trainers[values.framework]) throw new Error(`--framework must be one of ${Object.keys(trainers).join(", ")}, got ${values.framework}`);
if (values.model !== "mlp" && values.model !== "cnn") throw new Error(`--model must be mlp or cnn, got ${values.model}`);
const epochs = Number(values.epochs);
if (!Number.isInteger(epochs) || epochs < 1) throw new Error(`--epochs must be a positive integer, got ${values.epochs}`);
const batches = values.batches === undefined ? 0 : Number(values.batches);
if (!Number.isInteger(batches) || batches < 0) throw new Error(`--batches must be a non-negative integer, got ${values.batches}`);
const threads = Number(values.threads);
if (!Number.isInteger(threads) || threads < 1) throw new Error(`--threads must be a positive integer, got ${values.threads}`);
if (threads > 1 && values.framework !== "wasm-optim") throw new Error(`--threads: only wasm-optim's side takes a thread count`);
const evalAt = [...new Set([...values["eval-at"].split(",").map(Number), epochs])].filter((e) => e >= 1 && e <= epochs);

const MiB = 2 ** 20;
const { train, loadData } = await trainers[values.framework]();
const rss = { afterImportsMiB: process.memoryUsage().rss / MiB };
const started = performance.now();
const data = await loadData({ threads });
const loadSeconds = (performance.now() - started) / 1000;
rss.peakAfterLoadingDataMiB = process.resourceUsage().maxRSS / 1024;
const result = await train({ model: values.model, epochs, evalAt, batchSize: 128, data, seed: Number(values.seed), batches });
const rusage = process.resourceUsage();
console.log(JSON.stringify({
  framework: values.framework,
  model: values.model,
  batchSize: 128,
  seed: Number(values.seed),
  threads,
  loadSeconds,
  totalSeconds: (performance.now() - started) / 1000,
  peakRssMiB: rusage.maxRSS / 1024,
  rss: { ...rss, endMiB: process.memoryUsage().rss / MiB },
  cpuSeconds: (rusage.userCPUTime + rusage.systemCPUTime) / 1e6,
  ...result,
}));
