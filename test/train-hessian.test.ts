// Hessian-vector products by the R-operator against central finite differences of the gradient: in float64 (our
// own gradient, tight) and through the engine's float32 gradient on every backend (loose: float32 differences).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Dataset } from "../src/data/dataset.js";
import { loadDigits } from "../src/data/builtin/digits.js";
import { createEngine, type Backend } from "../src/index.js";
import { Linear } from "../src/nn/linear.js";
import { ReLU, Sigmoid, Tanh } from "../src/nn/activations.js";
import { BCEWithLogitsLoss, CrossEntropyLoss, MSELoss } from "../src/nn/losses.js";
import { Sequential } from "../src/nn/sequential.js";
import { Conv2d } from "../src/nn/conv2d.js";
import { Flatten } from "../src/nn/flatten.js";
import { hessianVectorProduct, modelObjective } from "../src/train/hessian.js";
import { fit } from "../src/train/fit.js";
import { SGD } from "../src/optim/sgd.js";

const digits = loadDigits().train.subset(Array.from({ length: 60 }, (_, i) => i));

function regression(targets: number) {
  const x = Float32Array.from({ length: 40 * 64 }, (_, i) => Math.sin(i * 0.37));
  const y = Float32Array.from({ length: 40 * targets }, (_, i) => (Math.cos(i * 1.3) > 0 ? 1 : 0));
  return new Dataset({ x, shape: [64], targets: y, name: "synthetic" });
}

const CASES = [
  { name: "MLP tanh + CrossEntropy", layers: () => [new Linear(64, 12), new Tanh(), new Linear(12, 10)], loss: new CrossEntropyLoss(), data: digits },
  { name: "MLP sigmoid + ReLU + MSE", layers: () => [new Linear(64, 8), new Sigmoid(), new Linear(8, 6), new ReLU(), new Linear(6, 3)], loss: new MSELoss(), data: regression(3) },
  { name: "logistic regression (BCEWithLogits)", layers: () => [new Linear(64, 1)], loss: new BCEWithLogitsLoss(), data: regression(1) },
  { name: "softmax regression", layers: () => [new Linear(64, 10)], loss: new CrossEntropyLoss(), data: digits },
];

describe("hessianVectorProduct", () => {
  it.each(CASES)("$name: H v matches central differences of the float64 gradient", async ({ layers, loss, data }) => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential(layers()).compile(engine, { inputShape: [64], batchSize: 64, seed: 3 });
    const obj = modelObjective(model, loss, data, { l2: 1e-2 });
    const theta = obj.read();
    fc.assert(fc.property(fc.integer(), (seed) => {
      const v = Float64Array.from({ length: obj.size }, (_, i) => Math.sin(seed + 1.7 * i));
      const hv = obj.hessianVector(theta, v);
      const h = 1e-5;
      const gp = new Float64Array(obj.size), gm = new Float64Array(obj.size);
      obj.value(theta.map((t, i) => t + h * v[i]!), gp);
      obj.value(theta.map((t, i) => t - h * v[i]!), gm);
      const scale = Math.max(...hv.map(Math.abs));
      for (let i = 0; i < obj.size; i++) expect(Math.abs(hv[i]! - (gp[i]! - gm[i]!) / (2 * h))).toBeLessThan(1e-6 * (1 + scale));
    }), { numRuns: 3 });
  });

  it.each(["js", "simd", "scalar"] as Backend[])("%s: H v matches central differences of the engine's float32 gradient", async (backend) => {
    const engine = await createEngine({ backend });
    const model = new Sequential([new Linear(64, 12), new Tanh(), new Linear(12, 10)]).compile(engine, { inputShape: [64], batchSize: 60, seed: 3 });
    const loss = new CrossEntropyLoss();
    const params = model.parameters();
    const size = params.reduce((n, p) => n + p.length, 0);
    const v = Float64Array.from({ length: size }, (_, i) => Math.cos(0.3 * i));
    const hv = hessianVectorProduct(model, loss, digits, v);
    const theta = Float32Array.from(modelObjective(model, loss, digits).read());
    // The engine's gradient at θ ± h v: one full-batch step of SGD with lr 1 subtracts it, so g = θ_before − θ_after.
    const gradientAt = async (sign: number) => {
      let at = 0;
      for (const p of params) p.data.set(theta.subarray(at, at + p.length).map((t, i) => t + sign * 1e-2 * v[at + i]!)), (at += p.length);
      const before = Float64Array.from(params.flatMap((p) => Array.from(p.data)));
      await fit(model, digits, { optimizer: new SGD(params, { lr: 1 }), loss, epochs: 1, batchSize: "full", shuffle: false, verbose: 0, divergence: false });
      const after = params.flatMap((p) => Array.from(p.data));
      return before.map((b, i) => b - after[i]!);
    };
    const gp = await gradientAt(1), gm = await gradientAt(-1);
    const fd = gp.map((g, i) => (g - gm[i]!) / 2e-2);
    const norm = Math.hypot(...hv);
    expect(Math.hypot(...fd.map((f, i) => f - hv[i]!)) / norm).toBeLessThan(2e-2);
  });

  it("a single Linear model's dense Hessian times v is the R-operator's H v", async () => {
    const engine = await createEngine({ backend: "js" });
    for (const { layers, loss, data } of CASES.slice(2)) {
      const model = new Sequential(layers()).compile(engine, { inputShape: [64], batchSize: 64, seed: 5 });
      const obj = modelObjective(model, loss, data, { l2: 1e-3 });
      const theta = obj.read();
      const n = obj.size;
      const h = obj.hessian!(theta);
      const v = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
      const hv = obj.hessianVector(theta, v);
      for (let i = 0; i < n; i++) {
        let s = 0;
        for (let j = 0; j < n; j++) s += h[i * n + j]! * v[j]!;
        expect(s).toBeCloseTo(hv[i]!, 10);
      }
    }
  });

  it("unsupported layers and losses are named, before any work", async () => {
    const engine = await createEngine({ backend: "js" });
    const conv = new Sequential([new Conv2d(1, 2, 3), new Flatten(), new Linear(2 * 6 * 6, 10)]).compile(engine, { inputShape: [1, 8, 8], batchSize: 4 });
    expect(() => modelObjective(conv, new CrossEntropyLoss(), digits)).toThrow("second-order: layer 0 (Conv2d) is not supported (supported: Linear, ReLU, Tanh, Sigmoid)");
    const mlp = new Sequential([new Linear(64, 10)]).compile(engine, { inputShape: [64], batchSize: 4 });
    expect(() => modelObjective(mlp, { kind: "HuberLoss" } as never, digits)).toThrow("loss 'HuberLoss' is not supported");
    expect(() => modelObjective(mlp, new MSELoss(), digits)).toThrow("MSELoss needs float targets in the data");
    expect(() => hessianVectorProduct(mlp, new CrossEntropyLoss(), digits, [1, 2])).toThrow("v has 2 values, the model 650 parameters");
    expect(modelObjective(mlp, new CrossEntropyLoss(), digits).hessian).not.toBeNull();
  });
});
