// The spatial layers against PyTorch 1.13 (test/data/nn/spatial_layers.json, written by
// scripts/reference/nn_spatial.py): the same input, parameters and dy give PyTorch's output, input gradient and
// parameter gradients, and after a few training steps BatchNorm holds PyTorch's running statistics and
// num_batches_tracked, on every backend.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { isBackendSupported, type Backend } from "../src/index.js";
import { BatchNorm1d, BatchNorm2d } from "../src/nn/batchnorm.js";
import { Conv2d } from "../src/nn/conv2d.js";
import type { Layer } from "../src/nn/layer.js";
import { AvgPool2d, MaxPool2d } from "../src/nn/pool.js";
import { worstError } from "./helpers/nn-reference.js";
import { backward, buildLayer, forward } from "./helpers/spatial-harness.js";

interface Pass {
  training: boolean;
  input: number[];
  dy: number[];
  output: number[];
  dx: number[];
  grads: Record<string, number[]>;
}

interface Case {
  name: string;
  layer: Record<string, any>;
  inputShape: number[];
  batch: number;
  params: Record<string, number[]>;
  passes: Pass[];
  state: Record<string, number[]>;
}

const data: { torch: string; cases: Case[] } = JSON.parse(readFileSync(new URL("./data/nn/spatial_layers.json", import.meta.url), "utf8"));
const backends = (["relaxed-simd", "simd", "scalar", "js"] as Backend[]).filter(isBackendSupported);

function make(spec: Case["layer"]): Layer {
  switch (spec.kind) {
    case "Conv2d":
      return new Conv2d(spec.inChannels, spec.outChannels, spec.kernelSize, { stride: spec.stride, padding: spec.padding, bias: spec.bias });
    case "MaxPool2d":
      return new MaxPool2d(spec.kernelSize, spec.stride, spec.padding);
    case "AvgPool2d":
      return new AvgPool2d(spec.kernelSize, spec.stride, spec.padding, { countIncludePad: spec.countIncludePad });
    case "BatchNorm1d":
      return new BatchNorm1d(spec.numFeatures, { eps: spec.eps, momentum: spec.momentum });
    case "BatchNorm2d":
      return new BatchNorm2d(spec.numFeatures, { eps: spec.eps, momentum: spec.momentum });
  }
  throw new Error(`unknown layer ${spec.kind}`);
}

const RTOL = 1e-4;
const ATOL = 1e-5;

describe(`spatial layers against PyTorch ${data.torch}`, () => {
  for (const c of data.cases) {
    for (const backend of backends) {
      it(`${c.name} (${backend})`, async () => {
        const run = await buildLayer(make(c.layer), c.inputShape, c.batch, backend);
        for (const p of run.layer.params) p.data.set(c.params[p.name.replace(/^0\./, "")]!);
        for (const pass of c.passes) {
          run.input.array.set(pass.input);
          expect(worstError(forward(run, pass.training), pass.output, RTOL, ATOL)).toBeLessThanOrEqual(1);
          const g = backward(run, pass.dy);
          expect(worstError(g.dx, pass.dx, RTOL, ATOL)).toBeLessThanOrEqual(1);
          run.layer.params.forEach((p, i) => expect(worstError(g.params[i]!, pass.grads[p.name.replace(/^0\./, "")]!, RTOL, ATOL)).toBeLessThanOrEqual(1));
        }
        const state = run.layer.stateBuffers();
        expect(Object.keys(state).sort()).toEqual(Object.keys(c.state).sort());
        for (const [name, values] of Object.entries(c.state)) expect(worstError(state[name]!.array, values, RTOL, ATOL)).toBeLessThanOrEqual(1);
      });
    }
  }
});
