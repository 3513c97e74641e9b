// Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d/2d, each as a one-layer Sequential on every backend: forward against
// the direct float64 implementations of test/helpers/spatial-naive.ts, gradients against central differences
// (test/helpers/gradcheck.ts), backends against each other, BatchNorm's running statistics against PyTorch's
// update formula.
import { describe, expect, it } from "vitest";
import { correctCount, createEngine, CrossEntropyLoss, Flatten, isBackendSupported, Linear, ReLU, Rng, Sequential, SGD, Tanh, type Backend } from "../src/index.js";
import { BatchNorm1d, BatchNorm2d } from "../src/nn/batchnorm.js";
import { Conv2d, type Conv2dOptions } from "../src/nn/conv2d.js";
import { size, type Layer, type Shape } from "../src/nn/layer.js";
import { AvgPool2d, MaxPool2d } from "../src/nn/pool.js";
import type { Pair } from "../src/nn/window.js";
import { naiveConv2d, naiveMoments, naiveNormalize, naivePool2d, outputSize, type Geometry2d } from "./helpers/spatial-naive.js";
import { gradcheck, type GradcheckOptions } from "./helpers/gradcheck.js";
import { worstError as closeness } from "./helpers/nn-reference.js";
import { backward, buildLayer, forward, normals, type LayerRun } from "./helpers/spatial-harness.js";

const backends = (["relaxed-simd", "simd", "scalar", "js"] as Backend[]).filter(isBackendSupported);
/** Backends that must agree bit for bit wherever no matrix product is involved. */
const exactBackends: Backend[] = ["simd", "scalar", "js"];

const pairOf = (v: Pair | undefined, d: number): [number, number] => (v === undefined ? [d, d] : typeof v === "number" ? [v, v] : [v[0], v[1]]);

interface ConvCase {
  name: string;
  input: [number, number, number];
  out: number;
  kernel: Pair;
  options: Conv2dOptions;
  batch: number;
}

const convCases: ConvCase[] = [
  { name: "3×3, padding 1", input: [3, 7, 7], out: 4, kernel: 3, options: { padding: 1 }, batch: 2 },
  { name: "3×2 kernel, stride 2×1, padding 1×0, odd sizes", input: [2, 9, 8], out: 5, kernel: [3, 2], options: { stride: [2, 1], padding: [1, 0] }, batch: 3 },
  { name: "pointwise 1×1, no bias", input: [3, 5, 5], out: 2, kernel: 1, options: { bias: false }, batch: 2 },
  { name: "5×5, stride 2, padding 2, one input channel", input: [1, 6, 7], out: 3, kernel: 5, options: { stride: 2, padding: 2 }, batch: 2 },
  { name: "2×3 kernel, stride 3, padding 0×1", input: [4, 5, 5], out: 3, kernel: [2, 3], options: { stride: 3, padding: [0, 1] }, batch: 2 },
  { name: "1×1 kernel, stride 2", input: [2, 3, 3], out: 2, kernel: 1, options: { stride: 2 }, batch: 1 },
];

const convGeometry = (c: ConvCase): Geometry2d => ({
  kernel: pairOf(c.kernel, 1),
  stride: pairOf(c.options.stride, 1),
  padding: pairOf(c.options.padding, 0),
});

function naiveConvOf(run: LayerRun, c: ConvCase, batch = c.batch): Float64Array {
  const [weight, bias] = run.layer.params;
  return naiveConv2d(run.input.array, [batch, ...c.input], weight!.data, bias ? bias.data : null, c.out, convGeometry(c));
}

interface PoolCase {
  name: string;
  input: [number, number, number];
  kernel: Pair;
  stride?: Pair;
  padding?: Pair;
  countIncludePad?: boolean;
  batch: number;
}

const poolCases: PoolCase[] = [
  { name: "2×2 (stride = kernel)", input: [3, 8, 8], kernel: 2, batch: 2 },
  { name: "3×3, stride 2, padding 1, odd sizes", input: [2, 7, 9], kernel: 3, stride: 2, padding: 1, batch: 2 },
  { name: "2×3, stride 1×2, padding 1, overlapping", input: [2, 5, 6], kernel: [2, 3], stride: [1, 2], padding: 1, batch: 3 },
  { name: "3×3, stride 2, padding 1, padding not counted", input: [1, 6, 5], kernel: 3, stride: 2, padding: 1, countIncludePad: false, batch: 2 },
];

