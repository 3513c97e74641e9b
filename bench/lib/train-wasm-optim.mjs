// The wasm-optim side of the training benchmark: the model as a Sequential, Adam (lr 1e-3), fit() with batches of
// 128 reshuffled every epoch. Each epoch is timed between fit's onEpochBegin and onEpochEnd callbacks; the test
// accuracy is measured (evaluate) after the epochs listed in evalAt, outside the timed span. The data are loaded
// into the engine's memory (loadData), so that they exist once.
import { fashionMnist } from "./fashion.mjs";
import { Adam, Conv2d, CrossEntropyLoss, Flatten, Linear, MaxPool2d, ReLU, Sequential, createEngine, evaluate, fit } from "../../dist/index.js";

const MODELS = {
  mlp: { inputShape: [784], layers: () => [new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)] },
  cnn: {
    inputShape: [1, 28, 28],
    layers: () => [
      new Conv2d(1, 32, 3), new ReLU(), new MaxPool2d(2),
      new Conv2d(32, 64, 3), new ReLU(), new MaxPool2d(2),
      new Flatten(), new Linear(64 * 5 * 5, 128), new ReLU(), new Linear(128, 10),
    ],
  },
};

/** Fashion-MNIST read into a new engine's memory (on `threads` threads): { train, test, engine }. */
export async function loadData({ threads = 1 } = {}) {
  const engine = await createEngine({ threads });
  return { ...(await fashionMnist({ engine })), engine };
}

/** Trains on the data of loadData (in its engine) and returns { epochs: [{ epoch, seconds, samplesPerSecond, loss, trainAccuracy, testAccuracy? }], info }. */
export async function trainWasmOptim({ model: name, epochs, evalAt, batchSize, data, seed }) {
  const spec = MODELS[name];
  const train = data.train.reshape(spec.inputShape), test = data.test.reshape(spec.inputShape);
  const { engine } = data;
  const model = new Sequential(spec.layers()).compile(engine, { inputShape: spec.inputShape, batchSize, seed });
  const loss = new CrossEntropyLoss();
  const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
  const records = [];
  let started = 0;
  const timer = {
    onEpochBegin: () => void (started = performance.now()),
    onEpochEnd: (ctx) => {
      const seconds = (performance.now() - started) / 1000;
      const epoch = records.length + 1;
      const record = { epoch, seconds, samplesPerSecond: train.length / seconds, loss: ctx.logs.loss, trainAccuracy: ctx.logs.accuracy };
      if (evalAt.includes(epoch)) record.testAccuracy = evaluate(model, test, { loss }).accuracy;
      records.push(record);
    },
  };
  await fit(model, train, { optimizer, loss, epochs, batchSize, shuffle: true, seed, verbose: 0, callbacks: [timer] });
  const parameters = model.parameters().reduce((n, p) => n + p.data.length, 0);
  const info = { backend: engine.backend, threads: engine.threads, threadsReason: engine.threadsReason, parameters, wasmMemoryMiB: engine.memory.buffer.byteLength / 2 ** 20 };
  engine.dispose();
  return { epochs: records, info };
}
