// Recurrent layers and Embedding against finite differences (test/helpers/gradcheck.ts), for each option, and the
// layers' shapes, hidden state and errors. (Truncated BPTT is not the true gradient, so finite differences cannot
// check it: test/nn-recurrent.test.ts checks it against PyTorch's chunked, detached loop.)
import { describe, expect, it } from "vitest";
import { createEngine, Embedding, GRU, Linear, LSTM, RNN, Sequential } from "../src/index.js";
import { gradcheck } from "./helpers/gradcheck.js";

describe("recurrent layers: gradients against finite differences", () => {
  const cases = [
    { name: "LSTM, 2 layers, sequence to one", layers: () => [new LSTM(3, 4, { numLayers: 2, returnSequences: false })], inputShape: [5, 3] },
    { name: "LSTM, time-major, no bias", layers: () => [new LSTM(2, 5, { batchFirst: false, bias: false })], inputShape: [6, 2] },
    { name: "GRU, 2 layers", layers: () => [new GRU(3, 5, { numLayers: 2 })], inputShape: [4, 3] },
    { name: "GRU, sequence to one", layers: () => [new GRU(2, 4, { returnSequences: false })], inputShape: [7, 2] },
    { name: "RNN tanh, 2 layers, time-major", layers: () => [new RNN(3, 4, { numLayers: 2, batchFirst: false })], inputShape: [5, 3] },
    // A smaller step for ReLU, whose kinks a step of 1e-2 crosses.
    { name: "RNN relu", layers: () => [new RNN(2, 6, { nonlinearity: "relu" })], inputShape: [4, 2], eps: 1e-3 },
    { name: "LSTM then Linear on every step", layers: () => [new LSTM(3, 4), new Linear(4, 2)], inputShape: [4, 3] },
  ] as { name: string; layers: () => (LSTM | GRU | RNN | Linear)[]; inputShape: number[]; eps?: number }[];
  for (const c of cases) {
    it(c.name, async () => {
      const result = await gradcheck({ layers: c.layers, inputShape: c.inputShape, batch: 3, eps: c.eps });
      expect(result.failures).toEqual([]);
      expect(result.checked).toBeGreaterThan(20);
    });
  }

  it("Embedding then GRU (the weights; ids have no gradient)", async () => {
    const result = await gradcheck({
      layers: () => [new Embedding(5, 3), new GRU(3, 4, { returnSequences: false })],
      inputShape: [6],
      input: (i) => (i * 7) % 5,
      checkInput: false,
    });
    expect(result.failures).toEqual([]);
    expect(result.checked).toBe(5 * 3 + 12 * 3 + 12 * 4 + 2 * 12);
  });
});

