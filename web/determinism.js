// The determinism check, one module for every runtime: Node (test/browser.test.ts), a page and a Web Worker
// import it and run the same seeded work on a backend, then compare SHA-256 hashes of the resulting float32
// bytes. The simd, scalar and js backends must agree bit for bit, in every runtime.
//
//   mlp:        2 epochs, 64-48-10 MLP with BatchNorm and Dropout on the digits, Adam + OneCycleLR per batch
//   cnn:        3 epochs, small CNN (conv, max/avg pool, tanh) on 1024 digits, SGD Nesterov + cosine, clipping
//   optimizers: 6 steps of every optimizer class on a fixed 37-parameter problem (LBFGS through its closure)
import * as lib from "../dist/index.js";

export const BACKENDS = ["relaxed-simd", "simd", "scalar", "js"];

/** The backends this runtime can run. */
export function supportedBackends() {
  return BACKENDS.filter((b) => lib.isBackendSupported(b));
}

/** Hex SHA-256 of the bytes of float32 arrays, concatenated. */
export async function sha256(arrays) {
  const total = arrays.reduce((n, a) => n + a.byteLength, 0);
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const a of arrays) bytes.set(new Uint8Array(a.buffer, a.byteOffset, a.byteLength), at), (at += a.byteLength);
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", bytes));
  return Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
}

/** Copies of every parameter and state buffer (BatchNorm's running statistics) of a model. */
function modelArrays(model) {
  return [...model.parameters().map((p) => p.data.slice()), ...Object.values(model.stateBuffers()).map((b) => b.array.slice())];
}

async function trainMlp(backend) {
  const engine = await lib.createEngine({ backend });
  const { train, test } = lib.loadDigits();
  const layers = [new lib.Linear(64, 48), new lib.BatchNorm1d(48), new lib.ReLU(), new lib.Dropout(0.1), new lib.Linear(48, 10)];
  const model = new lib.Sequential(layers).compile(engine, { inputShape: [64], batchSize: 32, seed: 7 });
  const optimizer = new lib.Adam(model.parameters(), { lr: 3e-3, weightDecay: 1e-4 });
  const epochs = 2;
  const scheduler = new lib.OneCycleLR(optimizer, { maxLr: 1e-2, epochs, stepsPerEpoch: Math.ceil(train.length / 32) });
  const loss = new lib.CrossEntropyLoss();
  const history = await lib.fit(model, train, { optimizer, loss, scheduler, schedulerStep: "batch", epochs, batchSize: 32, seed: 3, validationData: test, verbose: 0 });
  const last = history.last;
  return { hash: await sha256(modelArrays(model)), loss: last.loss, accuracy: last.accuracy, valLoss: last.valLoss, valAccuracy: last.valAccuracy };
}

async function trainCnn(backend) {
  const engine = await lib.createEngine({ backend });
  const images = lib.digitsDataset().reshape([1, 8, 8]);
  const data = images.subset(Array.from({ length: 1024 }, (_, i) => i));
  const layers = [
    new lib.Conv2d(1, 4, 3, { padding: 1 }), new lib.ReLU(), new lib.MaxPool2d(2),
    new lib.Conv2d(4, 8, 3), new lib.Tanh(), new lib.AvgPool2d(2), new lib.Flatten(), new lib.Linear(8, 10),
  ];
  const model = new lib.Sequential(layers).compile(engine, { inputShape: [1, 8, 8], batchSize: 32, seed: 11 });
  const optimizer = new lib.SGD(model.parameters(), { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 5e-4 });
  const scheduler = new lib.CosineAnnealingLR(optimizer, { tMax: 3 });
  const loss = new lib.CrossEntropyLoss();
  const history = await lib.fit(model, data, { optimizer, loss, scheduler, epochs: 3, batchSize: 32, seed: 5, clipGradNorm: 5, verbose: 0 });
  return { hash: await sha256(modelArrays(model)), loss: history.last.loss, accuracy: history.last.accuracy };
}

