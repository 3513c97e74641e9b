// A lab worker: trains one optimizer (run.js), or runs its LR range test, and streams what happens to the page.
// Messages in:  { type: 'train', config, module? } | { type: 'lr-find', config } | 'pause' | 'resume' | 'stop'
// Messages out: { type: 'ready', backend, reason, threads } · { type: 'steps', steps: [[step, loss], ...] }
//   · { type: 'accuracy', step, accuracy } · { type: 'boundary', probabilities, box } · { type: 'epoch', record }
//   · { type: 'done', weights, confusion, divergence, steps } · { type: 'lr-find', result } · { type: 'error', message }
import * as lib from "../../dist/index.js";
import { makeData, trainRun } from "./run.js";

let paused = null; // a promise while paused, with its resolve
let stopped = false;
let pending = [];
let lastFlush = 0;

/** An engine on the module the page compiled (one compile for every worker), with threads where the library and
 * the page allow them (createEngine({ threads }), feature-detected: an engine without the option refuses it). */
async function engineFor(module, backend, threads) {
  const base = module ? { module } : { backend };
  if (threads > 1) {
    try {
      return { engine: await lib.createEngine({ ...base, threads }), threads };
    } catch {
      // no threads in this build or this page: one thread
    }
  }
  return { engine: await lib.createEngine(base), threads: 1 };
}

function flush(force) {
  const now = performance.now();
  if (!pending.length || (!force && now - lastFlush < 100)) return;
  lastFlush = now;
  postMessage({ type: "steps", steps: pending });
  pending = [];
}

/** Lets the page's messages in every few milliseconds, and waits while paused. */
let lastYield = 0;
function gate() {
  if (paused) return paused.promise;
  const now = performance.now();
  if (now - lastYield < 15) return null;
  lastYield = now;
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** Fashion-MNIST's four files, fetched from where the page serves them (the browser caches them for the others). */
async function withFiles(config) {
  if (config.dataset !== "fashion") return config;
  const entries = await Promise.all(Object.entries(lib.FASHION_MNIST_FILES).map(async ([key, name]) => {
    const url = new URL(`${name}.gz`, config.fashionUrl);
    const response = await fetch(url);
    if (!response.ok) throw new Error(`Fashion-MNIST: ${url} answered HTTP ${response.status}`);
    return [key, { bytes: new Uint8Array(await response.arrayBuffer()), source: url.pathname }];
  }));
  return { ...config, files: Object.fromEntries(entries) };
}

/** The decision boundary, at most every 150 ms (the page shows the latest; the run computes it at fixed steps). */
let lastBoundary = -Infinity;
function postBoundary(msg) {
  const now = performance.now();
  if (now - lastBoundary < 150) return;
  lastBoundary = now;
  postMessage(msg, [msg.probabilities.buffer]);
}

async function train({ config: given, module, threads }) {
  const config = await withFiles(given);
  const { engine, threads: used } = await engineFor(module, config.backend, threads);
  postMessage({ type: "ready", backend: engine.backend, reason: engine.backendReason, threads: used });
  const result = await trainRun(lib, engine, config, {
    batch: (step, loss) => (pending.push([step, loss]), flush(false)),
    accuracy: (step, accuracy) => postMessage({ type: "accuracy", step, accuracy }),
    boundary: (probabilities, box) => postBoundary({ type: "boundary", probabilities, box }),
    epoch: (record) => postMessage({ type: "epoch", record }),
    gate,
    stopped: () => stopped,
  });
  flush(true);
  postMessage({ type: "done", ...result, stopped });
}

async function lrFind({ config: given, module }) {
  const config = await withFiles(given);
  const { engine } = await engineFor(module, config.backend, 1);
  const data = await makeData(lib, config.dataset, config.seed, config.files);
  const spec = lib.parseOptimizerSpec(config.optimizer);
  const result = await lib.lrFind({
    engine, model: config.model, data, optimizer: spec.make, batchSize: config.batchSize, seed: config.seed,
    startLr: 1e-5, endLr: 10, numIter: 120,
  });
  postMessage({ type: "lr-find", result: { lrs: result.lrs, smoothed: result.smoothed, suggestion: result.suggestion } });
}

onmessage = (event) => {
  const msg = event.data;
  if (msg === "pause") {
    if (!paused) {
      let resolve;
      paused = { promise: new Promise((r) => (resolve = r)) };
      paused.resolve = resolve;
    }
  } else if (msg === "resume" || msg === "stop") {
    if (msg === "stop") stopped = true;
    paused?.resolve();
    paused = null;
  } else {
    const run = msg.type === "train" ? train(msg) : lrFind(msg);
    run.catch((error) => postMessage({ type: "error", message: String(error?.message ?? error) }));
  }
};