const poolGeometry = (c: PoolCase): Geometry2d => ({
  kernel: pairOf(c.kernel, 1),
  stride: c.stride === undefined ? pairOf(c.kernel, 1) : pairOf(c.stride, 1),
  padding: pairOf(c.padding, 0),
});

const makePool = (c: PoolCase, mode: "max" | "avg"): Layer =>
  mode === "max"
    ? new MaxPool2d(c.kernel, c.stride ?? null, c.padding ?? 0)
    : new AvgPool2d(c.kernel, c.stride ?? null, c.padding ?? 0, { countIncludePad: c.countIncludePad ?? true });

/** n distinct values (a shuffled ramp with step 0.05): no ties, so every window has a clear maximum. */
function distinctValues(n: number, seed: number): Float32Array {
  const x = new Float32Array(n);
  const order = normals(n, seed);
  const ranks = Array.from(order.keys()).sort((a, b) => order[a]! - order[b]!);
  ranks.forEach((at, rank) => (x[at] = 0.05 * rank - 1));
  return x;
}

const paramCount = (layer: Layer): number => layer.paramSpecs().reduce((n, spec) => n + size(spec.shape), 0);

/** Runs the gradient checker; `elements` is how many input and parameter values it must compare. */
async function expectGradients(options: GradcheckOptions, elements: number): Promise<void> {
  const result = await gradcheck(options);
  expect(result.failures).toEqual([]);
  expect(result.checked).toBe(elements);
}

interface NormCase {
  name: string;
  make: () => BatchNorm1d | BatchNorm2d;
  input: Shape;
  batch: number;
}

const normCases: NormCase[] = [
  { name: "BatchNorm1d on features, odd channel count", make: () => new BatchNorm1d(5), input: [5], batch: 6 },
  { name: "BatchNorm1d on [C, L]", make: () => new BatchNorm1d(4), input: [4, 7], batch: 3 },
  { name: "BatchNorm2d, 5×5 planes", make: () => new BatchNorm2d(3), input: [3, 5, 5], batch: 4 },
  { name: "BatchNorm2d without affine", make: () => new BatchNorm2d(2, { affine: false }), input: [2, 4, 4], batch: 2 },
  { name: "BatchNorm1d, eps 1e-3, momentum null", make: () => new BatchNorm1d(8, { eps: 1e-3, momentum: null }), input: [8], batch: 16 },
];

function channelsOf(shape: Shape): [number, number] {
  return [shape[0]!, size(shape) / shape[0]!];
}

/** γ and β of a layer (1 and 0 without affine), perturbed away from the initial 1/0 so that they matter. */
function gammaBeta(run: LayerRun, c: number): [ArrayLike<number>, ArrayLike<number>] {
  const [weight, bias] = run.layer.params;
  return weight && bias ? [weight.data, bias.data] : [new Float64Array(c).fill(1), new Float64Array(c)];
}

/** The layer with γ ~ U(0.5, 1.5) and β ~ U(−0.5, 0.5) instead of 1 and 0, so that a mix-up of the two shows. */
function withRandomAffine<T extends Layer>(layer: T): T {
  const specs = layer.paramSpecs.bind(layer);
  layer.paramSpecs = () =>
    specs().map((spec) => ({
      ...spec,
      init: (values, rng) => {
        for (let i = 0; i < values.length; i++) values[i] = (spec.name === "weight" ? 1 : 0) + rng.uniform() - 0.5;
      },
    }));
  return layer;
}

function perturbAffine(run: LayerRun, seed: number): void {
  const noise = normals(16, seed);
  for (const p of run.layer.params) for (let i = 0; i < p.length; i++) p.data[i] = p.data[i]! + 0.3 * noise[i % 16]!;
}

