// The threads check, for test/threads-browser.test.ts: the same seeded work on 1, 2, 3 and 4 threads of each
// backend, in Node and in a cross-origin isolated page, hashed (SHA-256 of the float32 bytes). Every thread count
// must give the bits of one thread, and the page the bits of Node.
//   gemm:       C = A·Bᵀ + C (nt) and the two other forms on a ragged 131×77×259 product
//   optimizers: two steps of Adam, SGD with momentum and RMSprop on 132,073 parameters, clipped by norm
//   mlp:        one epoch of a 784-256-128-10 MLP (Adam, batch 128) on 512 synthetic byte images
import * as lib from "../dist/index.js";
import { sha256, supportedBackends } from "./determinism.js";

export const THREADS = [1, 2, 3, 4];

const wave = (length, seed) => Float32Array.from({ length }, (_, i) => Math.sin(seed * 12.9898 + i * 0.7311) * 0.9);

async function gemm(engine) {
  const [m, n, k] = [131, 77, 259];
  const pack = engine.allocF32(lib.GEMM_PACK_FLOATS).ptr;
  const out = [];
  for (const form of ["nn", "tn", "nt"]) {
    const a = engine.tensor(wave(m * k, 1)), b = engine.tensor(wave(k * n, 2)), c = engine.tensor(wave(m * n, 3));
    engine.kernels[`f32_gemm_${form}`](c.ptr, a.ptr, b.ptr, m, n, k, 1, pack);
    out.push(c.array.slice());
  }
  return sha256(out);
}

async function optimizers(engine) {
  const out = [];
  for (const make of [(p) => new lib.Adam(p, { lr: 1e-3 }), (p) => new lib.SGD(p, { lr: 0.1, momentum: 0.9 }), (p) => new lib.RMSprop(p, { lr: 0.01, centered: true })]) {
    const params = engine.parameters([{ values: wave(132_000, 4) }, { values: wave(73, 5) }]);
    const opt = make(params);
    for (let s = 0; s < 2; s++) {
      params.forEach((p, i) => p.grad.set(wave(p.length, 6 + s + i)));
      lib.clipGradNorm(params, 50);
      opt.step();
    }
    out.push(...params.map((p) => p.data.slice()));
  }
  return sha256(out);
}

async function mlp(engine) {
  const x = Uint8Array.from({ length: 512 * 784 }, (_, i) => (i * 2654435761) >>> 24);
  const labels = Int32Array.from({ length: 512 }, (_, i) => (x[i * 784] + x[i * 784 + 1]) % 10);
  const data = new lib.Dataset({ x, shape: [784], labels, scale: 1 / 255 });
  const layers = [new lib.Linear(784, 256), new lib.ReLU(), new lib.Linear(256, 128), new lib.ReLU(), new lib.Linear(128, 10)];
  const model = new lib.Sequential(layers).compile(engine, { inputShape: [784], batchSize: 128, seed: 3 });
  const optimizer = new lib.Adam(model.parameters(), { lr: 1e-3 });
  await lib.fit(model, data, { optimizer, loss: new lib.CrossEntropyLoss(), epochs: 1, batchSize: 128, seed: 4, verbose: 0 });
  return sha256(model.parameters().map((p) => p.data.slice()));
}

/** { isolated, results: [{ backend, threads, runs, reason, gemm, optimizers, mlp }] } for every backend and thread count. */
export async function runThreads() {
  const results = [];
  for (const backend of supportedBackends()) {
    for (const threads of THREADS) {
      const engine = await lib.createEngine({ backend, threads });
      results.push({ backend, threads, runs: engine.threads, reason: engine.threadsReason, gemm: await gemm(engine), optimizers: await optimizers(engine), mlp: await mlp(engine) });
      engine.dispose();
    }
  }
  return { isolated: globalThis.crossOriginIsolated ?? null, results };
}

/** How many threads an engine asking for 2 gets here, and why not (a page without cross-origin isolation). */
export async function probeThreads() {
  const engine = await lib.createEngine({ backend: "simd", threads: 2 });
  const probe = { threads: engine.threads, reason: engine.threadsReason };
  engine.dispose();
  return probe;
}
