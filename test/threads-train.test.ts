// A training epoch gives the same weights on 1, 2, 3 and 4 threads, on every backend: an MLP 784-256-128-10 with
// Adam (the shapes of bench/train, on synthetic bytes through the batch gather) and a small CNN with SGD momentum
// and clipping by norm. Each epoch's kernels are large enough to split (GEMM, the optimizer, the gather, the
// activations), so this is the whole training step on threads, not only its kernels one at a time.
import { describe, expect, it } from "vitest";
import { Adam, Conv2d, CrossEntropyLoss, Dataset, fit, Flatten, Linear, MaxPool2d, ReLU, Sequential, SGD, Tanh, type Layer } from "../src/index.js";
import { weightsOf } from "./helpers/train-models.js";
import { bitsOf, threadedEngine, THREAD_BACKENDS, THREAD_COUNTS } from "./helpers/threads.js";

/** `count` synthetic samples of `size` bytes with labels 0-9 that depend on them. */
function bytesDataset(count: number, shape: number[]): Dataset {
  const size = shape.reduce((a, b) => a * b, 1);
  const x = Uint8Array.from({ length: count * size }, (_, i) => (i * 2654435761) >>> 24);
  const labels = Int32Array.from({ length: count }, (_, i) => (x[i * size]! + x[i * size + 1]!) % 10);
  return new Dataset({ x, shape, labels, scale: 1 / 255 });
}

async function epoch(backend: (typeof THREAD_BACKENDS)[number], threads: number, kind: "mlp" | "cnn"): Promise<string> {
  const engine = await threadedEngine(backend, threads);
  const mlp = kind === "mlp";
  const shape = mlp ? [784] : [1, 28, 28];
  const layers: Layer[] = mlp
    ? [new Linear(784, 256), new ReLU(), new Linear(256, 128), new ReLU(), new Linear(128, 10)]
    : [new Conv2d(1, 16, 5, { padding: 2 }), new ReLU(), new MaxPool2d(2), new Conv2d(16, 16, 3), new Tanh(), new MaxPool2d(2), new Flatten(), new Linear(16 * 6 * 6, 10)];
  const batchSize = mlp ? 128 : 32;
  const model = new Sequential(layers).compile(engine, { inputShape: shape, batchSize, seed: 3 });
  const optimizer = mlp ? new Adam(model.parameters(), { lr: 1e-3 }) : new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 });
  const data = bytesDataset(mlp ? 512 : 96, shape);
  await fit(model, data, { optimizer, loss: new CrossEntropyLoss(), epochs: 1, batchSize, seed: 4, verbose: 0, ...(mlp ? {} : { clipGradNorm: 1 }) });
  const bits = bitsOf(weightsOf(model));
  engine.dispose();
  return bits;
}

describe("a training epoch on threads: the weights of one thread", () => {
  for (const backend of THREAD_BACKENDS) {
    for (const kind of ["mlp", "cnn"] as const) {
      it(`${kind} on ${backend}`, async () => {
        const one = await epoch(backend, 1, kind);
        for (const threads of THREAD_COUNTS.slice(1)) expect(await epoch(backend, threads, kind), `${threads} threads`).toBe(one);
      });
    }
  }
});
