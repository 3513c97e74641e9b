import { describe, expect, it } from "vitest";
import { makeBlobs } from "../src/data/synthetic.js";
import { createEngine } from "../src/engine/engine.js";
import { advise, describe as describeAdvice, ladderAround, type OptimizerAdvice } from "../src/lab/advise.js";
import { parseOptimizerSpec } from "../src/lab/spec-optimizers.js";

function data() {
  const [train, test] = makeBlobs({ samples: 160, centers: 3, features: 4, std: 1.5, box: [-3, 3], seed: 5 }).split(0.75, 0);
  return { train: train!, test: test! };
}

describe("advise", () => {
  it("sweeps each optimizer's grid, ranks by the best loss and measures the band of working rates", async () => {
    const grid = [1e-4, 1e-3, 1e-2, 1e-1, 1, 1e4];
    const result = await advise({
      engine: await createEngine({ backend: "simd" }),
      data: data(),
      model: "mlp:8",
      optimizers: [parseOptimizerSpec("sgd"), parseOptimizerSpec("adam")],
      lrGrid: grid,
      epochs: 4,
      batchSize: 16,
    });
    expect(result.optimizers).toHaveLength(2);
    expect(result.optimizers[0]!.bestLoss).toBeLessThanOrEqual(result.optimizers[1]!.bestLoss);
    expect(result.optimizers.map((o) => o.rank)).toEqual([1, 2]);
    for (const o of result.optimizers) {
      expect(o.grid.map((p) => p.lr)).toEqual(grid);
      // lr 1e4 blows up; the lowest rates barely move, so the best lies in between.
      expect(o.grid[5]!.diverged).toBe(true);
      expect(o.bestLr).toBeGreaterThan(1e-4);
      expect(o.bestLr).toBeLessThan(1e4);
      const losses = o.grid.filter((p) => !p.diverged).map((p) => p.loss);
      expect(o.bestLoss).toBe(Math.min(...losses));
      // Each point's loss is its run's best validation loss over the epochs.
      for (const p of o.grid) if (!p.diverged) expect(p.loss).toBe(p.summary.bestLoss);
      // The band: contiguous, around the best, every rate in it within 25 % of the best loss, its neighbours not.
      const { low, high, decades } = o.band;
      expect(low).toBeLessThanOrEqual(o.bestLr);
      expect(high).toBeGreaterThanOrEqual(o.bestLr);
      expect(decades).toBeCloseTo(Math.log10(high / low), 12);
      const lo = grid.indexOf(low), hi = grid.indexOf(high);
      for (let i = lo; i <= hi; i++) expect(o.grid[i]!.loss).toBeLessThanOrEqual(1.25 * o.bestLoss);
      if (lo > 0) expect(o.grid[lo - 1]!.diverged || o.grid[lo - 1]!.loss > 1.25 * o.bestLoss).toBe(true);
      if (hi < grid.length - 1) expect(o.grid[hi + 1]!.diverged || o.grid[hi + 1]!.loss > 1.25 * o.bestLoss).toBe(true);
    }
    expect(result.summary).toContain(`${result.optimizers[0]!.name} was best after 4 epochs`);
    expect(result.summary).toContain(result.optimizers[1]!.name);
  });

  it("centres an automatic grid on each optimizer's LR range test", async () => {
    const result = await advise({ data: data(), model: "mlp:8", optimizers: [parseOptimizerSpec("adam")], epochs: 2, batchSize: 16 });
    const [adam] = result.optimizers;
    expect(adam!.lrFind).not.toBeNull();
    const suggestion = adam!.lrFind!.suggestion!;
    // The ladder around the suggestion, extended past an edge while the best rate sat on it.
    const { below } = adam!.extended;
    expect(adam!.grid.map((p) => p.lr).slice(below, below + 7)).toEqual(ladderAround(suggestion));
  });

  it("with seeds, ranks on the seed-averaged quality at each best rate and says which the seeds cannot tell apart", async () => {
    const result = await advise({
      engine: await createEngine({ backend: "simd" }), data: data(), model: "mlp:8", epochs: 2, batchSize: 16, seeds: 3,
      optimizers: [parseOptimizerSpec("adam", "Adam"), parseOptimizerSpec("adamw", "AdamW")], lrGrid: [1e-3, 1e-2, 0.1, 1, 10],
    });
    expect(result.seeds).toEqual([0, 1, 2]);
    for (const o of result.optimizers) expect(o.seedQuality!.n).toBe(3);
    const [first, second] = result.optimizers;
    expect(first!.seedQuality!.mean).toBeLessThanOrEqual(second!.seedQuality!.mean);
    expect(result.differences).toHaveLength(1);
    expect(result.differences[0]).toMatch(new RegExp(`^${first!.name}(\\'s test loss is lower than| and ${second!.name} are indistinguishable)`));
    expect(result.summary).toContain(result.differences[0]);
    expect(result.summary).toMatch(/over 3 seeds/);
  });

  it("rejects a grid without rates for an optimizer", async () => {
    await expect(advise({ data: data(), model: "mlp:8", optimizers: [parseOptimizerSpec("adam")], lrGrid: { SGD: [0.1] } }))
      .rejects.toThrow(/lrGrid has no learning rates for 'Adam'/);
  });
});

