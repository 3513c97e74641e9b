// Sequential: compile (names, one flat buffer, seeded init, shape errors, summary), forward/backward on planned
// buffers (smaller batches, no allocation, backends agree), losses' errors, and training that actually learns.
import { describe, expect, it } from "vitest";
import {
  accuracy, Adam, BatchNorm1d, BCEWithLogitsLoss, createEngine, CrossEntropyLoss, Dropout, Flatten, GELU, Linear, MSELoss, ReLU,
  Rng, Sequential, SGD, Softmax, Tanh,
  type Backend, type Engine, type Layer,
} from "../src/index.js";
import { worstError } from "./helpers/nn-reference.js";

const mlp = (): Layer[] => [new Linear(4, 8), new ReLU(), new Linear(8, 8), new GELU(), new Dropout(0.25), new Linear(8, 3)];

function fillInput(model: Sequential, seed: number): void {
  const rng = new Rng(seed);
  const x = model.input.array;
  for (let i = 0; i < x.length; i++) x[i] = 2 * rng.uniform() - 1;
}

describe("compile", () => {
  it("names parameters as PyTorch and packs them in one flat buffer", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential(mlp()).compile(engine, { inputShape: [4], batchSize: 8, seed: 3 });
    expect(model.namedParameters().map(([n, p]) => [n, p.shape])).toEqual([
      ["0.weight", [8, 4]], ["0.bias", [8]], ["2.weight", [8, 8]], ["2.bias", [8]], ["5.weight", [3, 8]], ["5.bias", [3]],
    ]);
    const params = model.parameters();
    params.forEach((p, i) => {
      expect(p.name).toBe(model.namedParameters()[i]![0]);
      if (i > 0) expect(p.dataSlice.ptr).toBe(params[i - 1]!.dataSlice.ptr + 4 * params[i - 1]!.length);
      expect(p.chunk).toBe(params[0]!.chunk);
    });
    expect(model.output.sampleShape).toEqual([3]);
    expect(model.input.length).toBe(8 * 4);
  });

  it("the same seed gives the same initial weights; another seed other weights; PyTorch's default bounds", async () => {
    const weights = async (seed: number, backend: Backend) => {
      const engine = await createEngine({ backend });
      const model = new Sequential(mlp()).compile(engine, { inputShape: [4], batchSize: 2, seed });
      return model.parameters().map((p) => Array.from(p.data));
    };
    const a = await weights(7, "simd");
    expect(await weights(7, "js")).toEqual(a);
    expect(await weights(8, "simd")).not.toEqual(a);
    // Linear(in, out): weight and bias in U(±1/√in), and spread over most of that range.
    for (const [values, fanIn] of [[a[0]!, 4], [a[1]!, 4], [a[2]!, 8], [a[4]!, 8]] as const) {
      const bound = 1 / Math.sqrt(fanIn);
      expect(Math.max(...values.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...values.map(Math.abs))).toBeGreaterThan(0.6 * bound);
    }
  });

  it("init: a scheme for every weight (biases zeroed) or a function per parameter", async () => {
    const engine = await createEngine({ backend: "js" });
    const xavier = new Sequential([new Linear(30, 20), new Tanh(), new Linear(20, 10)]).compile(engine, { inputShape: [30], batchSize: 1, init: "xavierUniform" });
    const [w0, b0, w2] = xavier.parameters();
    const bound = Math.sqrt(6 / 50);
    expect(Math.max(...Array.from(w0!.data, Math.abs))).toBeLessThanOrEqual(bound);
    expect(Math.max(...Array.from(w0!.data, Math.abs))).toBeGreaterThan(0.9 * bound);
    expect(Array.from(b0!.data)).toEqual(new Array(20).fill(0));
    expect(Math.max(...Array.from(w2!.data, Math.abs))).toBeGreaterThan(1 / Math.sqrt(20)); // not the default bound
    const seen: string[] = [];
    const custom = new Sequential([new Linear(2, 2), new ReLU(), new Linear(2, 1)]).compile(engine, {
      inputShape: [2], batchSize: 1,
      init: ({ name, values, layer }) => (seen.push(`${name}:${layer.kind}`), values.fill(name.endsWith("bias") ? 0.5 : 1)),
    });
    expect(seen).toEqual(["0.weight:Linear", "0.bias:Linear", "2.weight:Linear", "2.bias:Linear"]);
    expect(Array.from(custom.parameters()[1]!.data)).toEqual([0.5, 0.5]);
    expect(() => new Sequential([new Linear(2, 2)]).compile(engine, { inputShape: [2], batchSize: 1, init: "orthogonal" as never })).toThrow(/unknown init 'orthogonal'/);
  });

  it("a shape mismatch names the layer index, its kind and both shapes", async () => {
    const engine = await createEngine({ backend: "js" });
    expect(() => new Sequential([new Linear(4, 8), new ReLU(), new Linear(5, 2)]).compile(engine, { inputShape: [4], batchSize: 2 }))
      .toThrow("Linear(2): expected input shape [5] (features last), got [8]");
    expect(() => new Sequential([new Linear(3, 2)]).compile(engine, { inputShape: [1, 28, 28], batchSize: 2 }))
      .toThrow("Linear(0): expected input shape [3] (features last), got [1, 28, 28]");
    expect(() => new Sequential([new Flatten(), new BatchNorm1d(10)]).compile(engine, { inputShape: [2, 3], batchSize: 2 })).toThrow(/BatchNorm1d\(1\).*\[6\]/);
  });

  it("rejects bad options and layers", async () => {
    const engine = await createEngine({ backend: "js" });
    expect(() => new Sequential([new ReLU()]).compile(engine, { inputShape: [3], batchSize: 0 })).toThrow(/batchSize must be a positive integer, got 0/);
    expect(() => new Sequential([new ReLU()]).compile(engine, { inputShape: [3, -1], batchSize: 2 })).toThrow(/inputShape/);
    const relu = new ReLU();
    expect(() => new Sequential([relu, relu])).toThrow(/ReLU at index 1 also sits at index 0/);
    expect(() => new Linear(0, 3)).toThrow("Linear: inFeatures must be a positive integer, got 0");
    expect(() => new Dropout(1.5)).toThrow(/p must be a probability in \[0, 1\], got 1.5/);
    const model = new Sequential([new ReLU()]);
    expect(() => model.forward(1, false)).toThrow(/compile/);
    model.compile(engine, { inputShape: [3], batchSize: 2 });
    expect(() => model.compile(engine, { inputShape: [3], batchSize: 2 })).toThrow(/already compiled/);
  });

  it("summary: a row per layer with the output shape and parameter count, then the totals", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Flatten(), new Linear(12, 100), new BatchNorm1d(100), new ReLU(), new Linear(100, 10)])
      .compile(engine, { inputShape: [3, 2, 2], batchSize: 16 });
    expect(model.summary()).toBe([
      "Layer          Output shape  Params",
      "=".repeat(35),
      "0 Flatten      [-1, 12]           0",
      "1 Linear       [-1, 100]      1,300",
      "2 BatchNorm1d  [-1, 100]        200",
      "3 ReLU         [-1, 100]          0",
      "4 Linear       [-1, 10]       1,010",
      "=".repeat(35),
      "Total params: 2,510",
      "Non-trainable state values: 201",
      "Input shape: [-1, 3, 2, 2], compiled batch size 16",
    ].join("\n"));
  });

  it("state buffers by PyTorch name", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Linear(3, 4), new BatchNorm1d(4)]).compile(engine, { inputShape: [3], batchSize: 2 });
    const buffers = model.stateBuffers();
    expect(Object.keys(buffers)).toContain("1.running_mean");
    expect(Object.keys(buffers)).toContain("1.running_var");
    expect(Object.keys(buffers).every((k) => k.startsWith("1."))).toBe(true);
    expect(buffers["1.running_mean"]!.length).toBe(4);
  });
});