// The fixed problem: 37 parameters in three tensors, gradient g = a (p − c) + 0.5 sin(3p) in float64.
const N = 37;
const A = Array.from({ length: N }, (_, i) => 0.5 + (i % 7) / 4);
const C = Array.from({ length: N }, (_, i) => Math.cos(i * 0.7));

const OPTIMIZERS = {
  SGD: (p) => new lib.SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.1, weightDecay: 0.01 }),
  "SGD nesterov": (p) => new lib.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, maximize: false }),
  Adam: (p) => new lib.Adam(p, { lr: 0.05, weightDecay: 0.01 }),
  "Adam amsgrad": (p) => new lib.Adam(p, { lr: 0.05, amsgrad: true }),
  AdamW: (p) => new lib.AdamW(p, { lr: 0.05 }),
  Adamax: (p) => new lib.Adamax(p, { lr: 0.05, weightDecay: 0.01 }),
  NAdam: (p) => new lib.NAdam(p, { lr: 0.05 }),
  RAdam: (p) => new lib.RAdam(p, { lr: 0.05, decoupledWeightDecay: true, weightDecay: 0.01 }),
  Lion: (p) => new lib.Lion(p, { lr: 0.01, weightDecay: 0.1 }),
  Adagrad: (p) => new lib.Adagrad(p, { lr: 0.1, lrDecay: 0.01 }),
  RMSprop: (p) => new lib.RMSprop(p, { lr: 0.01, momentum: 0.5, centered: true }),
  Adadelta: (p) => new lib.Adadelta(p, { lr: 1, weightDecay: 0.01 }),
  Rprop: (p) => new lib.Rprop(p, { lr: 0.05 }),
  ASGD: (p) => new lib.ASGD(p, { lr: 0.05, t0: 2 }),
  LBFGS: (p) => new lib.LBFGS(p, { lr: 1, maxIter: 4, lineSearchFn: "strong_wolfe" }),
};

async function runOptimizer(backend, make) {
  const engine = await lib.createEngine({ backend });
  const p0 = Float32Array.from({ length: N }, (_, i) => Math.sin(i * 1.3) * 2);
  const params = engine.parameters([
    { values: p0.subarray(0, 20), name: "w" },
    { values: p0.subarray(20, 21), name: "b" },
    { values: p0.subarray(21), name: "v" },
  ]);
  const optimizer = make(params);
  const closure = () => {
    let k = 0, value = 0;
    for (const param of params) {
      const { data, grad } = param;
      for (let i = 0; i < param.length; i++, k++) {
        grad[i] = A[k] * (data[i] - C[k]) + 0.5 * Math.sin(3 * data[i]);
        value += 0.5 * A[k] * (data[i] - C[k]) ** 2 - Math.cos(3 * data[i]) / 6;
      }
    }
    return value;
  };
  for (let step = 0; step < 6; step++) {
    if (optimizer instanceof lib.LBFGS) optimizer.step(closure);
    else closure(), optimizer.step();
  }
  return sha256(params.map((p) => p.data.slice()));
}

/** Runs the whole check on one backend: hashes (hex SHA-256) and a few numbers. */
export async function runDeterminism(backend) {
  const engine = await lib.createEngine({ backend });
  const started = performance.now();
  const optimizers = {};
  for (const [name, make] of Object.entries(OPTIMIZERS)) optimizers[name] = await runOptimizer(backend, make);
  const mlp = await trainMlp(backend);
  const cnn = await trainCnn(backend);
  return { backend: engine.backend, mlp, cnn, optimizers, ms: Math.round(performance.now() - started) };
}

/** The check on every backend this runtime supports. */
export async function runAll() {
  const supported = supportedBackends();
  const results = [];
  for (const backend of supported) results.push(await runDeterminism(backend));
  return { supported, results };
}