describe("recurrent layers: shapes, state and errors", () => {
  it("output shapes: [T, H] per sample, or [H] for sequence to one; parameters named as PyTorch's", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Embedding(10, 4), new LSTM(4, 6, { numLayers: 2 }), new GRU(6, 3, { returnSequences: false })])
      .compile(engine, { inputShape: [7], batchSize: 2 });
    expect(model.layers.map((l) => l.outputShape)).toEqual([[7, 4], [7, 6], [3]]);
    expect(model.namedParameters().map(([n, p]) => `${n} ${p.shape.join("x")}`)).toEqual([
      "0.weight 10x4",
      "1.weight_ih_l0 24x4", "1.weight_hh_l0 24x6", "1.bias_ih_l0 24", "1.bias_hh_l0 24",
      "1.weight_ih_l1 24x6", "1.weight_hh_l1 24x6", "1.bias_ih_l1 24", "1.bias_hh_l1 24",
      "2.weight_ih_l0 9x6", "2.weight_hh_l0 9x3", "2.bias_ih_l0 9", "2.bias_hh_l0 9",
    ]);
  });

  it("initializes every parameter U(−1/√H, 1/√H), as PyTorch", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new LSTM(3, 16)]).compile(engine, { inputShape: [2, 3], batchSize: 1 });
    for (const p of model.parameters()) {
      const values = Array.from(p.data);
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(0.25);
      expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.2);
    }
  });

  it("stateful: the final state of a batch is the next batch's initial state, until resetState()", async () => {
    const engine = await createEngine({ backend: "js" });
    const layer = new LSTM(2, 3, { stateful: true, returnSequences: false });
    const model = new Sequential([layer]).compile(engine, { inputShape: [4, 2], batchSize: 2 });
    model.input.array.set(Array.from({ length: 16 }, (_, i) => Math.sin(i)));
    model.forward(2, false);
    const first = model.output.array.slice(0, 6);
    expect(Array.from(layer.initialState.h.array)).toEqual(Array.from(layer.finalState.h.array));
    model.forward(2, false);
    expect(model.output.array.slice(0, 6)).not.toEqual(first);
    layer.resetState();
    expect(layer.initialState.h.array.every((v) => v === 0) && layer.initialState.c!.array.every((v) => v === 0)).toBe(true);
    model.forward(2, false);
    expect(model.output.array.slice(0, 6)).toEqual(first);
    // Without stateful, every forward starts from the same initial state.
    const plain = new Sequential([new LSTM(2, 3, { returnSequences: false })]).compile(engine, { inputShape: [4, 2], batchSize: 2 });
    plain.input.array.set(model.input.array.subarray(0, 16));
    plain.forward(2, false);
    const once = plain.output.array.slice(0, 6);
    plain.forward(2, false);
    expect(plain.output.array.slice(0, 6)).toEqual(once);
  });

  it("errors name the layer, the option and the shape", async () => {
    expect(() => new LSTM(0, 3)).toThrow("LSTM: inputSize must be a positive integer, got 0");
    expect(() => new GRU(2, 3, { numLayers: 1.5 })).toThrow("GRU: numLayers must be a positive integer, got 1.5");
    expect(() => new RNN(2, 3, { tbptt: 0 })).toThrow("RNN: tbptt must be a positive integer (steps a gradient flows back), got 0");
    expect(() => new RNN(2, 3, { nonlinearity: "sigmoid" as "tanh" })).toThrow("RNN: nonlinearity must be 'tanh' or 'relu', got 'sigmoid'");
    expect(() => new LSTM(2, 3, { hidden: 4 } as object)).toThrow(/LSTM: unknown option 'hidden'/);
    expect(() => new LSTM(2, 3, { batchFirst: "yes" as unknown as boolean })).toThrow("LSTM: batchFirst must be true or false, got yes");
    const engine = await createEngine({ backend: "js" });
    expect(() => new Sequential([new LSTM(3, 4)]).compile(engine, { inputShape: [5, 2], batchSize: 1 })).toThrow(
      "LSTM(0): expected input shape [T, 3] (steps, features), got [5, 2]",
    );
    const model = new Sequential([new Embedding(4, 2)]).compile(engine, { inputShape: [3], batchSize: 2 });
    model.input.array.set([0, 1, 2, 3, 4, 1]);
    expect(() => model.forward(2, false)).toThrow("Embedding(0): id 4 (sample 1, position 1) is not an integer in [0, 4)");
    model.input.array.set([0, 1, 2.5]);
    expect(() => model.forward(1, false)).toThrow("Embedding(0): id 2.5 (sample 0, position 2) is not an integer in [0, 4)");
  });
});

describe("recurrent layers: the init option", () => {
  it("'xavierUniform' draws weight_ih and weight_hh by the scheme and zeroes the biases", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new LSTM(3, 8)]).compile(engine, { inputShape: [2, 3], batchSize: 1, init: "xavierUniform" });
    const [wih, whh, bih, bhh] = model.parameters();
    const bound = (fanIn: number, fanOut: number) => Math.sqrt(6 / (fanIn + fanOut));
    expect(Math.max(...Array.from(wih!.data, Math.abs))).toBeGreaterThan(1 / Math.sqrt(8)); // beyond the default U(±1/√8)…
    expect(Math.max(...Array.from(wih!.data, Math.abs))).toBeLessThanOrEqual(bound(3, 32)); // …within Xavier's bound
    expect(Math.max(...Array.from(whh!.data, Math.abs))).toBeLessThanOrEqual(bound(8, 32));
    expect(Array.from(bih!.data).concat(Array.from(bhh!.data)).every((v) => v === 0)).toBe(true);
  });
});