describe("forward and backward", () => {
  it("a smaller last batch gives the rows of the full batch; backward must follow a forward of that size", async () => {
    const engine = await createEngine({ backend: "simd" });
    const model = new Sequential(mlp()).compile(engine, { inputShape: [4], batchSize: 8, seed: 1 });
    fillInput(model, 2);
    model.forward(8, false);
    const full = model.output.array.slice();
    model.output.array.fill(0);
    model.forward(3, false);
    expect(model.output.array.slice(0, 9)).toEqual(full.slice(0, 9));
    expect(Array.from(model.output.array.slice(9))).toEqual(new Array(15).fill(0));
    expect(() => model.backward(8)).toThrow(/last forward ran a batch of 3/);
    expect(() => model.forward(9, false)).toThrow(/batch must be an integer in \[1, 8\].*got 9/);
    expect(() => model.forward(0, false)).toThrow(RangeError);
  });

  it("gradients of a batch of 3 equal the sums over its samples run one at a time", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Linear(4, 6), new Tanh(), new Linear(6, 2)]).compile(engine, { inputShape: [4], batchSize: 5, seed: 4 });
    fillInput(model, 5);
    const x = model.input.array.slice(0, 12);
    const dy = [0.5, -1, 0.25, 2, -0.75, 1];
    model.zeroGrad();
    model.forward(3, true);
    model.dOutput.array.set(dy);
    model.backward(3);
    const together = model.parameters().map((p) => Array.from(p.grad));
    model.zeroGrad();
    for (let s = 0; s < 3; s++) {
      model.input.array.set(x.subarray(4 * s, 4 * s + 4));
      model.forward(1, true);
      model.dOutput.array.set(dy.slice(2 * s, 2 * s + 2));
      model.backward(1); // accumulates
    }
    model.parameters().forEach((p, i) => expect(worstError(p.grad, together[i]!, 1e-5, 1e-7)).toBeLessThanOrEqual(1));
  });

  it("simd, scalar and js agree bit for bit on a training step; relaxed-simd within tolerance", async () => {
    const step = async (backend: Backend) => {
      const engine = await createEngine({ backend });
      const model = new Sequential([new Flatten(), ...mlp(), new Softmax()]).compile(engine, { inputShape: [2, 2], batchSize: 6, seed: 9 });
      fillInput(model, 10);
      model.forward(5, true);
      const loss = new MSELoss().compute(model.output, { values: engine.tensor(15) }, 5, model.dOutput);
      model.backward(5);
      return { out: model.output.array.slice(), loss, grads: model.parameters().map((p) => p.grad.slice()) };
    };
    const js = await step("js");
    for (const backend of ["simd", "scalar"] as const) {
      const r = await step(backend);
      expect(r.out).toEqual(js.out);
      expect(r.loss).toBe(js.loss);
      r.grads.forEach((g, i) => expect(g).toEqual(js.grads[i]));
    }
    const relaxed = await step("relaxed-simd");
    expect(worstError(relaxed.out, js.out, 1e-4, 1e-6)).toBeLessThanOrEqual(1);
    relaxed.grads.forEach((g, i) => expect(worstError(g, js.grads[i]!, 1e-3, 1e-6)).toBeLessThanOrEqual(1));
  });

  it("a training step allocates nothing in the arena and does not grow the memory", async () => {
    const engine = await createEngine({ backend: "simd" });
    const model = new Sequential(mlp()).compile(engine, { inputShape: [4], batchSize: 16, seed: 1 });
    const labels = engine.allocI32(16);
    labels.array.set(Array.from({ length: 16 }, (_, i) => i % 3));
    const opt = new SGD(model.parameters(), { lr: 0.1 });
    const loss = new CrossEntropyLoss();
    fillInput(model, 1);
    const trainStep = (batch: number) => {
      opt.zeroGrad();
      model.forward(batch, true);
      loss.compute(model.output, { labels }, batch, model.dOutput);
      model.backward(batch);
      opt.step();
    };
    trainStep(16); // the first step may lazily plan optimizer state; later ones must not allocate
    const used = engine.arena.used;
    const bytes = engine.memory.buffer.byteLength;
    for (let i = 0; i < 20; i++) trainStep(i % 2 ? 16 : 7);
    expect(engine.arena.used).toBe(used);
    expect(engine.memory.buffer.byteLength).toBe(bytes);
  });

  it("Dropout: reproducible from the seed, different on each call, the identity in evaluation", async () => {
    const outputs = async (seed: number) => {
      const engine = await createEngine({ backend: "simd" });
      const model = new Sequential([new Dropout(0.5)]).compile(engine, { inputShape: [64], batchSize: 2, seed });
      model.input.array.fill(1);
      const runs: Float32Array[] = [];
      for (let i = 0; i < 2; i++) model.forward(2, true), runs.push(model.output.array.slice());
      model.forward(2, false);
      runs.push(model.output.array.slice());
      return runs;
    };
    const [a1, a2, eval1] = await outputs(1);
    const [b1] = await outputs(1);
    const [c1] = await outputs(2);
    expect(b1).toEqual(a1);
    expect(a2).not.toEqual(a1);
    expect(c1).not.toEqual(a1);
    expect(new Set(a1)).toEqual(new Set([0, 2]));
    expect(Array.from(eval1!)).toEqual(new Array(128).fill(1));
  });
});

