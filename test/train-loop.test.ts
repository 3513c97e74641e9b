// The training loop's options: the NaN/Inf policy, gradient accumulation, clipping, batch sizes, early stopping,
// ReduceLROnPlateau, and memory that stays flat over many epochs.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { makeBlobs } from "../src/data/synthetic.js";
import type { F32Slice } from "../src/engine/views.js";
import { CrossEntropyLoss, type LossTarget } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { SGD } from "../src/optim/sgd.js";
import { ReduceLROnPlateau } from "../src/optim/schedulers/reduce-lr-on-plateau.js";
import { earlyStopping } from "../src/train/callbacks.js";
import { evaluate } from "../src/train/evaluate.js";
import { fit } from "../src/train/fit.js";
import { ModelGradients } from "../src/train/gradients.js";
import { memoryProbe } from "./helpers/memory-probe.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const { train, test } = loadDigits();

/** Cross-entropy that writes NaN into one element of dPred on the given calls (1-based): a gradient blows up. */
class PoisonedLoss extends CrossEntropyLoss {
  calls = 0;
  constructor(private readonly poisonAt: readonly number[]) {
    super();
  }
  override compute(pred: F32Slice, target: LossTarget, batch: number, dPred: F32Slice | null): number {
    const loss = super.compute(pred, target, batch, dPred);
    if (dPred && this.poisonAt.includes(++this.calls)) dPred.array[5] = NaN;
    return loss;
  }
}

describe("non-finite gradients", () => {
  it("'error' (the default) stops with an error naming the step and the first parameter", async () => {
    const { model } = await digitsMlp();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const run = fit(model, train, { optimizer, loss: new PoisonedLoss([3]), batchSize: 32, verbose: 0 });
    await expect(run).rejects.toThrow(/^fit: step 3 \(epoch 1, batch 3\): the gradient of parameter '0\.weight' \(Linear\) is not finite \(NaN at index \d+ of 4096\)$/);
  });

  it("names the first parameter, in the model's order, whose gradient holds a NaN or an infinity", async () => {
    const { model } = await digitsMlp();
    const gradients = new ModelGradients(model);
    expect(gradients.allFinite()).toBe(true);
    expect(gradients.describeFirstNonFinite()).toBeNull();
    model.namedParameters()[3]![1].grad[1] = -Infinity; // '2.bias'
    expect(gradients.allFinite()).toBe(false);
    expect(gradients.describeFirstNonFinite()).toBe("the gradient of parameter '2.bias' (Linear) is not finite (-Infinity at index 1 of 10)");
    model.namedParameters()[2]![1].grad[7] = NaN; // '2.weight' comes first
    expect(gradients.describeFirstNonFinite()).toMatch(/'2\.weight' \(Linear\) is not finite \(NaN at index 7 of 640\)/);
    gradients.zero();
    expect(gradients.allFinite()).toBe(true);
  });

  it("'skip' skips the update of those steps and counts them", async () => {
    const { model } = await digitsMlp();
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const snapshots: Float32Array[] = [];
    const history = await fit(model, train, {
      optimizer, loss: new PoisonedLoss([2, 5, 50]), batchSize: 32, epochs: 2, nonFinite: "skip", verbose: 0,
      callbacks: [{ onBatchEnd: () => void snapshots.push(weightsOf(model)) }],
    });
    expect(history.skippedSteps).toBe(3);
    expect(history.epochs.map((e) => e.skippedSteps)).toEqual([2, 1]);
    expect(bits(snapshots[1]!)).toEqual(bits(snapshots[0]!)); // step 2 changed nothing
    expect(bits(snapshots[4]!)).toEqual(bits(snapshots[3]!));
    expect(bits(snapshots[2]!)).not.toEqual(bits(snapshots[1]!));
    expect(weightsOf(model).every(Number.isFinite)).toBe(true);
    expect(history.steps).toBe(2 * 45);
  });
});

