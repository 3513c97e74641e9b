// The lab page: the setup form, one Web Worker per optimizer (worker.js), live charts, decision boundaries, test
// results, the LR range test and the landscape playground. The kernel module is compiled once here and posted
// to every worker.
import * as lib from "../../dist/index.js";
import { boundary, CLASS_COLORS, contours, lineChart, PALETTE } from "./charts.js";
import { DATASETS, GRID, makeData, MODELS } from "./run.js";

const $ = (id) => document.getElementById(id);
const FASHION_URL = new URL("../data/fashion-mnist/", location.href);

/** The optimizers offered, with a rate that suits the small models here. */
const KINDS = {
  sgd: { label: "SGD", lr: 0.1 }, adam: { label: "Adam", lr: 0.01 }, adamw: { label: "AdamW", lr: 0.01 }, adamax: { label: "Adamax", lr: 0.02 },
  nadam: { label: "NAdam", lr: 0.01 }, radam: { label: "RAdam", lr: 0.01 }, lion: { label: "Lion", lr: 0.001 }, adagrad: { label: "Adagrad", lr: 0.1 },
  rmsprop: { label: "RMSprop", lr: 0.005 }, adadelta: { label: "Adadelta", lr: 1 }, rprop: { label: "Rprop", lr: 0.01 }, asgd: { label: "ASGD", lr: 0.05 },
};
const DEFAULT_ROWS = [
  { kind: "sgd", lr: 0.1, extra: "" },
  { kind: "sgd", lr: 0.05, extra: "momentum=0.9" },
  { kind: "adam", lr: 0.01, extra: "" },
  { kind: "rmsprop", lr: 0.005, extra: "" },
];
/** The playground's line-up: rates that suit the 2-D test functions (as `wasm-optim landscape` uses). */
const LANDSCAPE_OPTIMIZERS = [
  ["SGD", "sgd:lr=2e-3"], ["Momentum", "sgd:lr=2e-3,momentum=0.9"], ["Nesterov", "sgd:lr=2e-3,momentum=0.9,nesterov"],
  ["Adagrad", "adagrad:lr=0.5"], ["RMSprop", "rmsprop:lr=0.01"], ["Adam", "adam:lr=0.05"], ["L-BFGS", "lbfgs:lr=1,lineSearchFn=strong_wolfe"],
];

const state = { runs: [], module: null, backend: "", lr: [], dirty: false, latencies: [], fashion: false, test: null };
window.lab = state; // for the tests and the curious (the console)

// ---------------------------------------------------------------- the setup form

function fill(select, entries, selected) {
  select.replaceChildren(...entries.map(([value, text, disabled]) => Object.assign(new Option(text, value, false, value === selected), { disabled: !!disabled })));
}

function addRow({ kind, lr, extra }) {
  const row = document.createElement("div");
  row.className = "opt";
  row.innerHTML = `<i class="dot"></i><select aria-label="optimizer"></select><input aria-label="learning rate" type="number" step="any" min="0"><input class="extra" aria-label="options" placeholder="e.g. momentum=0.9" spellcheck="false"><button type="button" aria-label="remove">×</button>`;
  const [select, rate, options] = row.querySelectorAll("select, input");
  fill(select, Object.entries(KINDS).map(([k, v]) => [k, v.label]), kind);
  rate.value = lr;
  options.value = extra;
  select.addEventListener("change", () => (rate.value = KINDS[select.value].lr));
  row.querySelector("button").addEventListener("click", () => (row.remove(), colourRows()));
  $("optimizers").append(row);
  colourRows();
}

function colourRows() {
  [...$("optimizers").children].forEach((row, i) => (row.querySelector(".dot").style.background = PALETTE[i % PALETTE.length]));
  $("add").disabled = $("optimizers").children.length >= PALETTE.length;
}

/** The rows as optimizer specs ('sgd:lr=0.05,momentum=0.9'), each checked by the library's parser. */
function optimizerSpecs() {
  return [...$("optimizers").children].map((row, i) => {
    const [select, rate, options] = row.querySelectorAll("select, input");
    const text = `${select.value}:lr=${Number(rate.value)}${options.value.trim() ? `,${options.value.trim().replace(/\s+/g, "")}` : ""}`;
    const spec = lib.parseOptimizerSpec(text); // throws, naming the bad key or value
    return { text, name: `${KINDS[select.value].label} ${spec.name.slice(spec.label.length).replace(/^ \((.*)\)$/, "$1") || `lr=${rate.value}`}`, color: PALETTE[i % PALETTE.length], row };
  });
}

