// fit({ recordGradientNorms: true }): every parameter's gradient norm at every step, against the norm of its .grad
// computed by hand, the same bits on every backend, kept through a checkpoint; and the count of clipped steps.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { BACKENDS, type Backend } from "../src/engine/backend.js";
import { createEngine } from "../src/engine/engine.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { SGD } from "../src/optim/sgd.js";
import { Adam } from "../src/optim/adam.js";
import { checkpointCallback, type Callback } from "../src/train/callbacks.js";
import { decodeCheckpoint } from "../src/train/checkpoint.js";
import { fit } from "../src/train/fit.js";
import { layerNorms } from "../src/train/gradient-norms.js";
import { digitsMlp } from "./helpers/train-models.js";

const { train } = loadDigits();
const small = train.subset(Array.from({ length: 200 }, (_, i) => i * 7));

async function available(): Promise<Backend[]> {
  const out: Backend[] = [];
  for (const backend of BACKENDS.filter((b) => b !== "auto") as Backend[]) {
    try {
      await createEngine({ backend });
      out.push(backend);
    } catch {
      // relaxed-simd where the runtime lacks it
    }
  }
  return out;
}

/** ‖g‖₂ of a Float32Array in float64, in plain order. */
function norm(g: Float32Array): number {
  let s = 0;
  for (const v of g) s += v * v;
  return Math.sqrt(s);
}

describe("recordGradientNorms", () => {
  it("records the norm of each parameter's .grad at every step on every backend, the same bits on the exact ones", async () => {
    const backends = await available();
    expect(backends).toEqual(expect.arrayContaining(["simd", "scalar", "js"]));
    const recorded = new Map<Backend, Float32Array[]>();
    for (const backend of backends) {
      const { model } = await digitsMlp({ backend, batchSize: 32, batchNorm: true });
      const byHand: number[][] = [];
      // After the step the gradients are still those of the step (no clipping here): read them by hand.
      const spy: Callback = { onBatchEnd: () => void byHand.push(model.parameters().map((p) => norm(p.grad))) };
      const history = await fit(model, small, {
        optimizer: new SGD(model.parameters(), { lr: 0.05, momentum: 0.9 }), loss: new CrossEntropyLoss(), batchSize: 32, epochs: 2,
        recordGradientNorms: true, callbacks: [spy], verbose: 0,
      });
      const norms = history.gradientNorms!;
      expect(norms.names).toEqual(["0.weight", "0.bias", "1.weight", "1.bias", "3.weight", "3.bias"]);
      expect(norms.steps).toBe(history.steps);
      expect(norms.steps).toBe(14);
      norms.values.forEach((series, j) => {
        expect(series.length).toBe(14);
        series.forEach((v, i) => {
          expect(v).toBeGreaterThan(0);
          expect(Math.abs(v - byHand[i]![j]!)).toBeLessThanOrEqual(2e-7 * byHand[i]![j]!); // float32 rounding of the norm
        });
      });
      expect(norms.of("3.bias")).toEqual(norms.values[5]);
      recorded.set(backend, norms.values.map((s) => s.slice()));
    }
    // relaxed-simd fuses multiply-adds in the GEMMs: its weights, and so its gradients, differ in the last bits.
    expect(recorded.get("scalar")).toEqual(recorded.get("simd"));
    expect(recorded.get("js")).toEqual(recorded.get("simd"));
  });

  it("is off by default, measures before clipping, and refuses a non-boolean", async () => {
    const { model } = await digitsMlp({ batchSize: 32 });
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const loss = new CrossEntropyLoss();
    expect((await fit(model, small, { optimizer, loss, verbose: 0 })).gradientNorms).toBeNull();
    const history = await fit(model, small, { optimizer, loss, recordGradientNorms: true, clipGradNorm: 1e-3, verbose: 0 });
    const total = layerNorms(history.gradientNorms!).total;
    expect(Math.min(...total)).toBeGreaterThan(1e-2); // the clipped gradient would have norm 1e-3
    await expect(fit(model, small, { optimizer, loss, recordGradientNorms: "yes" as unknown as boolean, verbose: 0 })).rejects.toThrow(
      /^fit: recordGradientNorms must be true or false, got yes$/,
    );
  });

  it("groups tensors by layer: √(Σ of the squared tensor norms), and the total over all of them", async () => {
    const { model } = await digitsMlp({ batchSize: 32 });
    const history = await fit(model, small, { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: new CrossEntropyLoss(), recordGradientNorms: true, verbose: 0 });
    const norms = history.gradientNorms!;
    const layers = layerNorms(norms);
    expect(layers.names).toEqual(["0", "2"]);
    const [w0, b0, w2, b2] = norms.values;
    expect(layers.values[0]![3]).toBeCloseTo(Math.hypot(w0![3]!, b0![3]!), 6);
    expect(layers.values[1]![3]).toBeCloseTo(Math.hypot(w2![3]!, b2![3]!), 6);
    expect(layers.total[3]).toBeCloseTo(Math.hypot(w0![3]!, b0![3]!, w2![3]!, b2![3]!), 6);
  });
});

