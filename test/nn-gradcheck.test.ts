// Every layer and loss against central differences (test/helpers/gradcheck.ts), and the checker itself: it must
// catch a backward that is slightly wrong.
import { describe, expect, it } from "vitest";
import {
  BatchNorm2d, BCEWithLogitsLoss, Conv2d, CrossEntropyLoss, Dropout, Flatten, MaxPool2d, GELU, LeakyReLU, Linear, MSELoss, ReLU, Sigmoid, Softmax, Tanh,
  type Engine, type Layer,
} from "../src/index.js";
import { gradcheck, type GradcheckOptions } from "./helpers/gradcheck.js";

async function expectGradientsMatch(options: GradcheckOptions): Promise<void> {
  const result = await gradcheck(options);
  expect(result.checked).toBeGreaterThan(0);
  expect(result.failures).toEqual([]);
}

describe("gradcheck: layers", () => {
  const cases: [string, () => Layer[], number[]][] = [
    ["Linear", () => [new Linear(4, 3)], [4]],
    ["Linear without bias", () => [new Linear(5, 2, { bias: false })], [5]],
    ["Linear on [2, 4] samples (features last)", () => [new Linear(4, 3)], [2, 4]],
    ["ReLU", () => [new ReLU()], [7]],
    ["LeakyReLU(0.2)", () => [new LeakyReLU(0.2)], [7]],
    ["Sigmoid", () => [new Sigmoid()], [7]],
    ["Tanh", () => [new Tanh()], [9]],
    ["GELU", () => [new GELU()], [9]],
    ["Softmax", () => [new Softmax()], [6]],
    ["Softmax over the last dimension of [2, 5]", () => [new Softmax()], [2, 5]],
    ["Flatten", () => [new Flatten()], [2, 3, 2]],
    ["MLP: Linear, Tanh, Linear, GELU, Linear, Sigmoid", () => [new Linear(3, 5), new Tanh(), new Linear(5, 4), new GELU(), new Linear(4, 2), new Sigmoid()], [3]],
  ];
  for (const [name, layers, inputShape] of cases) {
    it(name, () => expectGradientsMatch({ layers, inputShape }));
  }

  it("a small CNN of the spatial layers through Sequential: Conv2d, BatchNorm2d, ReLU, MaxPool2d, Flatten, Linear", () =>
    expectGradientsMatch({
      layers: () => [new Conv2d(1, 2, 3, { padding: 1 }), new BatchNorm2d(2), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(8, 3)],
      inputShape: [1, 4, 4],
    }));

  it("Dropout in training (the same mask replayed for every evaluation)", async () => {
    let dropout!: Dropout;
    await expectGradientsMatch({
      layers: () => [(dropout = new Dropout(0.4))],
      inputShape: [20],
      beforeForward: () => (dropout.calls = 0),
    });
  });

  it("Dropout in evaluation (identity)", () => expectGradientsMatch({ layers: () => [new Dropout(0.4)], inputShape: [8], training: false }));
});

describe("gradcheck: losses", () => {
  const labels = (engine: Engine, batch: number) => {
    const s = engine.allocI32(batch);
    s.array.set(Array.from({ length: batch }, (_, i) => (i * 2) % 5));
    return { labels: s };
  };
  const values = (engine: Engine, batch: number, shape: readonly number[]) => ({
    values: engine.tensor(Array.from({ length: batch * shape.reduce((a, b) => a * b, 1) }, (_, i) => (Math.sin(i * 1.7) + 1) / 2)),
  });

  it("CrossEntropyLoss", () => expectGradientsMatch({ layers: () => [], inputShape: [5], batch: 4, loss: { loss: new CrossEntropyLoss(), target: labels } }));
  it("MSELoss", () => expectGradientsMatch({ layers: () => [], inputShape: [3], batch: 4, loss: { loss: new MSELoss(), target: values } }));
  it("BCEWithLogitsLoss", () => expectGradientsMatch({ layers: () => [], inputShape: [3], batch: 4, loss: { loss: new BCEWithLogitsLoss(), target: values } }));
  it("CrossEntropyLoss through a Linear layer", () =>
    expectGradientsMatch({ layers: () => [new Linear(4, 5)], inputShape: [4], batch: 3, loss: { loss: new CrossEntropyLoss(), target: labels } }));
});

describe("the checker catches wrong gradients", () => {
  /** A Linear whose weight gradient is 3% too large. */
  class SlightlyWrongLinear extends Linear {
    backward(batch: number): void {
      super.backward(batch);
      const g = this.params[0]!.grad;
      for (let i = 0; i < g.length; i++) g[i] = g[i]! * 1.03;
    }
  }
  /** A ReLU that lets the gradient through everywhere. */
  class LeakyBackwardReLU extends ReLU {
    backward(): void {
      const { dInput, dOutput } = this.buffers;
      if (dInput) dInput.array.set(dOutput.array);
    }
  }

  it("flags a weight gradient off by 3%", async () => {
    const result = await gradcheck({ layers: () => [new SlightlyWrongLinear(4, 3)], inputShape: [4] });
    expect(result.failures.some((f) => f.startsWith("0.weight"))).toBe(true);
    expect(result.failures.some((f) => f.startsWith("0.bias"))).toBe(false);
  });

  it("flags an input gradient that ignores the activation", async () => {
    const result = await gradcheck({ layers: () => [new LeakyBackwardReLU()], inputShape: [10] });
    expect(result.failures.length).toBeGreaterThan(0);
    expect(result.failures.every((f) => f.startsWith("input"))).toBe(true);
  });
});
