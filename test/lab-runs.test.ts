// Per-run settings (batch size, epochs, schedule, label) from run specs and experiment files, and the learning-rate
// search that extends past an edge of its ladder.
import { describe, expect, it } from "vitest";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { compareOptimizers } from "../src/lab/compare.js";
import { bracketSearch, ladder, rungAbove, rungBelow } from "../src/lab/lr-search.js";
import { labRun, parseExperimentJson, parseRunSpec } from "../src/lab/run-spec.js";

const data = () => {
  const [train, test] = makeBlobs({ samples: 120, centers: 3, features: 4, std: 1.5, box: [-3, 3], seed: 3 }).split(0.75, 0);
  return { train: train!, test: test! };
};

describe("run specs", () => {
  it("read an optimizer with its own batch, epochs, schedule and label", () => {
    const r = parseRunSpec("sgd:lr=0.005,momentum=0.9 batch=1 epochs=2 schedule=cosine:tMax=4 label=SGD");
    expect(r.optimizer.kind).toBe("sgd");
    expect(r.optimizer.options).toEqual({ lr: 0.005, momentum: 0.9 });
    expect([r.name, r.batch, r.epochs, r.schedule!.text]).toEqual(["SGD", 1, 2, "cosine:tMax=4"]);
    expect(parseRunSpec("adam batch=full").batch).toBe("full");
    expect(parseRunSpec("adam schedule=none").schedule).toBeNull();
    expect(parseRunSpec("adam").name).toBe("Adam");
  });

  it.each([
    ["sgd:lr=0.1 batch=0", /^run 'sgd:lr=0\.1 batch=0': batch must be a positive integer or 'full', got '0'$/],
    ["sgd:lr=0.1 epoch=3", /^run 'sgd:lr=0\.1 epoch=3': unknown setting 'epoch' .*did you mean 'epochs'\?\)$/],
    ["sgd:lr=0.1 label", /'label' needs a value/],
    ["sgd:lr=0.1 batch=2 batch=3", /'batch' is given twice/],
    ["sgd:lr=0.1 schedule=cosin", /^run 'sgd:lr=0\.1 schedule=cosin': schedule: schedule 'cosin': unknown schedule/],
    ["sgdd:lr=0.1", /^run 'sgdd:lr=0\.1': optimizer 'sgdd:lr=0\.1': unknown optimizer 'sgdd'/],
  ])("name the run and the key: %s", (text, message) => {
    expect(() => parseRunSpec(text)).toThrow(message);
  });

  it("come from an experiment file, as strings or objects", () => {
    const runs = parseExperimentJson(JSON.stringify({ runs: ["sgd:lr=0.5 batch=full label=GD", { optimizer: "adam:lr=1e-3", batch: 32, epochs: 4, label: "Adam" }] }), "x.json");
    expect(runs.map((r) => [r.name, r.batch, r.epochs])).toEqual([["GD", "full", undefined], ["Adam", 32, 4]]);
    expect(parseExperimentJson('["adam"]', "x.json")).toHaveLength(1);
    expect(() => parseExperimentJson('{"runs": [{"optimizer": "adam", "bach": 3}]}', "x.json")).toThrow(/^experiment file x\.json: run 1 \(adam\): unknown setting 'bach'.*did you mean 'batch'/);
    expect(() => parseExperimentJson('{"runs": [{"batch": 3}]}', "x.json")).toThrow(/run 1: "optimizer" must be an optimizer spec string/);
    expect(() => parseExperimentJson('{"runs": []}', "x.json")).toThrow(/non-empty list of runs/);
    expect(() => parseExperimentJson('{"runs": ["adam"], "seeds": 3}', "x.json")).toThrow(/unknown key 'seeds'/);
    expect(() => parseExperimentJson("{", "x.json")).toThrow(/x\.json: not valid JSON/);
  });

  it("give each run its own steps and schedule, from the same initial weights", async () => {
    const runs = ["sgd:lr=0 batch=full label=GD", "sgd:lr=0 batch=16 label=mini", "sgd:lr=0 batch=1 epochs=1 label=SGD", "sgd:lr=0.1 batch=16 schedule=cosine label=cos"];
    const result = await compareOptimizers({
      engine: await createEngine({ backend: "simd" }), data: data(), model: "mlp:8", epochs: 3, batchSize: 32, warmup: false,
      optimizers: runs.map((t) => labRun(parseRunSpec(t))),
    });
    const [gd, mini, sgd, cos] = result.runs;
    expect([gd, mini, sgd, cos].map((r) => r!.history.steps)).toEqual([3, 3 * 6, 90, 3 * 6]);
    expect([gd, mini, sgd, cos].map((r) => r!.batchSize)).toEqual([90, 16, 1, 16]);
    expect(sgd!.history.epochs).toHaveLength(1);
    // lr 0: nothing moves, so every run's training loss after training is its initial loss, the same for all,
    // and the full-batch run's first step loss.
    const initial = gd!.summary.trainEvalLoss;
    for (const r of [mini, sgd]) expect(r!.summary.trainEvalLoss).toBe(initial);
    expect(gd!.stepLosses[0]).toBeCloseTo(initial, 6);
    // Only the run with the schedule changes its rate.
    expect(new Set(cos!.stepLrs).size).toBeGreaterThan(1);
    expect(cos!.schedule).toBe("cosine");
    expect(mini!.schedule).toBeNull();
  });
});