function config(text) {
  return {
    dataset: $("dataset").value, model: $("model").value, optimizer: text, epochs: Math.max(1, Math.round(+$("epochs").value)),
    batchSize: Math.max(1, Math.round(+$("batch").value)), seed: Math.max(0, Math.round(+$("seed").value)), backend: state.backend || "auto", fashionUrl: FASHION_URL.href,
  };
}

function onDataset() {
  const d = DATASETS[$("dataset").value];
  $("model").value = d.model;
  $("epochs").value = d.epochs;
  $("batch").value = d.batchSize;
  $("boundaries-card").hidden = !d.twoD;
  warn("");
  // Fashion-MNIST is served with the page when its files are there (ln -s /usr/share/datasets/fashion-mnist web/data/).
  if ($("dataset").value === "fashion") {
    fetch(new URL("t10k-labels-idx1-ubyte.gz", FASHION_URL), { method: "HEAD" }).then((r) => {
      if (!r.ok) warn(`Fashion-MNIST needs its four .gz files under ${FASHION_URL.pathname} (for example: ln -s /usr/share/datasets/fashion-mnist web/data/fashion-mnist).`);
    });
  }
}

// ---------------------------------------------------------------- training side by side

function threadsPerRun(runs) {
  return self.crossOriginIsolated ? Math.max(1, Math.floor((navigator.hardwareConcurrency || 2) / runs)) : 1;
}

function stopAll() {
  for (const run of state.runs) run.worker?.terminate();
  setRunning(false);
}

function setRunning(running) {
  $("train").disabled = $("lrfind").disabled = running;
  $("pause").disabled = $("stop").disabled = !running;
  $("pause").textContent = "Pause";
  state.paused = false;
}

/** Stops what runs and reads the form's optimizers; null (and a warning saying why) when there are none to run. */
function startFresh() {
  stopAll();
  try {
    const specs = optimizerSpecs();
    warn(specs.length ? "" : "Add an optimizer first.");
    return specs.length ? specs : null;
  } catch (e) {
    warn(escape(e.message));
    return null;
  }
}

async function train() {
  const specs = startFresh();
  if (!specs) return;
  const twoD = DATASETS[$("dataset").value].twoD;
  const base = config("");
  state.test = twoD ? (await makeData(lib, base.dataset, base.seed)).test : null;
  state.classNames = base.dataset === "fashion" ? lib.FASHION_MNIST_CLASSES : base.dataset === "digits" ? [..."0123456789"] : null;
  const threads = threadsPerRun(specs.length);
  state.runs = specs.map((spec) => ({ ...spec, steps: [], accuracy: [], test: [], stepsPerEpoch: 0, epoch: 0, boundary: null, result: null, status: "starting", error: null }));
  $("boundaries").replaceChildren(...state.runs.map((run) => tile(run)));
  $("results").replaceChildren(...state.runs.map((run) => (run.card = document.createElement("div"))));
  setRunning(true);
  state.started = performance.now();
  for (const run of state.runs) {
    run.worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    run.worker.onmessage = (e) => onRunMessage(run, e.data);
    run.worker.onerror = (e) => onRunMessage(run, { type: "error", message: e.message ?? "the worker did not start" });
    run.worker.postMessage({ type: "train", config: config(run.text), module: state.module, threads });
  }
  draw();
}

