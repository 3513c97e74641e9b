// RNN, LSTM, GRU and Embedding against PyTorch (test/data/nn/recurrent.json, from scripts/reference/nn_rnn.py):
// with PyTorch's parameters, input and initial state loaded, every backend reproduces the output, the final state
// and the gradients w.r.t. the input, the initial state and every parameter, for each option (batchFirst,
// numLayers, bias off, sequence-to-one, truncated BPTT); the exact backends agree bit for bit.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { createEngine, Embedding, GRU, LSTM, RNN, Sequential, type Backend, type Recurrent, type RecurrentOptions } from "../src/index.js";
import { worstError } from "./helpers/nn-reference.js";

interface Case {
  name: string;
  kind: "LSTM" | "GRU" | "RNN";
  inputSize: number;
  hiddenSize: number;
  steps: number;
  batch: number;
  options: RecurrentOptions & { nonlinearity?: "tanh" | "relu" };
  input: number[];
  h0: number[];
  c0?: number[];
  projection: number[];
  params: Record<string, number[]>;
  output: number[];
  hN: number[];
  cN?: number[];
  inputGrad: number[];
  h0Grad: number[];
  c0Grad?: number[];
  paramGrads: Record<string, number[]>;
}

interface EmbeddingCase {
  name: string;
  num: number;
  dim: number;
  idsShape: number[];
  batch: number;
  ids: number[];
  params: { weight: number[] };
  projection: number[];
  output: number[];
  paramGrads: { weight: number[] };
}

const data: { cases: Case[]; embeddings: EmbeddingCase[] } = JSON.parse(readFileSync(new URL("./data/nn/recurrent.json", import.meta.url), "utf8"));
const BACKENDS: Backend[] = ["simd", "scalar", "js", "relaxed-simd"];

export function recurrentLayer(c: Pick<Case, "kind" | "inputSize" | "hiddenSize" | "options">): Recurrent {
  const { kind, inputSize, hiddenSize, options } = c;
  if (kind === "LSTM") return new LSTM(inputSize, hiddenSize, options);
  if (kind === "GRU") return new GRU(inputSize, hiddenSize, options);
  return new RNN(inputSize, hiddenSize, options);
}

/** Runs a case on a backend; returns everything it computed, as plain arrays. */
async function run(c: Case, backend: Backend) {
  const engine = await createEngine({ backend });
  const layer = recurrentLayer(c);
  // Compiled for a larger batch than used: rows past the batch must not matter.
  const maxBatch = c.batch + 2;
  const model = new Sequential([layer]).compile(engine, { inputShape: [c.steps, c.inputSize], batchSize: maxBatch, inputGradient: true });
  expect(model.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.params).map((n) => `0.${n}`));
  for (const [name, p] of model.namedParameters()) p.data.set(c.params[name.slice(2)]!);
  model.input.array.set(c.input);
  // PyTorch's states are [L, batch, H]; the layer's hold [L, maxBatch, H].
  const H = c.hiddenSize, L = c.options.numLayers ?? 1;
  const toState = (values: number[], target: Float32Array) => {
    for (let l = 0; l < L; l++) target.set(values.slice(l * c.batch * H, (l + 1) * c.batch * H), l * maxBatch * H);
  };
  const fromState = (source: Float32Array) => Array.from({ length: L }, (_, l) => Array.from(source.subarray(l * maxBatch * H, l * maxBatch * H + c.batch * H))).flat();
  toState(c.h0, layer.initialState.h.array);
  if (c.c0) toState(c.c0, layer.initialState.c!.array);
  model.zeroGrad();
  model.forward(c.batch, true);
  model.dOutput.array.set(c.projection);
  model.backward(c.batch);
  return {
    output: Array.from(model.output.array.subarray(0, c.output.length)),
    hN: fromState(layer.finalState.h.array),
    cN: layer.finalState.c ? fromState(layer.finalState.c.array) : null,
    inputGrad: Array.from(model.dInput!.array.subarray(0, c.input.length)),
    h0Grad: fromState(layer.initialStateGradient.h.array),
    c0Grad: layer.initialStateGradient.c ? fromState(layer.initialStateGradient.c.array) : null,
    grads: Object.fromEntries(model.namedParameters().map(([n, p]) => [n.slice(2), Array.from(p.grad)])),
  };
}

describe("recurrent layers against PyTorch", () => {
  for (const c of data.cases) {
    it(`${c.name}: every backend matches torch.nn.${c.kind}; simd, scalar and js bit for bit`, async () => {
      const results = new Map<Backend, Awaited<ReturnType<typeof run>>>();
      for (const backend of BACKENDS) {
        const r = await run(c, backend);
        results.set(backend, r);
        const near = (got: ArrayLike<number>, want: ArrayLike<number>, what: string, rtol = 1e-5) =>
          expect(worstError(got, want, rtol, 1e-6), `${backend}: ${what}`).toBeLessThanOrEqual(1);
        near(r.output, c.output, "output");
        near(r.hN, c.hN, "final h");
        if (c.cN) near(r.cN!, c.cN, "final c");
        near(r.inputGrad, c.inputGrad, "input gradient", 1e-4);
        near(r.h0Grad, c.h0Grad, "h0 gradient", 1e-4);
        if (c.c0Grad) near(r.c0Grad!, c.c0Grad, "c0 gradient", 1e-4);
        for (const [name, g] of Object.entries(c.paramGrads)) near(r.grads[name]!, g, `gradient of ${name}`, 1e-4);
      }
      for (const backend of ["scalar", "js"] as const) expect(results.get(backend), backend).toEqual(results.get("simd"));
    });
  }

  for (const c of data.embeddings) {
    it(`${c.name}: every backend matches torch.nn.Embedding`, async () => {
      for (const backend of BACKENDS) {
        const engine = await createEngine({ backend });
        const model = new Sequential([new Embedding(c.num, c.dim)]).compile(engine, { inputShape: c.idsShape, batchSize: c.batch });
        model.parameters()[0]!.data.set(c.params.weight);
        model.input.array.set(c.ids);
        model.zeroGrad();
        model.forward(c.batch, true);
        expect(Array.from(model.output.array.subarray(0, c.output.length))).toEqual(c.output);
        model.dOutput.array.set(c.projection);
        model.backward(c.batch);
        expect(worstError(model.parameters()[0]!.grad, c.paramGrads.weight, 1e-6, 1e-7), backend).toBeLessThanOrEqual(1);
      }
    });
  }
});