describe("gradient accumulation", () => {
  it("k micro-batches of b samples step like one batch of k·b", async () => {
    const data = train.subset(Array.from({ length: 1024 }, (_, i) => i));
    const trainWith = async (batchSize: number, gradientAccumulation: number) => {
      const { model } = await digitsMlp({ batchSize: 32 });
      const optimizer = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
      const history = await fit(model, data, { optimizer, loss: new CrossEntropyLoss(), batchSize, gradientAccumulation, epochs: 2, seed: 5, verbose: 0 });
      return { weights: weightsOf(model), history };
    };
    const whole = await trainWith(32, 1);
    const accumulated = await trainWith(8, 4);
    const small = await trainWith(8, 1);
    expect(accumulated.history.steps).toBe(whole.history.steps);
    const diff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(diff(accumulated.weights, whole.weights)).toBeLessThan(1e-5);
    expect(diff(small.weights, whole.weights)).toBeGreaterThan(1e-2); // the comparison can tell runs apart
    // Per-step losses are the means over the k·b samples of each step.
    for (let i = 0; i < whole.history.steps; i++) expect(accumulated.history.stepLosses[i]).toBeCloseTo(whole.history.stepLosses[i]!, 5);
  });

  // 1000 samples: the last step holds one micro-batch of 8; 1004: two, of 8 and 4. Each last step must weigh its
  // samples like one batch of them (scaling it by 1/k would shrink it to a quarter or a half).
  it.each([1000, 1004])("a short last step of the epoch (%i samples) steps like one batch of what it holds", async (samples) => {
    const data = train.subset(Array.from({ length: samples }, (_, i) => i));
    const trainWith = async (batchSize: number, gradientAccumulation: number) => {
      const { model } = await digitsMlp({ batchSize: 32 });
      const optimizer = new SGD(model.parameters(), { lr: 0.1 });
      const history = await fit(model, data, { optimizer, loss: new CrossEntropyLoss(), batchSize, gradientAccumulation, epochs: 2, seed: 3, verbose: 0 });
      return { weights: weightsOf(model), history };
    };
    const whole = await trainWith(32, 1);
    const accumulated = await trainWith(8, 4);
    expect(accumulated.history.steps).toBe(whole.history.steps);
    const diff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);
    expect(diff(accumulated.weights, whole.weights)).toBeLessThan(1e-5);
    for (let i = 0; i < whole.history.steps; i++) expect(accumulated.history.stepLosses[i]).toBeCloseTo(whole.history.stepLosses[i]!, 5);
  });
});

describe("batch sizes and clipping", () => {
  it("'full' is one step per epoch, 1 is one step per sample", async () => {
    const blobs = makeBlobs({ samples: 64, centers: 3, features: 64, seed: 2 });
    const { model } = await digitsMlp({ batchSize: 64 });
    const optimizer = new SGD(model.parameters(), { lr: 0.01 });
    const full = await fit(model, blobs, { optimizer, loss: new CrossEntropyLoss(), batchSize: "full", epochs: 3, verbose: 0 });
    expect(full.steps).toBe(3);
    const single = await fit(model, blobs, { optimizer, loss: new CrossEntropyLoss(), batchSize: 1, epochs: 2, verbose: 0 });
    expect(single.steps).toBe(128);
    await expect(fit(model, train, { optimizer, loss: new CrossEntropyLoss(), batchSize: "full", verbose: 0 })).rejects.toThrow(
      /fit: batchSize 1438 exceeds the batch size the model was compiled for \(64\)/,
    );
  });

  it("clipGradNorm bounds every update of plain SGD by lr · maxNorm", async () => {
    const { model } = await digitsMlp();
    const optimizer = new SGD(model.parameters(), { lr: 1 });
    let before = weightsOf(model);
    let largest = 0;
    await fit(model, train, {
      optimizer, loss: new CrossEntropyLoss(), batchSize: 64, clipGradNorm: 1e-3, verbose: 0,
      callbacks: [{
        onBatchEnd() {
          const after = weightsOf(model);
          largest = Math.max(largest, Math.hypot(...after.map((v, i) => v - before[i]!)));
          before = after;
        },
      }],
    });
    expect(largest).toBeGreaterThan(0.9e-3);
    expect(largest).toBeLessThan(1.0001e-3);
  });
});

