import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { fit } from "../src/train/fit.js";
import { evaluate, predict, predictClasses } from "../src/train/evaluate.js";
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
