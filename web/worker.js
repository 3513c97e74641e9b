// The demo's training, off the main thread. Receives one { type: 'train', ... } message, then posts:
//   { type: 'ready', backend, threads, threadsReason, parameters, batches }    the engine and the model are built
//   { type: 'batch', epoch, done, batches, loss, accuracy, samplesPerSecond }   a few times a second
//   { type: 'epoch', record }                            after every epoch (with validation on the test split)
//   { type: 'done', test, seconds, predictions }         test loss/accuracy, predicted classes of the test split
//   { type: 'error', message }
import * as lib from "../dist/index.js";
import { DEMO_OPTIMIZERS, DEMO_SCHEDULES } from "./optimizers.js";

async function train({ optimizer: optimizerName, lr, schedule, epochs, batchSize, hidden, backend, seed }) {
  const started = performance.now();
  // All the cores where the page is cross-origin isolated (scripts/serve.mjs sends COOP/COEP), else one thread.
  const engine = await lib.createEngine({ backend, threads: "auto" });
  const { train, test } = lib.loadDigits();
  const layers = [new lib.Linear(64, hidden), new lib.ReLU(), new lib.Linear(hidden, 10)];
  const model = new lib.Sequential(layers).compile(engine, { inputShape: [64], batchSize, seed });
  const optimizer = DEMO_OPTIMIZERS[optimizerName].make(model.parameters(), lr);
  const batches = Math.ceil(train.length / batchSize);
  const scheduler = DEMO_SCHEDULES[schedule].make(optimizer, epochs * batches, lr);
  const parameters = model.parameters().reduce((n, p) => n + p.length, 0);
  postMessage({ type: "ready", backend: engine.backend, threads: engine.threads, threadsReason: engine.threadsReason, parameters, batches });
  let epochNow = 0;
  const loss = new lib.CrossEntropyLoss();
  await lib.fit(model, train, {
    optimizer, loss, scheduler, schedulerStep: "batch", epochs, batchSize, seed, validationData: test,
    progress: {
      epochBegin: (epoch) => void (epochNow = epoch),
      batchEnd: (done, l, accuracy, samplesPerSecond) => postMessage({ type: "batch", epoch: epochNow, done, batches, loss: l, accuracy, samplesPerSecond }),
      epochEnd: () => {},
      end: () => {},
    },
    callbacks: [{ onEpochEnd: (ctx) => postMessage({ type: "epoch", record: ctx.logs }) }],
  });
  const result = lib.evaluate(model, test, { loss });
  const predictions = lib.predictClasses(model, test);
  engine.dispose(); // ends the engine's own workers
  postMessage({ type: "done", test: result, seconds: (performance.now() - started) / 1000, predictions }, [predictions.buffer]);
}

onmessage = (event) => {
  if (event.data?.type !== "train") return;
  train(event.data).catch((error) => postMessage({ type: "error", message: String(error?.stack ?? error) }));
};