function onRunMessage(run, msg) {
  switch (msg.type) {
    case "ready":
      run.status = "training";
      $("threads").textContent = `${state.runs.length} workers × ${msg.threads} thread${msg.threads > 1 ? "s" : ""}`;
      break;
    case "steps":
      run.steps.push(...msg.steps);
      if (msg.steps.some(([, loss]) => !Number.isFinite(loss))) run.status = "diverging";
      break;
    case "accuracy":
      if (Number.isFinite(msg.accuracy)) run.accuracy.push([msg.step, msg.accuracy]);
      break;
    case "boundary":
      run.boundary = { ...msg, fresh: true };
      break;
    case "epoch":
      run.epoch = msg.record.epoch + 1;
      run.test.push([run.steps.length ? run.steps[run.steps.length - 1][0] : 0, msg.record.valAccuracy]);
      break;
    case "done":
      run.result = msg;
      run.status = msg.divergence ? "diverged" : msg.stopped ? "stopped" : "done";
      run.worker.terminate();
      results(run);
      break;
    case "error":
      run.status = "error";
      run.error = msg.message;
      run.worker.terminate();
      break;
  }
  state.dirty = true;
  if (state.runs.every((r) => ["done", "diverged", "stopped", "error"].includes(r.status))) {
    setRunning(false);
    state.finished = performance.now();
  }
}

function warn(text) {
  $("warnings").innerHTML = text;
}

/** Exponential moving average of the step losses (bias-corrected, as TensorBoard smooths). */
function smooth(points, beta) {
  let avg = 0, n = 0;
  return points.map(([x, y]) => {
    if (!Number.isFinite(y)) return [x, NaN];
    avg = beta * avg + (1 - beta) * y;
    n++;
    return [x, avg / (1 - beta ** n)];
  });
}

function tile(run) {
  const el = document.createElement("div");
  el.className = "tile";
  el.innerHTML = `<h3><em></em><span></span></h3><canvas></canvas>`;
  el.querySelector("em").textContent = run.name;
  el.querySelector("em").style.color = run.color;
  el.querySelector("em").style.fontStyle = "normal";
  run.tile = el;
  return el;
}

/** Redraws the charts (and the decision boundaries that changed). */
function draw() {
  drawLoss();
  drawRest();
}

function drawLoss() {
  const beta = +$("smoothing").value;
  const runs = state.runs;
  const steps = Math.max(1, ...runs.map((r) => (r.steps.length ? r.steps[r.steps.length - 1][0] : 0)));
  lineChart($("loss"), {
    xLabel: "step", yLabel: "loss", empty: "Press Train: the curves appear here as the workers learn.", xMax: steps,
    yMax: Math.max(0.1, ...runs.map((r) => (r.steps.length ? Math.min(5, 1.15 * Math.max(...smooth(r.steps.slice(0, 20), beta).map((p) => p[1]).filter(Number.isFinite))) : 0))),
    series: runs.flatMap((r) => [
      { color: `${r.color}33`, width: 1, points: r.steps },
      { color: r.color, width: 2.2, points: smooth(r.steps, beta) },
    ]),
  });
}

function drawRest() {
  const runs = state.runs;
  const steps = Math.max(1, ...runs.map((r) => (r.steps.length ? r.steps[r.steps.length - 1][0] : 0)));
  lineChart($("accuracy"), {
    xLabel: "step", yLabel: "accuracy", empty: "Accuracy appears once training starts.", yMin: 0, yMax: 1, percent: true, xMax: steps,
    series: runs.flatMap((r) => [{ color: r.color, points: r.accuracy }, { color: r.color, width: 1, dash: [4, 3], markers: true, points: r.test }]),
  });
  $("legend").innerHTML = runs.map((r) => `<span><i style="background:${r.color}"></i>${escape(r.name)}: ${statusText(r)}</span>`).join("");
  const warnings = runs.filter((r) => r.status === "diverged" || r.status === "diverging" || r.error)
    .map((r) => `<span class="warn">${escape(r.name)} ${r.error ? `failed: ${escape(r.error)}` : r.status === "diverging" ? "is diverging (its loss is no longer finite)" : `diverged: ${escape(r.result.divergence)}`}.</span> Try a smaller learning rate.`);
  if (warnings.length) warn(warnings.join("<br>"));
  if (state.test) {
    for (const r of runs) {
      if (!r.tile) continue;
      r.tile.classList.toggle("diverged", r.status === "diverged");
      r.tile.querySelector("span").textContent = statusText(r);
      if (r.boundary?.fresh) boundary(r.tile.querySelector("canvas"), r.boundary.probabilities, r.boundary.box, state.test.numClasses, state.test.x, state.test.labels, GRID);
      if (r.boundary) r.boundary.fresh = false;
    }
  }
}

