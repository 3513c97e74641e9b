// Sequence data: the adding problem and the copy task, character windows of a text (and the Debian corpora),
// the Nile series; datasets with a label per step through the loader, and cross-entropy, accuracy and perplexity
// over every step.
import { describe, expect, it } from "vitest";
import {
  CharVocabulary, createEngine, CrossEntropyLoss, DataError, DataLoader, Dataset, Embedding, evaluate, Linear, LSTM, makeAddingProblem, makeCopyTask,
  NILE_FLOW, nileForecasting, perplexity, Sequential, textWindows, accuracy,
} from "../src/index.js";
import { readFortunes, readWords } from "../src/node.js";

describe("the adding problem", () => {
  it("marks one step in each half; the target is the sum of the marked values; seeded", () => {
    const data = makeAddingProblem({ samples: 50, length: 9, seed: 3 });
    expect(data.shape).toEqual([9, 2]);
    expect(data.targetSize).toBe(1);
    const x = data.x;
    for (let s = 0; s < 50; s++) {
      const marked = [];
      for (let t = 0; t < 9; t++) {
        const v = x[s * 18 + 2 * t]!, m = x[s * 18 + 2 * t + 1]!;
        expect(v >= 0 && v < 1).toBe(true);
        if (m === 1) marked.push(t);
        else expect(m).toBe(0);
      }
      expect(marked.length).toBe(2);
      expect(marked[0]!).toBeLessThan(4);
      expect(marked[1]!).toBeGreaterThanOrEqual(4);
      expect(data.targets![s]).toBe(Math.fround(x[s * 18 + 2 * marked[0]!]! + x[s * 18 + 2 * marked[1]!]!));
    }
    expect(makeAddingProblem({ samples: 50, length: 9, seed: 3 }).x).toEqual(x);
    expect(makeAddingProblem({ samples: 50, length: 9, seed: 4 }).x).not.toEqual(x);
    expect(() => makeAddingProblem({ length: 1 })).toThrow("makeAddingProblem: length must be an integer ≥ 2, got 1");
  });
});

describe("the copy task", () => {
  it("symbols, blanks, a delimiter; the labels repeat the symbols after it", () => {
    const data = makeCopyTask({ samples: 4, length: 3, delay: 2, symbols: 5, seed: 1 });
    expect(data.shape).toEqual([8]);
    expect(data.labelSize).toBe(8);
    expect(data.numClasses).toBe(6);
    expect(data.vocabularySize).toBe(7);
    for (let s = 0; s < 4; s++) {
      const x = Array.from(data.x.subarray(s * 8, s * 8 + 8)), y = Array.from(data.labels!.subarray(s * 8, s * 8 + 8));
      expect(x.slice(3)).toEqual([0, 0, 6, 0, 0]);
      expect(x.slice(0, 3).every((v) => v >= 1 && v <= 5)).toBe(true);
      expect(y).toEqual([0, 0, 0, 0, 0, ...x.slice(0, 3)]);
    }
  });
});

describe("character windows", () => {
  const text = "hello world\nhello there\n";
  const vocab = CharVocabulary.fromText(text);

  it("a vocabulary in code-point order that encodes and decodes", () => {
    expect(vocab.chars.join("")).toBe("\n dehlortw");
    expect(vocab.decode(vocab.encode("hello"))).toBe("hello");
    expect(() => vocab.encode("hi!", "t")).toThrow("t: character \"i\" at position 1 is not in the vocabulary");
  });

  it("windows with the next character at every step, or only after the window", () => {
    const ids = vocab.encode(text);
    const seq = textWindows(ids, vocab, { window: 5, stride: 3 });
    expect(seq.length).toBe(Math.floor((text.length - 6) / 3) + 1);
    expect(vocab.decode(seq.x.subarray(5, 10))).toBe("lo wo");
    expect(vocab.decode(seq.labels!.subarray(5, 10))).toBe("o wor");
    expect(seq.vocabularySize).toBe(vocab.size);
    const next = textWindows(ids, vocab, { window: 5, target: "next" });
    expect(next.labelSize).toBe(1);
    expect(vocab.decode([next.labels![1]!])).toBe("d"); // " worl" → "d"
    expect(() => textWindows(ids.subarray(0, 5), vocab, { window: 5, name: "t" })).toThrow("t: 5 characters are too few for one window of 5 and its next character");
  });

  it("the Debian corpora: words (wamerican) and fortunes (fortunes-min); a missing file names the package", async () => {
    const words = await readWords();
    expect(words.split("\n").length).toBeGreaterThan(50_000);
    const fortunes = await readFortunes();
    expect(fortunes.length).toBeGreaterThan(50_000);
    expect(fortunes).not.toMatch(/^%$/m);
    await expect(readWords("/nonexistent/words")).rejects.toThrow("/nonexistent/words: no such file: Debian's wamerican package provides it (apt-get install wamerican)");
    await expect(readFortunes("/nonexistent")).rejects.toThrow(/fortunes-min package provides it \(apt-get install fortunes-min\)/);
    await expect(readWords("/nonexistent/words")).rejects.toBeInstanceOf(DataError);
  });
});

