// fit with a schedule-free optimizer: train() before the first step, validation and checkpoints at x (the eval
// weights) with y put back bit for bit, the model left at x; and updateBn recomputing BatchNorm statistics.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { AdamWScheduleFree, applyCheckpoint, checkpointCallback, CrossEntropyLoss, decodeCheckpoint, evaluate, fit, SGDScheduleFree, updateBn } from "../src/index.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const loss = new CrossEntropyLoss();

describe("fit with a schedule-free optimizer", () => {
  it("validates at x without disturbing training, saves checkpoints in eval mode and ends at x", async () => {
    const { train, test } = loadDigits();
    const plain = await digitsMlp();
    const plainOpt = new AdamWScheduleFree(plain.model.parameters(), { lr: 0.01 });
    await fit(plain.model, train, { optimizer: plainOpt, loss, epochs: 2, verbose: 0 });

    const { model } = await digitsMlp();
    const optimizer = new AdamWScheduleFree(model.parameters(), { lr: 0.01 });
    const saved: Uint8Array[] = [];
    const history = await fit(model, train, {
      optimizer, loss, epochs: 2, validationData: test, verbose: 0,
      callbacks: [checkpointCallback({ write: (b) => void saved.push(b) })],
    });
    // Validating (at x) changed nothing in the training of y: the same bits as the run without validation.
    expect(bits(weightsOf(model))).toEqual(bits(weightsOf(plain.model)));
    expect(optimizer.trainMode).toBe(false);
    // The last validation saw the weights the model now holds: x.
    expect(evaluate(model, test, { loss }).loss).toBe(history.last!.valLoss);
    // The checkpoint holds x and the optimizer in eval mode, as the reference asks.
    const checkpoint = decodeCheckpoint(saved.at(-1)!);
    expect(checkpoint.optimizer!.paramGroups[0]!.trainMode).toBe(false);
    const copy = await digitsMlp();
    applyCheckpoint(checkpoint, copy.model);
    expect(bits(weightsOf(copy.model))).toEqual(bits(weightsOf(model)));
  });

  it("trains to good accuracy on the digits with schedule-free SGD, evaluated at x", async () => {
    const { train, test } = loadDigits();
    const { model } = await digitsMlp();
    const optimizer = new SGDScheduleFree(model.parameters(), { lr: 0.5, warmupSteps: 50 });
    const history = await fit(model, train, { optimizer, loss, epochs: 8, validationData: test, verbose: 0 });
    expect(history.last!.valAccuracy).toBeGreaterThan(0.9);
  });

  it("resumes from an eval-mode checkpoint: train() gets y back from x and z", async () => {
    const { train } = loadDigits();
    const whole = await digitsMlp();
    const saved: Uint8Array[] = [];
    await fit(whole.model, train, {
      optimizer: new SGDScheduleFree(whole.model.parameters(), { lr: 0.2 }), loss, epochs: 2, verbose: 0,
      callbacks: [checkpointCallback({ write: (b) => void saved.push(b) })],
    });
    const resumed = await digitsMlp();
    await fit(resumed.model, train, {
      optimizer: new SGDScheduleFree(resumed.model.parameters(), { lr: 0.2 }), loss, epochs: 2, verbose: 0, resumeFrom: saved[0]!,
      callbacks: [checkpointCallback({ write: () => {} })],
    });
    const a = weightsOf(whole.model), b = weightsOf(resumed.model);
    let worst = 0;
    for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
    expect(worst).toBeLessThan(1e-4); // float32 rounding of y = lerp(x, z, 1 − β), not bit for bit
  });
});

describe("updateBn", () => {
  it("recomputes the running statistics as a cumulative average over the batches, then restores momentum", async () => {
    const { train } = loadDigits();
    const { model } = await digitsMlp({ batchNorm: true });
    await fit(model, train, { optimizer: new AdamWScheduleFree(model.parameters()), loss, epochs: 1, verbose: 0 });
    const bn = model.layers.find((l) => l.kind === "BatchNorm1d") as unknown as { momentum: number | null; stateBuffers(): Record<string, { array: Float32Array }> };
    const before = bn.stateBuffers().running_mean!.array.slice();
    updateBn(model, train, { batchSize: 64 });
    const once = weightsOf(model);
    expect(bn.momentum).toBe(0.1);
    expect(bn.stateBuffers().num_batches_tracked!.array[0]).toBe(Math.ceil(train.length / 64));
    expect(bn.stateBuffers().running_mean!.array).not.toEqual(before);
    updateBn(model, train, { batchSize: 64 });
    expect(bits(weightsOf(model))).toEqual(bits(once)); // reset first: the same statistics again
    updateBn(model, train, { batchSize: 64, batches: 3 });
    expect(bn.stateBuffers().num_batches_tracked!.array[0]).toBe(3);
    expect(() => updateBn(model, train, { batches: 0 })).toThrow("updateBn: batches must be a positive integer, got 0");
    expect(() => updateBn(model, train, { batch: 3 } as never)).toThrow(/unknown option 'batch'/);
  });
});