describe("ladderAround", () => {
  it("gives the 1-3-10 ladder from two decades below to one above", () => {
    expect(ladderAround(3e-3)).toEqual([3e-5, 1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2]);
    expect(ladderAround(0.1)).toEqual([1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1]);
    expect(ladderAround(0.12)).toEqual(ladderAround(0.1));
    expect(ladderAround(0.25)).toEqual(ladderAround(0.3));
  });
});

describe("the summary", () => {
  const point = (lr: number, loss: number) => ({ lr, loss, stepsToTarget: null, diverged: false, summary: {} as never, smoothedLosses: new Float64Array() });
  const entry = (name: string, bestLr: number, bestLoss: number, band: [number, number], steps: number | null): OptimizerAdvice => ({
    name, label: name, rank: 0, grid: [point(1e-4, 1), point(1e-3, 0.5), point(1e-2, 0.2), point(1e-1, 0.3)], bestLr, bestLoss,
    band: { low: band[0], high: band[1], decades: Math.log10(band[1] / band[0]), atGridEdge: false }, stepsToTarget: steps, lrFind: null,
    bracketed: true, extended: { below: 0, above: 0 }, seedQuality: null,
  });

  it("says who won, how forgiving each is and who got to the target first", () => {
    const text = describeAdvice(
      [entry("Adam", 3e-3, 0.08, [3e-4, 3e-3], 40), entry("SGD", 0.1, 0.12, [0.1, 0.1], 90), { ...entry("Lion", NaN, NaN, [NaN, NaN], null), band: { low: NaN, high: NaN, decades: 0, atGridEdge: false } }],
      0.25, 0.25, 3,
    );
    expect(text).toBe(
      "Adam was best after 3 epochs: loss 0.08 at lr 3e-3 and is forgiving: anything from 3e-4 to 3e-3 worked (1.0 decades). " +
        "SGD came second (0.12 at lr 0.1) and is touchy: only lr 0.1 worked of 1e-4, 1e-3, 0.01, 0.1. " +
        "(A rate worked when its loss came within 25 % of that optimizer's best.) " +
        "Fastest to a training loss of 0.25: Adam (40 steps), then SGD (90). " +
        "Lion diverged at every learning rate tried.",
    );
    const moderate = describeAdvice([{ ...entry("RMSprop", 0.01, 0.1, [3e-3, 0.01], 50), band: { low: 3e-3, high: 0.01, decades: 0.5, atGridEdge: true } }], 0.2, 0.1, 1);
    expect(moderate).toContain("RMSprop was best after 1 epoch: loss 0.1 at lr 0.01 and needs lr within 3e-3 to 0.01 (0.5 decades, perhaps more beyond the rates tried).");
    expect(moderate).toContain("within 10 % of");
  });
});