function statusText(r) {
  const last = r.test.length ? r.test[r.test.length - 1][1] : NaN;
  const acc = Number.isFinite(last) ? ` · test ${(100 * last).toFixed(1)}%` : "";
  return `${r.status === "training" ? `epoch ${r.epoch + 1}` : r.status}${acc}`;
}

const escape = (s) => String(s).replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Per-class accuracy bars and the confusion matrix of a finished run. */
function results(run) {
  const cm = run.result.confusion;
  const names = state.classNames ?? cm.map((_, k) => `class ${k}`);
  const total = cm.flat().reduce((a, b) => a + b, 0);
  const right = cm.reduce((s, row, k) => s + row[k], 0);
  const el = run.card;
  el.className = `tile${run.status === "diverged" ? " diverged" : ""}`;
  const rows = cm.map((row, k) => {
    const n = row.reduce((a, b) => a + b, 0);
    const a = n ? row[k] / n : 0;
    return `<span>${escape(names[k])}</span><b style="width:${(100 * a).toFixed(1)}%;background:${run.color}"></b><span>${(100 * a).toFixed(0)}%</span>`;
  });
  const max = Math.max(1, ...cm.flat());
  const matrix = cm.map((row, k) => `<tr>${row.map((v, j) => `<td title="true ${escape(names[k])}, predicted ${escape(names[j])}: ${v}" style="background:${j === k ? run.color : "#dc2626"}${Math.round(15 + 200 * (v / max)).toString(16).padStart(2, "0")}">${v || ""}</td>`).join("")}</tr>`).join("");
  el.innerHTML = `<h3><em style="font-style:normal;color:${run.color}">${escape(run.name)}</em><span>${(100 * right / total).toFixed(1)}% of ${total} test samples</span></h3>
    <div class="bars">${rows.join("")}</div><table class="cm">${matrix}</table>`;
}

// ---------------------------------------------------------------- the LR range test

function lrFindAll() {
  const specs = startFresh();
  if (!specs) return;
  state.lr = specs.map((s) => ({ ...s, result: null }));
  $("lrnote").textContent = "Sweeping…";
  $("use-lr").disabled = true;
  for (const entry of state.lr) {
    const worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
    worker.onmessage = (e) => {
      worker.terminate();
      if (e.data.type === "error") entry.error = e.data.message;
      else entry.result = e.data.result;
      drawLr();
    };
    worker.postMessage({ type: "lr-find", config: config(entry.text), module: state.module });
  }
  drawLr();
}

function drawLr() {
  const done = state.lr.filter((e) => e.result);
  lineChart($("lrchart"), {
    xLabel: "learning rate", yLabel: "smoothed loss", logX: true, empty: state.lr.length ? "Sweeping…" : "No LR range test yet.",
    yMax: Math.max(0.1, ...done.map((e) => 1.3 * e.result.smoothed[0])),
    series: done.map((e) => ({ color: e.color, points: e.result.lrs.map((lr, i) => [lr, e.result.smoothed[i]]) })),
    marks: done.filter((e) => e.result.suggestion !== null).map((e) => {
      const i = e.result.lrs.findIndex((lr) => lr >= e.result.suggestion);
      return { x: e.result.suggestion, y: e.result.smoothed[Math.max(0, i)], color: e.color };
    }),
  });
  if (done.length === state.lr.length && state.lr.length) {
    $("lrnote").innerHTML = state.lr.map((e) => `<span style="color:${e.color}">●</span> ${escape(e.name)}: ${e.error ? escape(e.error) : e.result.suggestion === null ? "no suggestion" : `suggested lr ${e.result.suggestion.toPrecision(2)}`}`).join(" · ");
    $("use-lr").disabled = false;
  }
}

$("use-lr").addEventListener("click", () => {
  for (const e of state.lr) if (e.result?.suggestion && e.row.isConnected) e.row.querySelectorAll("input")[0].value = +e.result.suggestion.toPrecision(2);
});

// ---------------------------------------------------------------- the landscape playground

const playground = { engine: null, runs: 0, start: null, fn: null, map: null, pending: false };

async function landscapeRun() {
  if (!playground.engine || playground.runs++ > 200) {
    playground.engine = await lib.createEngine({ backend: "js" }); // the arena never frees: a fresh engine now and then
    playground.runs = 0;
  }
  const fn = lib.LANDSCAPES[$("fn").value];
  if (playground.fn !== fn) (playground.fn = fn), (playground.start = [...fn.start]);
  const specs = LANDSCAPE_OPTIMIZERS.map(([name, text]) => lib.parseOptimizerSpec(text, name));
  const result = lib.runLandscape({ fn, optimizers: specs, start: playground.start, steps: Math.max(10, Math.min(2000, +$("steps").value || 300)), tolerance: 1e-3, engine: playground.engine });
  playground.map = contours($("landscape"), fn, result.runs, playground.start);
  $("landscape-legend").innerHTML = `<b>${escape(fn.title)}</b><span>${escape(fn.formula)}</span>` + result.runs.map((r, i) =>
    `<span><i style="background:${PALETTE[i % PALETTE.length]}"></i>${escape(r.name)}: ${r.status === "diverged" ? `<span class="warn">diverged at step ${r.divergedAt}</span>` : r.reachedAt !== null ? `at a minimum from step ${r.reachedAt}` : `f = ${r.final.value.toPrecision(3)}`}</span>`).join("");
}

function schedule() {
  if (playground.pending) return;
  playground.pending = true;
  requestAnimationFrame(() => landscapeRun().finally(() => (playground.pending = false)));
}

function dragTo(event) {
  const rect = $("landscape").getBoundingClientRect();
  playground.start = playground.map.toLandscape(event.clientX - rect.left, event.clientY - rect.top);
  schedule();
}
$("landscape").addEventListener("pointerdown", (e) => {
  $("landscape").setPointerCapture(e.pointerId);
  dragTo(e);
});
$("landscape").addEventListener("pointermove", (e) => e.buttons && dragTo(e));
$("fn").addEventListener("change", schedule);
$("steps").addEventListener("change", schedule);

// ---------------------------------------------------------------- start

fill($("dataset"), Object.entries(DATASETS).map(([k, d]) => [k, d.label]), "spirals");
fill($("model"), MODELS.map((m) => [m, m]), DATASETS.spirals.model);
fill($("fn"), Object.values(lib.LANDSCAPES).map((f) => [f.name, f.title]), "rosenbrock");
onDataset();
$("dataset").addEventListener("change", onDataset);
for (const row of DEFAULT_ROWS) addRow(row);
$("add").addEventListener("click", () => addRow({ kind: "adam", lr: KINDS.adam.lr, extra: "" }));
$("train").addEventListener("click", train);
$("lrfind").addEventListener("click", lrFindAll);
$("stop").addEventListener("click", () => state.runs.forEach((r) => r.worker && r.status === "training" && r.worker.postMessage("stop")));
$("pause").addEventListener("click", () => {
  state.paused = !state.paused;
  for (const r of state.runs) r.worker?.postMessage(state.paused ? "pause" : "resume");
  $("pause").textContent = state.paused ? "Resume" : "Pause";
});
// Input latency while training, for the test: from the event to the end of its handler (the redraw included).
$("smoothing").addEventListener("input", (e) => {
  drawLoss();
  state.latencies.push(performance.now() - e.timeStamp);
});
window.addEventListener("resize", () => ((state.dirty = true), schedule()));
// Redraw at most ten times a second: smooth enough to watch, and the page keeps time for input.
let lastDraw = 0;
requestAnimationFrame(function frame(now) {
  if (state.dirty && now - lastDraw >= 100) (state.dirty = false), (lastDraw = now), draw();
  requestAnimationFrame(frame);
});

// One compile of the kernels for the page and every worker: the module is posted to each.
// ?backend=simd (or scalar, js, relaxed-simd) chooses the kernels; the default picks the fastest.
const backend = new URLSearchParams(location.search).get("backend") ?? "auto";
lib.createEngine({ backend }).then((engine) => {
  state.module = engine.module;
  state.backend = engine.backend;
  $("backend").textContent = `backend ${engine.backend}`;
  $("backend").title = engine.backendReason;
  $("threads").textContent = self.crossOriginIsolated ? `threads: up to ${navigator.hardwareConcurrency} (cross-origin isolated)` : "threads: 1 per worker (not cross-origin isolated)";
  state.ready = true;
});
draw();
drawLr();
schedule();
