// Small models against PyTorch (test/data/nn/pytorch_models.json, from scripts/reference/nn_layers.py): with
// PyTorch's parameters and inputs loaded, every backend reproduces its output, mean loss, input gradient and
// parameter gradients.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  BCEWithLogitsLoss, createEngine, CrossEntropyLoss, Flatten, GELU, LeakyReLU, Linear, MSELoss, ReLU, Sequential, Sigmoid, Softmax, Tanh,
  type Backend, type Layer, type Loss, type LossTarget,
} from "../src/index.js";
import { worstError } from "./helpers/nn-reference.js";

interface Case {
  name: string;
  layers: [string, ...(number | boolean)[]][];
  inputShape: number[];
  batch: number;
  loss: "CrossEntropyLoss" | "MSELoss" | "BCEWithLogitsLoss";
  input: number[];
  params: Record<string, number[]>;
  target: { labels: number[] } | { values: number[] };
  output: number[];
  lossValue: number;
  inputGrad: number[];
  paramGrads: Record<string, number[]>;
}

const cases: Case[] = JSON.parse(readFileSync(new URL("./data/nn/pytorch_models.json", import.meta.url), "utf8"));

function layer([kind, ...args]: Case["layers"][number]): Layer {
  switch (kind) {
    case "Linear": return new Linear(args[0] as number, args[1] as number, { bias: (args[2] as boolean | undefined) ?? true });
    case "ReLU": return new ReLU();
    case "LeakyReLU": return new LeakyReLU(args[0] as number);
    case "Sigmoid": return new Sigmoid();
    case "Tanh": return new Tanh();
    case "GELU": return new GELU();
    case "Softmax": return new Softmax();
    case "Flatten": return new Flatten();
    default: throw new Error(`unknown layer ${kind}`);
  }
}

const losses: Record<Case["loss"], () => Loss> = {
  CrossEntropyLoss: () => new CrossEntropyLoss(),
  MSELoss: () => new MSELoss(),
  BCEWithLogitsLoss: () => new BCEWithLogitsLoss(),
};

describe("models against PyTorch", () => {
  for (const c of cases) {
    for (const backend of ["simd", "scalar", "js", "relaxed-simd"] as Backend[]) {
      it(`${c.name} (${backend})`, async () => {
        const engine = await createEngine({ backend });
        const model = new Sequential(c.layers.map(layer)).compile(engine, { inputShape: c.inputShape, batchSize: c.batch + 2, inputGradient: true });
        expect(model.namedParameters().map(([n]) => n)).toEqual(Object.keys(c.params));
        for (const [name, p] of model.namedParameters()) p.data.set(c.params[name]!);
        model.input.array.set(c.input);
        let target: LossTarget;
        if ("labels" in c.target) {
          const labels = engine.allocI32(c.batch + 2);
          labels.array.set(c.target.labels);
          target = { labels };
        } else {
          target = { values: engine.tensor(c.target.values.concat(new Array(2 * model.output.sampleSize).fill(0))) };
        }
        model.zeroGrad();
        model.forward(c.batch, true);
        const loss = losses[c.loss]().compute(model.output, target, c.batch, model.dOutput);
        model.backward(c.batch);
        const n = c.output.length;
        expect(worstError(model.output.array.subarray(0, n), c.output, 1e-5, 1e-6), "output").toBeLessThanOrEqual(1);
        expect(worstError([loss], [c.lossValue], 1e-5, 1e-6), "loss").toBeLessThanOrEqual(1);
        expect(worstError(model.dInput!.array.subarray(0, c.input.length), c.inputGrad, 1e-4, 1e-6), "input gradient").toBeLessThanOrEqual(1);
        for (const [name, p] of model.namedParameters()) {
          expect(worstError(p.grad, c.paramGrads[name]!, 1e-4, 1e-6), `gradient of ${name}`).toBeLessThanOrEqual(1);
        }
      });
    }
  }
});