describe("losses", () => {
  async function classifier(engine: Engine) {
    const model = new Sequential([new Linear(2, 3)]).compile(engine, { inputShape: [2], batchSize: 4 });
    const labels = engine.allocI32(4);
    return { model, labels };
  }

  it("CrossEntropyLoss names the sample and label out of range", async () => {
    const engine = await createEngine({ backend: "simd" });
    const { model, labels } = await classifier(engine);
    labels.array.set([0, 2, 3, 1]);
    model.forward(4, false);
    expect(() => new CrossEntropyLoss().compute(model.output, { labels }, 4, null)).toThrow("CrossEntropyLoss: label 3 of sample 2 is outside [0, 3)");
    labels.array.set([0, -1, 0, 0]);
    expect(() => new CrossEntropyLoss().compute(model.output, { labels }, 4, null)).toThrow(/label -1 of sample 1/);
    labels.array.set([0, 1, 2, 9]);
    expect(new CrossEntropyLoss().compute(model.output, { labels }, 3, null)).toBeGreaterThan(0); // sample 3 is not in the batch
  });

  it("loss input errors: wrong target kind, short buffers, plain slices, bad batch", async () => {
    const engine = await createEngine({ backend: "js" });
    const { model, labels } = await classifier(engine);
    model.forward(4, false);
    const values = engine.tensor(12);
    expect(() => new CrossEntropyLoss().compute(model.output, { values }, 4, null)).toThrow(/target must be \{ labels/);
    expect(() => new MSELoss().compute(model.output, { labels }, 4, null)).toThrow(/target must be \{ values/);
    expect(() => new MSELoss().compute(model.output, { values: engine.tensor(5) }, 4, null)).toThrow(/holds 5 values, the batch needs 12/);
    expect(() => new MSELoss().compute(engine.tensor(12), { values }, 4, null)).toThrow(/pred must be a BatchBuffer/);
    expect(() => new BCEWithLogitsLoss().compute(model.output, { values }, 5, null)).toThrow(/batch must be an integer in \[1, 4\], got 5/);
    expect(() => new MSELoss().compute(model.output, { values }, 4, engine.tensor(3))).toThrow(/dPred holds 3 values/);
  });

  it("mean reduction: the loss of a batch is the mean of the samples' losses", async () => {
    const engine = await createEngine({ backend: "simd" });
    const { model, labels } = await classifier(engine);
    labels.array.set([0, 2, 1, 1]);
    model.input.array.set([1, 2, -1, 0.5, 0.3, -2, 3, 3]);
    model.forward(4, false);
    const ce = new CrossEntropyLoss();
    const mean = ce.compute(model.output, { labels }, 4, null);
    let sum = 0;
    for (let s = 0; s < 4; s++) {
      model.input.array.copyWithin(0, 2 * s, 2 * s + 2);
      labels.array[0] = [0, 2, 1, 1][s]!;
      model.forward(1, false);
      sum += ce.compute(model.output, { labels }, 1, null);
      model.input.array.set([1, 2, -1, 0.5, 0.3, -2, 3, 3]);
    }
    expect(mean).toBeCloseTo(sum / 4, 6);
  });
});

describe("training", () => {
  it("a tiny MLP learns XOR with SGD (MSE on tanh units)", async () => {
    const engine = await createEngine({ backend: "simd" });
    const model = new Sequential([new Linear(2, 8), new Tanh(), new Linear(8, 1)]).compile(engine, { inputShape: [2], batchSize: 4, seed: 0 });
    model.input.array.set([0, 0, 0, 1, 1, 0, 1, 1]);
    const target = { values: engine.tensor([0, 1, 1, 0]) };
    const opt = new SGD(model.parameters(), { lr: 0.2, momentum: 0.9 });
    const loss = new MSELoss();
    const losses: number[] = [];
    for (let epoch = 0; epoch < 400; epoch++) {
      opt.zeroGrad();
      model.forward(4, true);
      losses.push(loss.compute(model.output, target, 4, model.dOutput));
      model.backward(4);
      opt.step();
    }
    expect(losses[0]).toBeGreaterThan(0.1);
    expect(losses[losses.length - 1]).toBeLessThan(0.01);
    model.forward(4, false);
    expect(Array.from(model.output.array, (v) => Math.round(v))).toEqual([0, 1, 1, 0]);
  });

  it("a classifier learns three Gaussian blobs with CrossEntropyLoss and Adam, accuracy near 1", async () => {
    const engine = await createEngine({ backend: "simd" });
    const n = 96;
    const model = new Sequential([new Linear(2, 16), new ReLU(), new Dropout(0.1), new Linear(16, 3)]).compile(engine, { inputShape: [2], batchSize: 32, seed: 5 });
    const rng = new Rng(11);
    const centers = [[2, 0], [-1, 1.7], [-1, -1.7]];
    const xs = new Float32Array(2 * n);
    const ys = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      ys[i] = i % 3;
      xs[2 * i] = centers[i % 3]![0]! + 0.5 * rng.normal();
      xs[2 * i + 1] = centers[i % 3]![1]! + 0.5 * rng.normal();
    }
    const labels = engine.allocI32(32);
    const opt = new Adam(model.parameters(), { lr: 0.02 });
    const loss = new CrossEntropyLoss();
    const epochLoss: number[] = [];
    for (let epoch = 0; epoch < 30; epoch++) {
      let total = 0;
      for (let start = 0; start < n; start += 32) {
        const batch = Math.min(32, n - start);
        model.input.array.set(xs.subarray(2 * start, 2 * (start + batch)));
        labels.array.set(ys.subarray(start, start + batch));
        opt.zeroGrad();
        model.forward(batch, true);
        total += loss.compute(model.output, { labels }, batch, model.dOutput) * batch;
        model.backward(batch);
        opt.step();
      }
      epochLoss.push(total / n);
    }
    expect(epochLoss[epochLoss.length - 1]).toBeLessThan(0.3 * epochLoss[0]!);
    model.input.array.set(xs.subarray(0, 64));
    labels.array.set(ys.subarray(0, 32));
    model.forward(32, false);
    expect(accuracy(model.output, labels, 32)).toBeGreaterThanOrEqual(0.9);
  });
});

describe("backward skips what no parameter needs", () => {
  it("a Flatten in front of the first Linear: the same parameter gradients as with the input gradient computed", async () => {
    const engine = await createEngine({ backend: "simd" });
    const build = (inputGradient: boolean) =>
      new Sequential([new Flatten(), new Linear(12, 8), new ReLU(), new Linear(8, 3)]).compile(engine, { inputShape: [3, 4], batchSize: 5, seed: 3, inputGradient });
    const grads = (model: Sequential) => {
      fillInput(model, 7);
      model.forward(5, true);
      model.dOutput.array.fill(0.25);
      model.zeroGrad();
      model.backward(5);
      return Float32Array.from(model.parameters().flatMap((p) => [...p.grad]));
    };
    const skipping = build(false), full = build(true);
    expect(grads(skipping)).toEqual(grads(full));
    expect(full.dInput!.array.some((x) => x !== 0)).toBe(true);
    expect(skipping.dInput).toBeNull();
  });
});
