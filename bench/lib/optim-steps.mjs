// Optimizer-step throughput, shared by bench/optim.bench.mjs and bench/compare.bench.mjs: one step of SGD,
// SGD with momentum, Adam and RMSprop over N parameters, on wasm-optim's backends (each thread count asked for)
// and on TensorFlow.js's wasm and cpu backends, timed with the benchmark package (median seconds per step).
import { createEngine, SGD, Adam, RMSprop } from "../../dist/index.js";
import { time } from "./suite.mjs";

export const OPTIMIZERS = {
  sgd: { ours: (p) => new SGD(p, { lr: 1e-3 }), tf: (tf) => tf.train.sgd(1e-3) },
  "sgd+momentum": { ours: (p) => new SGD(p, { lr: 1e-3, momentum: 0.9 }), tf: (tf) => tf.train.momentum(1e-3, 0.9) },
  adam: { ours: (p) => new Adam(p, { lr: 1e-3 }), tf: (tf) => tf.train.adam(1e-3) },
  rmsprop: { ours: (p) => new RMSprop(p, { lr: 1e-3 }), tf: (tf) => tf.train.rmsprop(1e-3) },
};
/** Bytes read + written per parameter by one step (float32 parameter, gradient and state). */
export const BYTES_PER_PARAM = { sgd: 12, "sgd+momentum": 20, adam: 28, rmsprop: 20 };

export function randomFill(a, seed) {
  let x = seed;
  for (let i = 0; i < a.length; i++) a[i] = ((x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32 - 0.5) * 0.1;
}

/** A row { n, optimizer, impl, threads, secondsPerStep, rme, paramsPerSecond } of one wasm-optim step. */
export async function measureOurs(n, name, backend, threads = 1, { maxTime = 2 } = {}) {
  const engine = await createEngine({ backend, initialMemoryMiB: Math.ceil((n * 4 * 5) / 2 ** 20) + 16, threads });
  try {
    const p = engine.parameter(n);
    randomFill(p.data, 1), randomFill(p.grad, 2);
    const opt = OPTIMIZERS[name].ours([p]);
    const r = time(`${name} ${backend} ×${threads} ${n}`, () => opt.step(), { maxTime });
    return { n, optimizer: name, impl: `wasm-optim ${backend}`, threads, secondsPerStep: r.median, rme: r.rme, paramsPerSecond: n / r.median };
  } finally {
    engine.dispose();
  }
}

/** The same row for TensorFlow.js on one of its backends ('wasm', 'cpu'). */
export async function measureTf(tf, n, name, tfBackend, { maxTime = 2 } = {}) {
  await tf.setBackend(tfBackend);
  const v = tf.variable(tf.randomNormal([n]));
  const g = tf.randomNormal([n]);
  const opt = OPTIMIZERS[name].tf(tf);
  const grads = { [v.name]: g };
  const r = time(`${name} tfjs-${tfBackend} ${n}`, () => opt.applyGradients(grads), { maxTime });
  opt.dispose(), v.dispose(), g.dispose();
  return { n, optimizer: name, impl: `tfjs-${tfBackend}`, threads: 1, secondsPerStep: r.median, rme: r.rme, paramsPerSecond: n / r.median };
}