describe("gradient norms in checkpoints", () => {
  const EPOCHS = 3;
  async function run(resumeFrom?: Uint8Array, crashAfter?: number) {
    const { model } = await digitsMlp({ batchSize: 32, seed: 4 });
    const saved: Uint8Array[] = [];
    const callbacks: Callback[] = [
      checkpointCallback({ every: "epoch", write: (bytes) => void saved.push(bytes) }),
      { onBatchEnd: (ctx) => { if (ctx.step === crashAfter) throw new Error("simulated crash"); } },
    ];
    const options = { optimizer: new Adam(model.parameters(), { lr: 1e-3 }), loss: new CrossEntropyLoss(), epochs: EPOCHS, batchSize: 32, seed: 2, callbacks, verbose: 0 as const };
    const history = await fit(model, small, { ...options, recordGradientNorms: true, resumeFrom }).catch(() => null);
    return { history, saved };
  }

  it("a resumed run has the gradient norms of a run never stopped", async () => {
    const whole = await run();
    const crashed = await run(undefined, 10); // in the second epoch; the checkpoint of epoch 1 was written
    expect(crashed.history).toBeNull();
    const checkpoint = crashed.saved[crashed.saved.length - 1]!;
    const state = decodeCheckpoint(checkpoint).training!;
    expect(state.history.gradientNorms).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(state.gradientNorms!.length).toBe(4 * 7);
    const resumed = await run(checkpoint);
    expect(resumed.history!.gradientNorms!.steps).toBe(EPOCHS * 7);
    expect(resumed.history!.gradientNorms!.values).toEqual(whole.history!.gradientNorms!.values);
  });

  it("a checkpoint without norms resumes with NaN for the steps it did not measure", async () => {
    const { model } = await digitsMlp({ batchSize: 32, seed: 4 });
    const saved: Uint8Array[] = [];
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const base = { optimizer, loss: new CrossEntropyLoss(), batchSize: 32, verbose: 0 as const, callbacks: [checkpointCallback({ every: "epoch", write: (b) => void saved.push(b) })] };
    await fit(model, small, { ...base, epochs: 1 });
    const resumed = await fit(model, small, { ...base, epochs: 2, recordGradientNorms: true, resumeFrom: saved[0]! });
    const series = resumed.gradientNorms!.values[0]!;
    expect(series.length).toBe(14);
    expect(Array.from(series.subarray(0, 7)).every(Number.isNaN)).toBe(true);
    expect(Array.from(series.subarray(7)).every((v) => v > 0)).toBe(true);
  });
});

describe("clipped steps", () => {
  it.each([
    ["clipGradNorm below every gradient's norm", { clipGradNorm: 1e-4 }, 7],
    ["clipGradNorm above every gradient's norm", { clipGradNorm: 1e6 }, 0],
    ["clipGradValue below the largest elements", { clipGradValue: 1e-4 }, 7],
    ["clipGradValue above every element", { clipGradValue: 1e6 }, 0],
  ])("%s: history.clippedSteps counts the steps it changed", async (_, clip, expected) => {
    const { model } = await digitsMlp({ batchSize: 32 });
    const history = await fit(model, small, { optimizer: new SGD(model.parameters(), { lr: 0.1 }), loss: new CrossEntropyLoss(), verbose: 0, ...clip });
    expect(history.steps).toBe(7);
    expect(history.clippedSteps).toBe(expected);
  });
});
