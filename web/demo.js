// The demo page: reads the options, trains in web/worker.js, and shows the worker's progress live.
import { isBackendSupported, loadDigits, resolveBackend } from "../dist/index.js";
import { drawChart } from "./chart.js";
import { DEMO_OPTIMIZERS, DEMO_SCHEDULES } from "./optimizers.js";

const $ = (id) => document.getElementById(id);
const SHOWN_DIGITS = 72;
const BACKENDS = ["auto", "relaxed-simd", "simd", "scalar", "js"];
const test = loadDigits().test;
let worker = null;
let records = [];

function fillSelect(select, entries, selected) {
  select.replaceChildren(...entries.map(([value, label, disabled = false]) => {
    const option = new Option(label, value, false, value === selected);
    option.disabled = disabled;
    return option;
  }));
}

fillSelect($("optimizer"), Object.entries(DEMO_OPTIMIZERS).map(([k, o]) => [k, o.label]), "adam");
fillSelect($("schedule"), Object.entries(DEMO_SCHEDULES).map(([k, s]) => [k, s.label]), "constant");
fillSelect($("backend"), BACKENDS.map((b) => [b, b === "auto" ? `auto (${resolveBackend("auto")})` : b, !isBackendSupported(b)]), "auto");
$("lr").value = DEMO_OPTIMIZERS.adam.lr;
$("optimizer").addEventListener("change", () => ($("lr").value = DEMO_OPTIMIZERS[$("optimizer").value].lr));

function setStatus(state, text) {
  $("status").dataset.state = state;
  $("status").textContent = text;
}

function setRunning(running) {
  $("train").disabled = running;
  $("stop").disabled = !running;
}

function percent(v) {
  return Number.isFinite(v) ? `${(100 * v).toFixed(1)} %` : "–";
}

/** The first test digits as 8×8 images, each captioned with the predicted class (red when wrong). */
function drawDigits(predictions) {
  const figures = [];
  let wrong = 0;
  for (let i = 0; i < test.length; i++) if (predictions && predictions[i] !== test.labels[i]) wrong++;
  for (let i = 0; i < SHOWN_DIGITS; i++) {
    const canvas = document.createElement("canvas");
    canvas.width = canvas.height = 8;
    const ctx = canvas.getContext("2d");
    const image = ctx.createImageData(8, 8);
    for (let p = 0; p < 64; p++) {
      const v = 255 - Math.round((test.x[i * 64 + p] / 16) * 255);
      image.data.set([v, v, v, 255], 4 * p);
    }
    ctx.putImageData(image, 0, 0);
    const figure = document.createElement("figure");
    const predicted = predictions ? predictions[i] : null;
    if (predicted !== null && predicted !== test.labels[i]) figure.className = "wrong";
    figure.append(canvas, predicted === null ? "?" : String(predicted));
    figure.title = `label ${test.labels[i]}`;
    figures.push(figure);
  }
  $("digits").replaceChildren(...figures);
  $("wrong").textContent = predictions ? `${wrong} of ${test.length} test digits misclassified (red: wrong)` : "";
}

function onMessage(msg, epochs) {
  switch (msg.type) {
    case "ready":
      $("backend-used").textContent = msg.backend;
      $("threads-used").textContent = String(msg.threads);
      $("threads-used").title = msg.threadsReason || "the kernels split across this many threads";
      setStatus("running", `Training ${msg.parameters.toLocaleString("en")} parameters, ${msg.batches} steps per epoch…`);
      break;
    case "batch":
      $("epoch").textContent = `${msg.epoch + 1} / ${epochs}`;
      $("progress").value = msg.done / msg.batches;
      $("speed").textContent = Math.round(msg.samplesPerSecond).toLocaleString("en");
      break;
    case "epoch":
      records.push(msg.record);
      $("epoch").textContent = `${msg.record.epoch + 1} / ${epochs}`;
      $("progress").value = 1;
      $("test-acc").textContent = percent(msg.record.valAccuracy);
      $("speed").textContent = Math.round(msg.record.samplesPerSecond).toLocaleString("en");
      drawChart($("chart"), records, epochs);
      break;
    case "done":
      $("test-acc").textContent = percent(msg.test.accuracy);
      drawDigits(msg.predictions);
      setStatus("done", `Done in ${msg.seconds.toFixed(1)} s: test loss ${msg.test.loss.toFixed(4)}, accuracy ${percent(msg.test.accuracy)}.`);
      stop();
      break;
    case "error":
      setStatus("error", msg.message);
      stop();
      break;
  }
}

function stop() {
  worker?.terminate();
  worker = null;
  setRunning(false);
}

$("options").addEventListener("submit", (event) => {
  event.preventDefault();
  stop();
  const options = {
    type: "train",
    optimizer: $("optimizer").value,
    lr: Number($("lr").value),
    schedule: $("schedule").value,
    backend: $("backend").value,
    epochs: Math.max(1, Math.round(Number($("epochs").value))),
    hidden: Math.max(1, Math.round(Number($("hidden").value))),
    batchSize: Math.max(1, Math.round(Number($("batchSize").value))),
    seed: 1,
  };
  const schedule = DEMO_SCHEDULES[options.schedule].label;
  $("run").textContent = `${DEMO_OPTIMIZERS[options.optimizer].label}, lr ${options.lr}, ${schedule} schedule, ${options.hidden} hidden units, batch ${options.batchSize}`;
  records = [];
  drawChart($("chart"), records, options.epochs);
  drawDigits(null);
  $("test-acc").textContent = $("speed").textContent = "–";
  $("progress").value = 0;
  setStatus("running", "Starting the worker…");
  setRunning(true);
  worker = new Worker(new URL("./worker.js", import.meta.url), { type: "module" });
  worker.onmessage = (e) => onMessage(e.data, options.epochs);
  worker.onerror = (e) => {
    setStatus("error", `Worker error: ${e.message ?? "could not start"}`);
    stop();
  };
  worker.postMessage(options);
});

$("stop").addEventListener("click", () => {
  stop();
  setStatus("idle", "Stopped.");
});

// Frames per second of this page's main thread: stays near the display's rate while the worker trains.
let frames = 0, since = performance.now();
requestAnimationFrame(function tick(now) {
  frames++;
  if (now - since >= 500) {
    $("fps").textContent = Math.round((frames * 1000) / (now - since));
    frames = 0;
    since = now;
  }
  requestAnimationFrame(tick);
});

drawChart($("chart"), records, Number($("epochs").value));
drawDigits(null);