describe("the Nile series", () => {
  it("100 years; windows standardized by the training years; the test years come after", () => {
    expect(NILE_FLOW.length).toBe(100);
    expect(NILE_FLOW[0]).toBe(1120);
    expect(NILE_FLOW[42]).toBe(456); // 1913, the lowest
    const { train, test, mean, std } = nileForecasting({ window: 10 });
    expect(train.length + test.length).toBe(90);
    expect(train.length).toBe(72);
    expect(train.shape).toEqual([10, 1]);
    expect(train.targets![0]).toBeCloseTo((NILE_FLOW[10]! - mean) / std, 5);
    expect(test.x[0]).toBeCloseTo((NILE_FLOW[72]! - mean) / std, 5);
  });
});

describe("datasets with one label per step", () => {
  const ids = Float32Array.from({ length: 40 }, (_, i) => (i * 7) % 5);
  const labels = Int32Array.from({ length: 40 }, (_, i) => (i * 3) % 4);
  const data = new Dataset({ x: ids, shape: [4], labels, labelSize: 4, numClasses: 4, vocabularySize: 5, name: "seq" });

  it("checks the label count and the token ids", () => {
    expect(() => new Dataset({ x: ids, shape: [4], labels: labels.subarray(0, 39), labelSize: 4, name: "d" })).toThrow("d: 39 labels for 10 samples of 4 labels each");
    expect(() => new Dataset({ x: Float32Array.of(0, 1.5), shape: [2], labels: [0], vocabularySize: 3, name: "d" })).toThrow(
      "d: token id 1.5 at sample 0, position 1 is not an integer in [0, 3)",
    );
  });

  it("subset and split keep each sample's labels; the loader gathers them", async () => {
    const sub = data.subset([3, 1]);
    expect(Array.from(sub.labels!)).toEqual([...labels.subarray(12, 16), ...labels.subarray(4, 8)]);
    expect(sub.vocabularySize).toBe(5);
    const [a, b] = data.split(0.5, 1);
    expect(a!.length + b!.length).toBe(10);
    expect(a!.labels!.length).toBe(20);
    for (const backend of ["simd", "js"] as const) {
      const engine = await createEngine({ backend });
      const loader = new DataLoader(engine, data, { batchSize: 3, seed: 2 });
      const x = engine.allocF32(12), y = engine.allocI32(12);
      expect(() => loader.epoch(x, engine.allocI32(3)).next()).toThrow(/at least 12 \(batchSize × 4 \(labels per sample\)\) elements/);
      for (const n of loader.epoch(x, y)) {
        // Every gathered row's labels are its sample's: find the sample by its features.
        for (let r = 0; r < n; r++) {
          const features = Array.from(x.array.subarray(4 * r, 4 * r + 4));
          const matches = [...Array(10).keys()].filter((s) => Array.from(ids.subarray(4 * s, 4 * s + 4)).join() === features.join());
          expect(matches.some((s) => Array.from(labels.subarray(4 * s, 4 * s + 4)).join() === Array.from(y.array.subarray(4 * r, 4 * r + 4)).join())).toBe(true);
        }
      }
    }
  });

  it("cross-entropy, accuracy and perplexity over every step", async () => {
    const engine = await createEngine({ backend: "js" });
    const model = new Sequential([new Embedding(5, 3), new LSTM(3, 4), new Linear(4, 4)]).compile(engine, { inputShape: [4], batchSize: 10, seed: 1 });
    model.input.array.set(ids);
    model.forward(10, false);
    const y = engine.allocI32(40);
    y.array.set(labels);
    const loss = new CrossEntropyLoss().compute(model.output, { labels: y }, 10, null);
    // The mean over 40 rows of log Σ exp − x_label, in float64.
    const out = model.output.array;
    let sum = 0, hits = 0;
    for (let r = 0; r < 40; r++) {
      const row = Array.from(out.subarray(4 * r, 4 * r + 4));
      const m = Math.max(...row);
      sum += m + Math.log(row.reduce((a, v) => a + Math.exp(v - m), 0)) - row[labels[r]!]!;
      if (row.indexOf(m) === labels[r]) hits++;
    }
    expect(loss).toBeCloseTo(sum / 40, 5);
    expect(accuracy(model.output, y, 10)).toBeCloseTo(hits / 40, 10);
    const evaluation = evaluate(model, data, { loss: new CrossEntropyLoss() });
    expect(evaluation.loss).toBeCloseTo(sum / 40, 5);
    expect(evaluation.accuracy).toBeCloseTo(hits / 40, 10);
    expect(perplexity(evaluation.loss)).toBeCloseTo(Math.exp(sum / 40), 4);
    y.array[13] = 4;
    expect(() => new CrossEntropyLoss().compute(model.output, { labels: y }, 10, null)).toThrow("CrossEntropyLoss: label 4 of sample 3, step 1 is outside [0, 4)");
  });
});
