// The TensorFlow.js side of the training benchmark, on its wasm backend (one thread, SIMD): the same model as a
// tf.sequential layers model (NHWC for the CNN; default initializers), Adam (lr 1e-3, ε 1e-8 as PyTorch), softmax
// cross-entropy on logits, model.fit with batches of 128 and shuffle, accuracy as the training metric (as fit()
// measures it on the wasm-optim side). The data are the same bytes scaled by 1/255 into float32 tensors.
// Each epoch is timed between fit's onEpochBegin and onEpochEnd; the test accuracy (model.evaluate) is measured
// after the epochs listed in evalAt, outside the timed span.
//
// With `batches`, only that many batches are trained and timed (after a short warm-up) and the epoch time is
// extrapolated: for models whose full epochs take too long.
import { createRequire } from "node:module";
import { registerWasmConv2DBackpropFilter } from "./tfjs-conv-filter-grad.mjs";
import { loadTf } from "./tf.mjs";

const require = createRequire(import.meta.url);

function buildModel(tfl, name) {
  const dense = (units, extra = {}) => tfl.layers.dense({ units, ...extra });
  if (name === "mlp") return tfl.sequential({ layers: [dense(256, { inputShape: [784], activation: "relu" }), dense(128, { activation: "relu" }), dense(10)] });
  return tfl.sequential({
    layers: [
      tfl.layers.conv2d({ inputShape: [28, 28, 1], filters: 32, kernelSize: 3, activation: "relu" }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.conv2d({ filters: 64, kernelSize: 3, activation: "relu" }),
      tfl.layers.maxPooling2d({ poolSize: 2 }),
      tfl.layers.flatten(),
      dense(128, { activation: "relu" }),
      dense(10),
    ],
  });
}

/** Float32 tensors of a Dataset: x scaled to [0, 1] in the model's sample shape, y one-hot. */
function tensors(tf, data, shape) {
  const x = new Float32Array(data.x.length);
  for (let i = 0; i < x.length; i++) x[i] = data.x[i] * data.scale + data.offset;
  const labels = tf.tensor1d(data.labels, "int32");
  const y = tf.tidy(() => tf.cast(tf.oneHot(labels, data.numClasses), "float32"));
  labels.dispose();
  return { x: tf.tensor(x, [data.length, ...shape]), y };
}

export async function trainTfjs({ model: name, epochs, evalAt, batchSize, data, batches }) {
  const tf = await loadTf();
  await tf.setBackend("wasm");
  await tf.ready();
  const shimmed = name === "cnn" && registerWasmConv2DBackpropFilter(tf);
  const tfl = require("@tensorflow/tfjs-layers");
  const shape = name === "mlp" ? [784] : [28, 28, 1];
  const train = tensors(tf, data.train, shape), test = tensors(tf, data.test, shape);
  const samples = data.train.length;
  data.train = data.test = null; // TF.js has its own copies now; let the bytes go
  const model = buildModel(tfl, name);
  model.compile({ optimizer: tf.train.adam(1e-3, 0.9, 0.999, 1e-8), loss: (yTrue, yPred) => tf.losses.softmaxCrossEntropy(yTrue, yPred), metrics: ["accuracy"] });
  const info = { backend: tf.getBackend(), threads: tf.env().getBool("WASM_HAS_MULTITHREAD_SUPPORT") ? "multi" : "1", simd: tf.env().getBool("WASM_HAS_SIMD_SUPPORT"), parameters: model.countParams() };
  if (shimmed) info.note = "Conv2DBackpropFilter registered for wasm from its Transpose and Conv2D kernels (missing in TF.js 4.22)";
  const fitOptions = { batchSize, shuffle: true, verbose: 0, yieldEvery: "never" };

  if (batches) {
    // Time a fixed number of batches and extrapolate to a full epoch (ceil(samples / batchSize) batches).
    const slice = (t, n) => tf.slice(t, 0, n);
    const warm = { x: slice(train.x, 2 * batchSize), y: slice(train.y, 2 * batchSize) };
    await model.fit(warm.x, warm.y, fitOptions);
    const part = { x: slice(train.x, batches * batchSize), y: slice(train.y, batches * batchSize) };
    const t0 = performance.now();
    const h = await model.fit(part.x, part.y, fitOptions);
    const perBatch = (performance.now() - t0) / 1000 / batches;
    const seconds = perBatch * Math.ceil(samples / batchSize);
    tf.dispose([warm.x, warm.y, part.x, part.y]);
    return {
      epochs: [{ epoch: 1, seconds, samplesPerSecond: samples / seconds, loss: h.history.loss[0], trainAccuracy: h.history.acc[0], extrapolatedFromBatches: batches }],
      info: { ...info, extrapolated: true, timedBatches: batches, secondsPerBatch: perBatch },
    };
  }

  const records = [];
  let started = 0;
  const evaluateTest = async () => {
    const [, acc] = model.evaluate(test.x, test.y, { batchSize });
    const value = (await acc.data())[0];
    tf.dispose(acc);
    return value;
  };
  const callbacks = {
    onEpochBegin: async () => void (started = performance.now()),
    onEpochEnd: async (_, logs) => {
      const seconds = (performance.now() - started) / 1000;
      const epoch = records.length + 1;
      const record = { epoch, seconds, samplesPerSecond: samples / seconds, loss: logs.loss, trainAccuracy: logs.acc };
      if (evalAt.includes(epoch)) record.testAccuracy = await evaluateTest();
      records.push(record);
    },
  };
  await model.fit(train.x, train.y, { ...fitOptions, epochs, callbacks });
  return { epochs: records, info };
}
