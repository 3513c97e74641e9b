// Training recurrent networks with fit(): a language model's step allocates nothing (wasm memory and the JS heap
// stay flat over many epochs), the same seed gives the same bits on the exact backends, and stateful layers
// carry their state through the batches of an epoch.
import { describe, expect, it } from "vitest";
import {
  Adam, CharVocabulary, createEngine, CrossEntropyLoss, Embedding, fit, GRU, Linear, LSTM, makeAddingProblem, MSELoss, RNN, Sequential, SGD, textWindows,
  type Backend,
} from "../src/index.js";
import { memoryProbe } from "./helpers/memory-probe.js";

const text = "the quick brown fox jumps over the lazy dog; a stitch in time saves nine. ".repeat(12);
const vocab = CharVocabulary.fromText(text);
const windows = textWindows(vocab.encode(text), vocab, { window: 12 });

describe("training recurrent networks", () => {
  it("a language model: 60 epochs leave the wasm memory unchanged after the first, and the JS heap flat", async () => {
    const engine = await createEngine();
    const model = new Sequential([new Embedding(vocab.size, 8), new LSTM(8, 16, { numLayers: 2, tbptt: 5 }), new GRU(16, 8), new Linear(8, vocab.size)])
      .compile(engine, { inputShape: [12], batchSize: 16, seed: 1 });
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    const { callback, bytes, arena, heap } = memoryProbe(engine);
    const history = await fit(model, windows, {
      optimizer, loss: new CrossEntropyLoss(), batchSize: 16, epochs: 60, validationData: windows, clipGradNorm: 1, verbose: 0, callbacks: [callback],
    });
    expect(new Set(bytes).size).toBe(1);
    expect(new Set(arena).size).toBe(1);
    // Per epoch the history gains one record (about 200 bytes); the first epochs also hold the JIT's warming up.
    const growth = heap.slice(20).map((h, i) => h - heap[i + 19]!).sort((x, y) => x - y);
    expect(growth[Math.floor(growth.length / 2)]!).toBeLessThan(512);
    // And it learns: the per-step loss falls well below guessing among the characters (ln V).
    expect(history.epochs[59]!.loss).toBeLessThan(0.5 * Math.log(vocab.size));
    expect(history.epochs[59]!.accuracy).toBeGreaterThan(0.5);
  });

  it("the same seed gives the same weights on simd, scalar and js", async () => {
    const weights = async (backend: Backend) => {
      const engine = await createEngine({ backend });
      const model = new Sequential([new RNN(2, 6, { nonlinearity: "relu" }), new LSTM(6, 5, { returnSequences: false }), new Linear(5, 1)])
        .compile(engine, { inputShape: [9, 2], batchSize: 8, seed: 3 });
      await fit(model, makeAddingProblem({ samples: 40, length: 9, seed: 1 }), { optimizer: new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 }), loss: new MSELoss(), batchSize: 8, epochs: 2, verbose: 0 });
      return model.parameters().map((p) => Array.from(new Uint32Array(Float32Array.from(p.data).buffer)));
    };
    const simd = await weights("simd");
    expect(await weights("scalar")).toEqual(simd);
    expect(await weights("js")).toEqual(simd);
  });

  it("a stateful layer carries its state from batch to batch (unshuffled), and resetState starts over", async () => {
    const engine = await createEngine({ backend: "js" });
    const layer = new GRU(2, 4, { stateful: true, returnSequences: false });
    const model = new Sequential([layer, new Linear(4, 1)]).compile(engine, { inputShape: [5, 2], batchSize: 4, seed: 0 });
    const data = makeAddingProblem({ samples: 8, length: 5, seed: 2 });
    const states: number[][] = [];
    await fit(model, data, {
      optimizer: new SGD(model.parameters(), { lr: 0 }), loss: new MSELoss(), batchSize: 4, shuffle: false, epochs: 1, verbose: 0,
      callbacks: [{ onBatchEnd: () => void states.push(Array.from(layer.initialState.h.array)) }],
    });
    expect(states[0]!.some((v) => v !== 0)).toBe(true);
    expect(states[1]).not.toEqual(states[0]);
    layer.resetState();
    expect(layer.initialState.h.array.every((v) => v === 0)).toBe(true);
  });
});
