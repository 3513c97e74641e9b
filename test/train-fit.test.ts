import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { fit } from "../src/train/fit.js";
import { evaluate, predict, predictClasses } from "../src/train/evaluate.js";
import { formatEpochSummary } from "../src/train/reporter.js";
import { ReduceLROnPlateau } from "../src/optim/schedulers/reduce-lr-on-plateau.js";
import { digitsMlp } from "./helpers/train-models.js";

describe("fit on the embedded digits", () => {
  it("an MLP 64-64-10 with Adam reaches >= 95 % test accuracy", async () => {
    const { train, test } = loadDigits();
    const { model } = await digitsMlp();
    const loss = new CrossEntropyLoss();
    const optimizer = new Adam(model.parameters(), { lr: 3e-3 });
    const history = await fit(model, train, { optimizer, loss, epochs: 30, batchSize: 32, validationData: test, verbose: 0 });
    expect(history.epochs).toHaveLength(30);
    const result = evaluate(model, test, { loss });
    expect(result.accuracy).toBeGreaterThanOrEqual(0.95);
    expect(history.last!.valAccuracy).toBe(result.accuracy);
    expect(history.last!.valLoss).toBe(result.loss);
    expect(history.epochs[0]!.loss).toBeGreaterThan(history.last!.loss);
    expect(history.steps).toBe(30 * Math.ceil(train.length / 32));
    const classes = predictClasses(model, test);
    const hits = classes.reduce((n, c, i) => n + (c === test.labels![i] ? 1 : 0), 0);
    expect(hits / test.length).toBe(result.accuracy);
    const probabilities = predict(model, test, { softmax: true });
    expect(probabilities.length).toBe(10 * test.length);
    expect(probabilities.subarray(0, 10).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
  });
});

describe("fit's options and reports", () => {
  it("tells a progress reporter about every epoch, throttled batch progress, and the end", async () => {
    const { train, test } = loadDigits();
    const { model } = await digitsMlp();
    const events: string[] = [];
    const summaries: string[] = [];
    await fit(model, train, {
      optimizer: new Adam(model.parameters()), loss: new CrossEntropyLoss(), epochs: 2, validationData: test,
      progress: {
        epochBegin: (epoch, epochs, batches) => void events.push(`begin ${epoch}/${epochs} of ${batches}`),
        batchEnd: (done, loss, accuracy) => {
          expect(done).toBeGreaterThan(0);
          expect(loss).toBeGreaterThan(0);
          expect(accuracy).toBeGreaterThanOrEqual(0);
        },
        epochEnd: (summary) => void summaries.push(formatEpochSummary(summary)),
        end: () => void events.push("end"),
      },
    });
    expect(events).toEqual(["begin 0/2 of 45", "begin 1/2 of 45", "end"]);
    expect(summaries[1]).toMatch(/^epoch 2\/2 {2}loss \d\.\d{4} {2}acc \d+\.\d\d% {2}val_loss \d\.\d{4} {2}val_acc \d+\.\d\d% {2}\d+ samples\/s {2}\d+\.\d s$/);
  });

  it("rejects inconsistent options with errors naming them", async () => {
    const { train } = loadDigits();
    const { model } = await digitsMlp({ batchSize: 16 });
    const { model: other } = await digitsMlp();
    const optimizer = new Adam(model.parameters());
    const loss = new CrossEntropyLoss();
    await expect(fit(model, train, { optimizer, loss, batchSize: 32 })).rejects.toThrow(/fit: batchSize 32 exceeds the batch size the model was compiled for \(16\)/);
    await expect(fit(model, train, { optimizer: new Adam(other.parameters()), loss, batchSize: 16 })).rejects.toThrow(/fit: the optimizer updates parameter '0\.weight', which is not the model's/);
    await expect(fit(model, train, { optimizer, loss, batchSize: 16, gradientAccumulation: 0 })).rejects.toThrow(/gradientAccumulation must be an integer >= 1, got 0/);
    await expect(fit(model, train, { optimizer, loss, batchSize: 16, nonFinite: "ignore" as "skip" })).rejects.toThrow(/nonFinite must be 'error' or 'skip', got ignore/);
    await expect(fit(model, train, { optimizer, loss, batchSize: 16, scheduler: new ReduceLROnPlateau(optimizer), schedulerStep: "batch" })).rejects.toThrow(/ReduceLROnPlateau steps once per epoch/);
    await expect(fit(model, train.reshape([1, 8, 8]).derive({ shape: [32] , x: new Float32Array(32 * 10), labels: new Int32Array(10) }), { optimizer, loss, batchSize: 16 })).rejects.toThrow(
      /fit: samples of 'digits \(train\)' have shape \[32\], the model's input is \[64\]/,
    );
  });
});
