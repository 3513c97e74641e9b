// Schedule-free SGD and AdamW against a float64 transcription of facebookresearch/schedule_free's step() and
// eval() (scripts/reference/optim_new.py): the trajectory of y, the average x that eval() exposes, train()/eval()
// as the reference's, and withEvalWeights (what fit validates and saves with) putting back y bit for bit.
import { describe, expect, it } from "vitest";
import { AdamWScheduleFree, createEngine, SGDScheduleFree, type Optimizer, type Parameter } from "../src/index.js";
import { closeness, loadReference, makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

/** The optimizer in train mode, as a training loop puts it before its first step. */
function training<T extends { train(): void }>(o: T): T {
  o.train();
  return o;
}

const CASES: Record<string, (p: Parameter[]) => Optimizer<any> & { train(): void; eval(): void }> = {
  sgd_schedule_free: (p) => training(new SGDScheduleFree(p)),
  sgd_schedule_free_options: (p) => training(new SGDScheduleFree(p, { lr: 0.2, momentum: 0.8, weightDecay: 0.05, warmupSteps: 10, r: 1, weightLrPower: 1 })),
  adamw_schedule_free: (p) => training(new AdamWScheduleFree(p)),
  adamw_schedule_free_options: (p) =>
    training(new AdamWScheduleFree(p, { lr: 0.05, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1, warmupSteps: 5, r: 0.5, weightLrPower: 2 })),
  adamw_schedule_free_inner_momentum: (p) => training(new AdamWScheduleFree(p, { lr: 0.02, innerMomentum: 0.9 })),
};
for (const [name, make] of Object.entries(CASES)) optimizerCase(name, make);

const flat = (params: Parameter[]) => params.flatMap((p) => Array.from(p.data));

describe("schedule-free train() and eval()", () => {
  for (const [name, make] of Object.entries(CASES)) {
    it(`${name}: eval() gives the reference's x on every backend; train() returns to y`, async () => {
      const ref = loadReference(name) as ReturnType<typeof loadReference> & { x: number[] };
      for (const backend of ["js", "simd", "scalar", "relaxed-simd"] as const) {
        const engine = await createEngine({ backend });
        const params = makeParams(engine);
        const opt = make(params);
        for (let s = 0; s < ref.steps; s++) stepOnce(opt, params);
        const y = flat(params);
        opt.eval();
        expect(closeness(flat(params), ref.x, 2e-4, 2e-5), backend).toBeLessThanOrEqual(1);
        expect(closeness(flat(params), y, 1e-4, 1e-6), "x differs from y").toBeGreaterThan(1);
        opt.eval(); // a second eval() changes nothing
        expect(closeness(flat(params), ref.x, 2e-4, 2e-5)).toBeLessThanOrEqual(1);
        opt.train();
        expect(closeness(flat(params), y, 1e-5, 1e-6), backend).toBeLessThanOrEqual(1);
      }
    });
  }

  it("withEvalWeights runs with x and puts back y bit for bit", async () => {
    const engine = await createEngine({ backend: "simd" });
    const params = makeParams(engine);
    const opt = CASES.adamw_schedule_free!(params);
    for (let s = 0; s < 5; s++) stepOnce(opt, params);
    const y = flat(params);
    const seen = (opt as AdamWScheduleFree).withEvalWeights(() => flat(params));
    expect(seen).not.toEqual(y);
    expect(flat(params)).toEqual(y);
    expect(opt.stateDict().paramGroups[0]!.trainMode).toBe(true);
  });

  it("refuses to step in eval mode (the reference starts there), and trainMode as an option", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const opt = new SGDScheduleFree(params);
    expect(() => stepOnce(opt, params)).toThrow("SGDScheduleFree: step() in eval mode; call optimizer.train() before training");
    expect(() => new SGDScheduleFree([{ params, trainMode: true } as never])).toThrow("trainMode is not an option");
    const sf = new AdamWScheduleFree(params);
    expect(sf.stateDict().paramGroups[0]!.trainMode).toBe(false);
    sf.train();
    expect(sf.trainMode).toBe(true);
  });

  it("reject bad hyperparameters by name and value", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new SGDScheduleFree(p, { momentum: 1 })).toThrow("Invalid momentum: 1 (must be in (0, 1), exclusive)");
    expect(() => new SGDScheduleFree(p, { momentum: 0 })).toThrow("Invalid momentum: 0");
    expect(() => new SGDScheduleFree(p, { lr: -1 })).toThrow("Invalid lr: -1");
    expect(() => new SGDScheduleFree(p, { warmupSteps: 1.5 })).toThrow("Invalid warmupSteps: 1.5 (must be an integer >= 0)");
    expect(() => new SGDScheduleFree(p, { r: -1 })).toThrow("Invalid r: -1");
    expect(() => new SGDScheduleFree(p, { weightLrPower: -2 })).toThrow("Invalid weightLrPower: -2");
    expect(() => new AdamWScheduleFree(p, { betas: [0, 0.999] })).toThrow("Invalid betas[0]: 0 (must be > 0");
    expect(() => new AdamWScheduleFree(p, { eps: -1 })).toThrow("Invalid eps: -1");
    expect(() => new AdamWScheduleFree(p, { innerMomentum: 1 })).toThrow("Invalid innerMomentum: 1");
    expect(() => new AdamWScheduleFree(p, { momentum: 0.9 } as never)).toThrow(/unknown option 'momentum'/);
  });
});
