// Divergence detection (train/divergence.ts) and data that would give a NaN loss without a word.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { Dataset } from "../src/data/dataset.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { SGD } from "../src/optim/sgd.js";
import { CosineAnnealingLR } from "../src/optim/schedulers/cosine-annealing-lr.js";
import { DivergenceMonitor, describeDivergence } from "../src/train/divergence.js";
import { evaluate } from "../src/train/evaluate.js";
import { fit } from "../src/train/fit.js";
import { digitsMlp } from "./helpers/train-models.js";

const { train, test } = loadDigits();
const loss = new CrossEntropyLoss();

describe("DivergenceMonitor", () => {
  it("flags a non-finite loss at once, and a smoothed loss above factor × the first", () => {
    const nan = new DivergenceMonitor(10, 1);
    expect(nan.observe(2, 0)).toBeNull();
    expect(nan.observe(NaN, 0)).toMatchObject({ step: 2, reason: "non-finite" });
    expect(nan.observe(1, 0)).toBeNull(); // reported once

    const unsmoothed = new DivergenceMonitor(10, 1);
    for (const l of [2, 5, 19.9]) expect(unsmoothed.observe(l, 0)).toBeNull();
    expect(unsmoothed.observe(20.1, 1)).toMatchObject({ step: 4, epoch: 1, reason: "rose", firstLoss: 2 });
  });

  it("does not count one unlucky mini-batch when smoothing", () => {
    const m = new DivergenceMonitor(10, 20); // weight 2/21 per step
    for (let i = 0; i < 30; i++) expect(m.observe(1, 0)).toBeNull();
    expect(m.observe(50, 0)).toBeNull(); // the EMA moves to about 5.7
    let step = 32;
    for (; step < 100 && !m.observe(50, 0); step++);
    expect(m.diverged).toMatchObject({ reason: "rose" });
    expect(step).toBeLessThan(40);
    expect(describeDivergence(m.diverged!)).toMatch(/^the smoothed training loss 1\d\.\d rose above 10 × its first value 1\.00 at step \d+ \(epoch 1\)$/);
  });

  it("refuses a factor that is not > 1", () => {
    for (const f of [1, 0.5, NaN, Infinity]) expect(() => new DivergenceMonitor(f, 1)).toThrow(/Invalid divergence factor/);
  });
});

describe("fit's divergence option", () => {
  it("records where the run diverged; with stop, ends it there", async () => {
    for (const stop of [false, true]) {
      const { model } = await digitsMlp();
      const history = await fit(model, train, { optimizer: new SGD(model.parameters(), { lr: 1000 }), loss, epochs: 3, nonFinite: "skip", divergence: { stop }, verbose: 0 });
      expect(history.divergence).not.toBeNull();
      expect(history.divergence!.step).toBeLessThan(5);
      if (stop) expect(history.steps).toBe(history.divergence!.step);
      else expect(history.steps).toBe(3 * Math.ceil(train.length / 32));
    }
  });

  it("a healthy run has none; false turns the check off", async () => {
    const { model } = await digitsMlp();
    const healthy = await fit(model, train, { optimizer: new SGD(model.parameters(), { lr: 0.05 }), loss, epochs: 1, verbose: 0 });
    expect(healthy.divergence).toBeNull();
    const again = await digitsMlp();
    const off = await fit(again.model, train, { optimizer: new SGD(again.model.parameters(), { lr: 1000 }), loss, epochs: 1, nonFinite: "skip", divergence: false, verbose: 0 });
    expect(off.divergence).toBeNull();
  });

  it("a resumed run judges its losses as one never stopped", async () => {
    const a = await digitsMlp();
    const optimizer = new SGD(a.model.parameters(), { lr: 3 });
    let saved: Uint8Array | null = null;
    const whole = await fit(a.model, train, {
      optimizer, loss, epochs: 4, nonFinite: "skip", verbose: 0, seed: 2,
      callbacks: [{ onEpochEnd: (ctx) => void (ctx.epoch === 0 ? (saved = ctx.checkpointBytes()) : null) }],
    });
    const b = await digitsMlp();
    const resumed = await fit(b.model, train, {
      optimizer: new SGD(b.model.parameters(), { lr: 3 }), loss, epochs: 4, nonFinite: "skip", verbose: 0, seed: 2, resumeFrom: saved!,
      callbacks: [{}],
    });
    expect(resumed.divergence).toEqual(whole.divergence);
  });
});

describe("data that would give a NaN loss", () => {
  // The digits are bytes with a scale; as floats, they can hold a NaN.
  const poisoned = (data: Dataset, at: number, v: number) => {
    const copy = Float32Array.from(data.x, (b) => b * data.scale + data.offset);
    copy[at] = v;
    return copy;
  };
  const withNaN = new Dataset({ x: poisoned(test, 3 * 64 + 5, NaN), shape: [64], labels: test.labels!, name: "poisoned" });

  it("fit refuses training or validation data holding NaN or ±∞, naming the sample and feature", async () => {
    const { model } = await digitsMlp();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    await expect(fit(model, train, { optimizer, loss, validationData: withNaN, verbose: 0 })).rejects.toThrow(/fit: validationData: 'poisoned' holds NaN at sample 3, feature 5/);
    const inf = new Dataset({ x: poisoned(train, 64 * 10, -Infinity), shape: [64], labels: train.labels!, name: "inf" });
    await expect(fit(model, inf, { optimizer, loss, verbose: 0 })).rejects.toThrow(/fit: 'inf' holds -Infinity at sample 10, feature 0/);
  });

  it("evaluate names the bad value instead of returning a NaN loss", async () => {
    const { model } = await digitsMlp();
    expect(() => evaluate(model, withNaN, { loss })).toThrow(/evaluate: 'poisoned' holds NaN at sample 3, feature 5/);
  });

  it("fit refuses to resume a checkpoint with a scheduler's state without that scheduler", async () => {
    const { model } = await digitsMlp();
    const optimizer = new SGD(model.parameters(), { lr: 0.1 });
    const scheduler = new CosineAnnealingLR(optimizer, { tMax: 3 });
    let saved: Uint8Array | null = null;
    await fit(model, train, { optimizer, scheduler, loss, epochs: 1, verbose: 0, callbacks: [{ onEpochEnd: (ctx) => void (saved = ctx.checkpointBytes()) }] });
    const b = await digitsMlp();
    await expect(fit(b.model, train, { optimizer: new SGD(b.model.parameters(), { lr: 0.1 }), loss, epochs: 2, verbose: 0, resumeFrom: saved!, callbacks: [{}] }))
      .rejects.toThrow(/holds the state of a CosineAnnealingLR scheduler; give fit the same scheduler/);
  });
});