describe("bracketSearch", () => {
  /** A loss with its minimum at lr = 10^m, diverging above 10^(m + 1.2). */
  const bowl = (m: number) => async (lrs: number[]) =>
    lrs.map((lr) => ({ lr, loss: (Math.log10(lr) - m) ** 2 + 0.1, diverged: Math.log10(lr) > m + 1.2 }));

  it("extends past the upper edge until the loss turns up", async () => {
    const initial = ladder(1e-3, 2, 2); // 1e-4 … 1e-2; the best lies at 1
    const r = await bracketSearch(initial, bowl(0));
    expect(r.points.map((p) => p.lr)).toEqual([1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1, 3]);
    expect(r.points[r.best]!.lr).toBe(1);
    expect(r.bracketed).toBe(true);
    expect(r.extended).toEqual({ below: 0, above: 5 });
  });

  it("extends past the lower edge, and below rates that all diverged", async () => {
    const low = await bracketSearch([0.1, 0.3, 1], bowl(-3));
    expect(low.points[low.best]!.lr).toBe(1e-3);
    expect(low.bracketed).toBe(true);
    const diverged = await bracketSearch([10, 30], bowl(-0.5)); // every initial rate diverges
    expect(diverged.points[diverged.best]!.lr).toBe(0.3);
    expect(diverged.bracketed).toBe(true);
  });

  it("stops after maxExtensions and says the best was not bracketed", async () => {
    const r = await bracketSearch([1e-4, 3e-4], bowl(3), { maxExtensions: 2 });
    expect(r.bracketed).toBe(false);
    expect(r.extended).toEqual({ below: 0, above: 2 });
  });

  it("does not stop on a plateau: a deeper basin beyond it is found", async () => {
    // Nearly flat from 1e-3 to 0.03 (a shallow dip at 3e-3), the real minimum at 0.3, divergence above 3.
    const plateau = async (lrs: number[]) => lrs.map((lr) => {
      const l = Math.log10(lr);
      return { lr, loss: l < -1.2 ? 0.32 + 0.01 * Math.abs(l + 2.5) : 0.05 + 0.1 * (l + 0.5) ** 2, diverged: l > 0.6 };
    });
    const r = await bracketSearch(ladder(1e-3, 2, 2), plateau);
    expect(r.points[r.best]!.lr).toBe(0.3);
    expect(r.bracketed).toBe(true);
  });

  it("steps along the 1-3-10 ladder from any rate", () => {
    expect([rungBelow(0.1), rungAbove(0.1), rungBelow(0.2), rungAbove(0.2), rungAbove(3)]).toEqual([0.03, 0.3, 0.1, 0.3, 10]);
  });
});