describe("Conv2d", () => {
  for (const c of convCases) {
    for (const backend of backends) {
      it(`forward matches direct convolution: ${c.name} (${backend})`, async () => {
        const run = await buildLayer(new Conv2d(c.input[0], c.out, c.kernel, c.options), c.input, c.batch, backend);
        expect(run.layer.outputShape).toEqual([c.out, ...outputSize(c.input[1], c.input[2], convGeometry(c))]);
        expect(closeness(forward(run), naiveConvOf(run, c), 1e-4, 1e-5)).toBeLessThanOrEqual(1);
      });
    }

    it(`input, weight and bias gradients match central differences: ${c.name}`, async () => {
      const conv = () => new Conv2d(c.input[0], c.out, c.kernel, c.options);
      // Convolution is linear in each argument: a large step costs no truncation error.
      await expectGradients({ layers: () => [conv()], inputShape: c.input, batch: c.batch, eps: 0.25, rtol: 1e-3, atol: 1e-4 }, size(c.input) * c.batch + paramCount(conv()));
    });

    it(`backends agree (GEMM order within tolerance): ${c.name}`, async () => {
      const results = await Promise.all(
        backends.map(async (backend) => {
          const run = await buildLayer(new Conv2d(c.input[0], c.out, c.kernel, c.options), c.input, c.batch, backend);
          const y = forward(run);
          return { y, ...backward(run, normals(run.output.length, 11)) };
        }),
      );
      const [first, ...rest] = results;
      for (const r of rest) {
        expect(closeness(r.y, first!.y, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
        expect(closeness(r.dx, first!.dx, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
        r.params.forEach((p, i) => expect(closeness(p, first!.params[i]!, 1e-5, 1e-5)).toBeLessThanOrEqual(1));
      }
    });
  }

  it("runs a smaller batch than allocated, and accumulates parameter gradients", async () => {
    const c = convCases[1]!;
    const run = await buildLayer(new Conv2d(c.input[0], c.out, c.kernel, c.options), c.input, c.batch, "simd");
    const dy = normals(run.output.length, 3);
    const part = forward(run, true, 2);
    const partGrads = backward(run, dy, 2);
    const full = forward(run);
    const once = backward(run, dy);
    expect(part).toEqual(full.slice(0, part.length));
    expect(partGrads.dx).toEqual(once.dx.slice(0, partGrads.dx.length));
    run.model.backward(c.batch); // no zeroGrad in between: the gradients add up
    run.layer.params.forEach((p, i) => expect(closeness(p.grad, once.params[i]!.map((v) => 2 * v), 1e-5, 1e-6)).toBeLessThanOrEqual(1));
  });

  it("skips the input gradient when there is no dInput (first layer)", async () => {
    const c = convCases[0]!;
    const runs = await Promise.all([true, false].map((inputGradient) => buildLayer(new Conv2d(c.input[0], c.out, c.kernel, c.options), c.input, c.batch, "js", { inputGradient })));
    const [withInput, without] = runs.map((run) => (forward(run), backward(run, normals(run.output.length, 5))));
    expect(without!.dx.length).toBe(0);
    expect(without!.params).toEqual(withInput!.params);
  });

  it("initializes weight and bias as PyTorch: U(−1/√fanIn, 1/√fanIn)", async () => {
    const run = await buildLayer(new Conv2d(4, 16, 3), [4, 6, 6], 1, "js");
    const bound = 1 / Math.sqrt(4 * 9);
    for (const p of run.layer.params) {
      const v = Array.from(p.data);
      expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(bound);
      expect(Math.max(...v.map(Math.abs))).toBeGreaterThan(0.8 * bound);
    }
    expect(run.layer.params.map((p) => [p.name, p.shape])).toEqual([["0.weight", [16, 4, 3, 3]], ["0.bias", [16]]]);
  });
});

for (const mode of ["max", "avg"] as const) {
  describe(mode === "max" ? "MaxPool2d" : "AvgPool2d", () => {
    for (const c of poolCases) {
      if (mode === "max" && c.countIncludePad === false) continue;
      for (const backend of backends) {
        it(`forward matches direct pooling: ${c.name} (${backend})`, async () => {
          const run = await buildLayer(makePool(c, mode), c.input, c.batch, backend);
          const expected = naivePool2d(run.input.array, [c.batch, ...c.input], poolGeometry(c), mode, c.countIncludePad ?? true);
          if (mode === "max") expect(Array.from(forward(run))).toEqual(Array.from(expected, Math.fround));
          else expect(closeness(forward(run), expected, 1e-6, 1e-7)).toBeLessThanOrEqual(1);
        });
      }

      it(`input gradient matches central differences: ${c.name}`, async () => {
        // Both are piecewise linear; distinct inputs 0.05 apart and a smaller step keep every window's maximum.
        const ramp = distinctValues(c.batch * size(c.input), 4);
        await expectGradients({ layers: () => [makePool(c, mode)], inputShape: c.input, batch: c.batch, input: (i) => ramp[i]!, eps: 0.01, rtol: 1e-3, atol: 1e-4 }, ramp.length);
      });

      it(`simd, scalar and js agree bit for bit, relaxed-simd too: ${c.name}`, async () => {
        const results = await Promise.all(
          backends.map(async (backend) => {
            const run = await buildLayer(makePool(c, mode), c.input, c.batch, backend);
            return { backend, y: forward(run), dx: backward(run, normals(run.output.length, 2)).dx };
          }),
        );
        const js = results.find((r) => r.backend === "js")!;
        for (const r of results) {
          expect(r.y).toEqual(js.y);
          expect(r.dx).toEqual(js.dx);
        }
      });
    }
  });
}

describe("MaxPool2d", () => {
  it("routes the gradient to the first maximum of each window (summing over overlaps); padding never wins", async () => {
    const run = await buildLayer(new MaxPool2d(3, 2, 1), [1, 3, 3], 1, "simd");
    run.input.array.set([-5, -1, -5, -1, -5, -5, -5, -5, -5]);
    expect(Array.from(forward(run))).toEqual([-1, -1, -1, -5]);
    const { dx } = backward(run, [1, 2, 3, 4]);
    // Windows (0,0) and (0,1) both pick pixel 1, (1,0) picks pixel 3, the all-equal (1,1) its first pixel 4.
    expect(Array.from(dx)).toEqual([0, 1 + 2, 0, 3, 4, 0, 0, 0, 0]);
  });
});

describe("BatchNorm", () => {
  for (const c of normCases) {
    const [channels, perChannel] = channelsOf(c.input);
    for (const backend of backends) {
      it(`training forward normalizes with the batch statistics: ${c.name} (${backend})`, async () => {
        const run = await buildLayer(c.make(), c.input, c.batch, backend);
        perturbAffine(run, 3);
        const layer = run.layer as BatchNorm1d;
        const { mean, variance } = naiveMoments(run.input.array, c.batch, channels, perChannel);
        const [gamma, beta] = gammaBeta(run, channels);
        const expected = naiveNormalize(run.input.array, c.batch, channels, perChannel, mean, variance, layer.eps, gamma, beta);
        expect(closeness(forward(run, true), expected, 1e-4, 2e-5)).toBeLessThanOrEqual(1);
      });
    }

    for (const training of [true, false]) {
      it(`${training ? "training" : "eval"} gradients match central differences: ${c.name}`, async () => {
        const layer = () => withRandomAffine(c.make());
        // Eval mode normalizes with running statistics away from the initial 0 and 1.
        const runningMean = normals(channels, 17), runningVar = normals(channels, 18).map((v) => 0.5 + v * v);
        const beforeForward: GradcheckOptions["beforeForward"] = (model) => {
          const state = model.stateBuffers();
          state["0.running_mean"]?.array.set(runningMean);
          state["0.running_var"]?.array.set(runningVar);
        };
        await expectGradients(
          { layers: () => [layer()], inputShape: c.input, batch: c.batch, training, beforeForward, eps: 4e-3, rtol: 2e-2, atol: 2e-3 },
          size(c.input) * c.batch + paramCount(layer()),
        );
      });
    }

    it(`simd, scalar and js agree bit for bit, relaxed-simd within tolerance: ${c.name}`, async () => {
      const results = await Promise.all(
        backends.map(async (backend) => {
          const run = await buildLayer(c.make(), c.input, c.batch, backend);
          perturbAffine(run, 8);
          const train = forward(run, true);
          const trainGrads = backward(run, normals(run.output.length, 21));
          const evalOut = forward(run, false);
          const evalGrads = backward(run, normals(run.output.length, 22));
          const state = Object.values(run.layer.stateBuffers()).map((s) => s.array.slice());
          return { backend, values: [train, trainGrads.dx, ...trainGrads.params, evalOut, evalGrads.dx, ...evalGrads.params, ...state] };
        }),
      );
      const js = results.find((r) => r.backend === "js")!;
      for (const r of results) {
        r.values.forEach((v, i) => {
          if (exactBackends.includes(r.backend)) expect(v).toEqual(js.values[i]);
          else expect(closeness(v, js.values[i]!, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        });
      }
    });
  }

  /** Running statistics after `steps` training batches, by PyTorch's update formula in float64. */
  function expectedRunning(inputs: Float32Array[], n: number, c: number, l: number, momentum: number | null) {
    const mean = new Array<number>(c).fill(0);
    const variance = new Array<number>(c).fill(1);
    inputs.forEach((x, t) => {
      const m = naiveMoments(x, n, c, l);
      const factor = momentum ?? 1 / (t + 1);
      for (let ch = 0; ch < c; ch++) {
        mean[ch] = (1 - factor) * mean[ch]! + factor * m.mean[ch]!;
        variance[ch] = (1 - factor) * variance[ch]! + factor * ((m.variance[ch]! * n * l) / (n * l - 1));
      }
    });
    return { mean, variance };
  }

  for (const [momentum, label] of [[0.1, "momentum 0.1"], [0.3, "momentum 0.3"], [null, "momentum null (cumulative average)"]] as const) {
    for (const backend of backends) {
      it(`running statistics follow PyTorch's formula, ${label} (${backend})`, async () => {
        const [n, shape] = [4, [3, 5, 3]];
        const run = await buildLayer(new BatchNorm2d(3, { momentum }), shape, n, backend);
        const inputs: Float32Array[] = [];
        for (let step = 0; step < 4; step++) {
          const x = normals(run.input.length, 100 + step).map((v) => 2 * v + step);
          run.input.array.set(x);
          inputs.push(x);
          forward(run, true);
        }
        const { running_mean, running_var, num_batches_tracked } = run.layer.stateBuffers();
        const expected = expectedRunning(inputs, n, 3, 15, momentum);
        expect(closeness(running_mean!.array, expected.mean, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        expect(closeness(running_var!.array, expected.variance, 1e-5, 1e-6)).toBeLessThanOrEqual(1);
        expect(Array.from(num_batches_tracked!.array)).toEqual([4]);
      });
    }
  }

  it("eval mode normalizes with the running statistics and leaves them unchanged", async () => {
    const run = await buildLayer(new BatchNorm2d(3), [3, 4, 4], 5, "simd");
    perturbAffine(run, 2);
    for (let step = 0; step < 3; step++) {
      run.input.array.set(normals(run.input.length, 40 + step).map((v) => 3 * v - 1));
      forward(run, true);
    }
    const state = run.layer.stateBuffers();
    const before = Object.values(state).map((s) => s.array.slice());
    run.input.array.set(normals(run.input.length, 50));
    const evalOut = forward(run, false);
    const [gamma, beta] = gammaBeta(run, 3);
    const runningMean = Array.from(state.running_mean!.array), runningVar = Array.from(state.running_var!.array);
    const expected = naiveNormalize(run.input.array, 5, 3, 16, runningMean, runningVar, 1e-5, gamma, beta);
    expect(closeness(evalOut, expected, 1e-4, 1e-5)).toBeLessThanOrEqual(1);
    expect(Object.values(state).map((s) => s.array.slice())).toEqual(before);
    const trainOut = forward(run, true);
    expect(closeness(trainOut, evalOut, 1e-2, 1e-2)).toBeGreaterThan(1);
  });

  it("without trackRunningStats: no state buffers, eval mode uses the batch statistics", async () => {
    const run = await buildLayer(new BatchNorm1d(4, { trackRunningStats: false }), [4, 3], 6, "js");
    expect(run.layer.stateBuffers()).toEqual({});
    expect(forward(run, false)).toEqual(forward(run, true));
  });

  it("refuses to train on one value per channel", async () => {
    const run = await buildLayer(new BatchNorm1d(3), [3], 1, "js");
    expect(() => forward(run, true)).toThrow("BatchNorm1d(0): expected more than 1 value per channel when training, got input shape [1, 3]");
    expect(() => forward(run, false)).not.toThrow();
  });
});

describe("shape and option errors name the layer and the values", () => {
  const named = <L extends Layer>(layer: L, name = "3"): L => ((layer.name = name), layer);

  it("Conv2d", () => {
    expect(() => named(new Conv2d(3, 8, 3)).configure([4, 8, 8])).toThrow("Conv2d(3): expected input shape [3, H, W], got [4, 8, 8]");
    expect(() => new Conv2d(3, 8, 3).configure([3, 64])).toThrow("Conv2d: expected input shape [3, H, W], got [3, 64]");
    expect(() => named(new Conv2d(3, 8, 5, { padding: 1 })).configure([3, 2, 9])).toThrow(
      "Conv2d(3): input [3, 2, 9] is smaller than the kernel 5×5 (padding 1×1): output shape would be [8, 0, 7]",
    );
    expect(() => new Conv2d(0, 8, 3)).toThrow(RangeError);
    expect(() => new Conv2d(0, 8, 3)).toThrow("Conv2d: inChannels must be a positive integer, got 0");
    expect(() => new Conv2d(3, 8, [3] as unknown as Pair)).toThrow("Conv2d: kernelSize must be an integer ≥ 1 or a pair of them, got [3]");
    expect(() => new Conv2d(3, 8, 3, { stride: 0 })).toThrow("Conv2d: stride must be an integer ≥ 1 or a pair of them, got 0");
    expect(() => new Conv2d(3, 8, 3, { padding: -1 })).toThrow("Conv2d: padding must be an integer ≥ 0 or a pair of them, got -1");
  });

  it("MaxPool2d and AvgPool2d", () => {
    expect(() => named(new MaxPool2d(2)).configure([3, 8])).toThrow("MaxPool2d(3): expected input shape [C, H, W], got [3, 8]");
    expect(() => named(new AvgPool2d(4)).configure([3, 3, 8])).toThrow(
      "AvgPool2d(3): input [3, 3, 8] is smaller than the kernel 4×4 (padding 0×0): output shape would be [3, 0, 2]",
    );
    expect(() => new MaxPool2d(2, 2, 2)).toThrow("MaxPool2d: padding must be at most half the kernel size, got padding 2 for kernelSize 2");
    expect(() => new AvgPool2d(2, 0)).toThrow("AvgPool2d: stride must be an integer ≥ 1 or a pair of them, got 0");
  });

  it("BatchNorm1d and BatchNorm2d", () => {
    expect(() => named(new BatchNorm1d(4)).configure([5])).toThrow("BatchNorm1d(3): expected input shape [4] or [4, L], got [5]");
    expect(() => named(new BatchNorm1d(4)).configure([4, 2, 2])).toThrow("BatchNorm1d(3): expected input shape [4] or [4, L], got [4, 2, 2]");
    expect(() => named(new BatchNorm2d(3)).configure([3, 8])).toThrow("BatchNorm2d(3): expected input shape [3, H, W], got [3, 8]");
    expect(() => new BatchNorm2d(3, { momentum: 2 })).toThrow("BatchNorm2d: momentum must be in [0, 1] or null, got 2");
    expect(() => new BatchNorm1d(3, { eps: 0 })).toThrow("BatchNorm1d: eps must be positive, got 0");
    expect(() => new BatchNorm1d(1.5)).toThrow("BatchNorm1d: numFeatures must be a positive integer, got 1.5");
  });
});

describe("in a model", () => {
  it("a convolutional stack (Conv2d, BatchNorm2d, AvgPool2d, Conv2d, MaxPool2d, Linear) passes the gradient check", async () => {
    const layers = () => [
      new Conv2d(2, 3, 3, { padding: 1 }), new BatchNorm2d(3), new Tanh(), new AvgPool2d(2),
      new Conv2d(3, 4, 2), new MaxPool2d(2, 1), new Flatten(), new Linear(4, 2),
    ];
    const result = await gradcheck({ layers, inputShape: [2, 6, 6], batch: 3, eps: 3e-3, rtol: 2e-2, atol: 2e-3 });
    expect(result.failures).toEqual([]);
  });

  it("a small CNN learns where a bright blob is, and keeps that accuracy in eval mode", async () => {
    const engine = await createEngine({ backend: "simd" });
    const batch = 32;
    const model = new Sequential([
      new Conv2d(1, 4, 3, { padding: 1 }), new BatchNorm2d(4), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 2),
    ]).compile(engine, { inputShape: [1, 6, 6], batchSize: batch, seed: 3 });
    // Class 0: a 2×2 blob in the left half; class 1: in the right half; noise everywhere.
    const rng = new Rng(9);
    const labels = engine.allocI32(batch);
    const x = model.input.array;
    for (let n = 0; n < batch; n++) {
      const label = n % 2;
      labels.array[n] = label;
      for (let i = 0; i < 36; i++) x[n * 36 + i] = 0.3 * rng.normal();
      const row = rng.int(5), col = label * 3 + rng.int(2);
      for (const [dr, dc] of [[0, 0], [0, 1], [1, 0], [1, 1]]) x[n * 36 + (row + dr!) * 6 + col + dc!] += 2;
    }
    const loss = new CrossEntropyLoss();
    const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
    const losses: number[] = [];
    for (let step = 0; step < 40; step++) {
      model.zeroGrad();
      model.forward(batch, true);
      losses.push(loss.compute(model.output, { labels }, batch, model.dOutput));
      model.backward(batch);
      optimizer.step();
    }
    expect(losses[0]).toBeGreaterThan(0.5);
    expect(losses[losses.length - 1]).toBeLessThan(0.1);
    model.forward(batch, false);
    expect(correctCount(model.output, labels, batch)).toBe(batch);
  });
});