describe("early stopping and ReduceLROnPlateau", () => {
  const small = train.subset(Array.from({ length: 80 }, (_, i) => i * 17));

  it("stops `patience` + 1 epochs after the best validation loss and restores the best weights", async () => {
    const { model } = await digitsMlp();
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    const stopper = earlyStopping({ monitor: "valLoss", patience: 4, restoreBestWeights: true });
    const loss = new CrossEntropyLoss();
    const history = await fit(model, small, { optimizer, loss, batchSize: 16, epochs: 500, validationData: test, callbacks: [stopper], verbose: 0 });
    const valLosses = history.series("valLoss");
    expect(history.stoppedEarly).toBe(true);
    expect(valLosses.length).toBeLessThan(500);
    expect(stopper.best).toBe(Math.min(...valLosses));
    expect(stopper.bestEpoch).toBe(valLosses.indexOf(stopper.best));
    expect(valLosses.length).toBe(stopper.bestEpoch + 1 + 5);
    expect(evaluate(model, test, { loss }).loss).toBe(stopper.best);
  });

  it("without restoreBestWeights the last weights stay", async () => {
    const { model } = await digitsMlp();
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    const stopper = earlyStopping({ patience: 2 });
    const loss = new CrossEntropyLoss();
    const history = await fit(model, small, { optimizer, loss, batchSize: 16, epochs: 500, validationData: test, callbacks: [stopper], verbose: 0 });
    expect(evaluate(model, test, { loss }).loss).toBe(history.last!.valLoss);
    expect(history.last!.valLoss).toBeGreaterThan(stopper.best);
  });

  it("ReduceLROnPlateau is stepped with the validation loss once per epoch", async () => {
    const { model } = await digitsMlp();
    const optimizer = new Adam(model.parameters(), { lr: 0.02 });
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 0, factor: 0.5, threshold: 0 });
    const history = await fit(model, small, { optimizer, scheduler, loss: new CrossEntropyLoss(), batchSize: 16, epochs: 20, validationData: test, verbose: 0 });
    // Independently: the lr halves after every epoch whose validation loss is not below the best so far.
    let best = Infinity, lr = 0.02;
    history.epochs.forEach((e) => {
      expect(e.lr).toBe(lr);
      if (e.valLoss < best) best = e.valLoss;
      else lr *= 0.5;
    });
    expect(lr).toBeLessThan(0.02);
  });
});

describe("memory", () => {
  it("50 epochs leave the wasm memory unchanged after the first epoch, and the JS heap flat (gradient norms recorded)", async () => {
    const { engine, model } = await digitsMlp({ batchSize: 32, dropout: 0.1, batchNorm: true });
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    const scheduler = new ReduceLROnPlateau(optimizer, { patience: 3 });
    const data = train.subset(Array.from({ length: 320 }, (_, i) => i));
    const { callback, bytes, arena, heap } = memoryProbe(engine);
    const history = await fit(model, data, {
      optimizer, scheduler, loss: new CrossEntropyLoss(), batchSize: 32, epochs: 50, validationData: test, clipGradNorm: 5, recordGradientNorms: true, verbose: 0, callbacks: [callback],
    });
    expect(history.gradientNorms!.steps).toBe(500);
    expect(new Set(bytes).size).toBe(1);
    expect(new Set(arena).size).toBe(1);
    // Per epoch the history gains one record (about 200 bytes); a leak of even 64 bytes per step would add 640.
    const growth = heap.slice(5).map((h, i) => h - heap[i + 4]!).sort((x, y) => x - y);
    expect(growth[Math.floor(growth.length / 2)]!).toBeLessThan(512);
    expect(heap[49]! - heap[4]!).toBeLessThan(256 * 1024);
  });
});
