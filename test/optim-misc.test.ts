import { describe, expect, it } from "vitest";
import { Adadelta, Adagrad, ASGD, createEngine, RMSprop, Rprop, type Parameter } from "../src/index.js";
import { closeness, loadReference, makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

optimizerCase("adagrad_plain", (p) => new Adagrad(p, { lr: 0.1 }));
optimizerCase("adagrad_lr_decay", (p) => new Adagrad(p, { lr: 0.2, lrDecay: 0.05 }));
optimizerCase("adagrad_initial_accumulator", (p) => new Adagrad(p, { lr: 0.1, initialAccumulatorValue: 0.5, eps: 1e-6 }));
optimizerCase("adagrad_weight_decay", (p) => new Adagrad(p, { lr: 0.1, weightDecay: 0.05 }));
optimizerCase("adagrad_maximize", (p) => new Adagrad(p, { lr: 0.05, maximize: true }));

optimizerCase("rmsprop_plain", (p) => new RMSprop(p, { lr: 0.01 }));
optimizerCase("rmsprop_centered", (p) => new RMSprop(p, { lr: 0.01, alpha: 0.9, centered: true }));
optimizerCase("rmsprop_momentum", (p) => new RMSprop(p, { lr: 0.005, momentum: 0.9 }));
optimizerCase("rmsprop_centered_momentum", (p) => new RMSprop(p, { lr: 0.005, alpha: 0.95, momentum: 0.8, centered: true }));
optimizerCase("rmsprop_weight_decay", (p) => new RMSprop(p, { lr: 0.01, weightDecay: 0.1, eps: 1e-4 }));
optimizerCase("rmsprop_maximize", (p) => new RMSprop(p, { lr: 0.01, maximize: true }));

optimizerCase("adadelta_plain", (p) => new Adadelta(p));
optimizerCase("adadelta_weight_decay", (p) => new Adadelta(p, { lr: 2, rho: 0.8, eps: 1e-4, weightDecay: 0.1 }));
optimizerCase("adadelta_maximize", (p) => new Adadelta(p, { lr: 0.5, eps: 1e-3, maximize: true }));

optimizerCase("rprop_plain", (p) => new Rprop(p));
optimizerCase("rprop_custom", (p) => new Rprop(p, { lr: 0.05, etas: [0.3, 1.5], stepSizes: [1e-3, 0.2] }));
optimizerCase("rprop_maximize", (p) => new Rprop(p, { lr: 0.02, maximize: true }));

const averaging = (p: Parameter[]) => new ASGD(p, { lr: 0.05, lambd: 1e-3, t0: 10 });
optimizerCase("asgd_plain", (p) => new ASGD(p));
optimizerCase("asgd_averaging", averaging);
optimizerCase("asgd_weight_decay_maximize", (p) => new ASGD(p, { lr: 0.02, lambd: 0.01, alpha: 0.6, weightDecay: 0.1, maximize: true }));

describe("ASGD averaging", () => {
  it("keeps the running average ax of the iterates after t0, as torch does", async () => {
    const ref = loadReference("asgd_averaging") as ReturnType<typeof loadReference> & { ax: number[] };
    for (const backend of ["js", "simd"] as const) {
      const engine = await createEngine({ backend });
      const params = makeParams(engine);
      const opt = averaging(params);
      for (let s = 0; s < ref.steps; s++) stepOnce(opt, params);
      const state = opt.stateDict().state;
      const ax = params.flatMap((_, i) => Array.from(state[i]!.ax as Float32Array));
      expect(closeness(ax, ref.ax, 2e-4, 2e-5), backend).toBeLessThanOrEqual(1);
      // The average lags behind the last iterate: averaging really happened.
      expect(closeness(ax, ref.trajectory[ref.steps - 1]!, 1e-3, 1e-3)).toBeGreaterThan(1);
      expect(state[0]!.mu).toBe(Math.fround(1 / (ref.steps - 10)));
    }
  });
});

describe("options of Adagrad, RMSprop, Adadelta, Rprop and ASGD", () => {
  it("reject bad hyperparameters by name and value", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new Adagrad(p, { lr: -1 })).toThrow("Invalid lr: -1 (must be >= 0)");
    expect(() => new Adagrad(p, { lrDecay: -0.1 })).toThrow("Invalid lrDecay: -0.1");
    expect(() => new Adagrad(p, { initialAccumulatorValue: -1 })).toThrow("Invalid initialAccumulatorValue: -1");
    expect(() => new Adagrad(p, { eps: -1e-10 })).toThrow("Invalid eps: -1e-10");
    expect(() => new Adagrad(p, { weightDecay: -2 })).toThrow("Invalid weightDecay: -2");
    expect(() => new RMSprop(p, { alpha: -0.5 })).toThrow("Invalid alpha: -0.5");
    expect(() => new RMSprop(p, { momentum: -0.9 })).toThrow("Invalid momentum: -0.9");
    expect(() => new RMSprop(p, { centered: 1 as never })).toThrow("Invalid centered: 1");
    expect(() => new Adadelta(p, { rho: 1.5 })).toThrow("Invalid rho: 1.5 (must be in [0, 1])");
    expect(() => new Adadelta(p, { lr: Number.NaN })).toThrow("Invalid lr: NaN");
    expect(() => new Rprop(p, { etas: [0.5, 0.9] })).toThrow("Invalid etas: [0.5, 0.9] (must satisfy 0 < etaminus < 1 < etaplus)");
    expect(() => new Rprop(p, { etas: [0, 1.2] })).toThrow("Invalid etas: [0, 1.2]");
    expect(() => new Rprop(p, { etas: [1.2] as never })).toThrow("Invalid etas: [1.2] (must be a pair of numbers)");
    expect(() => new Rprop(p, { stepSizes: [1, 0.1] })).toThrow("Invalid stepSizes: [1, 0.1]");
    expect(() => new ASGD(p, { weightDecay: -1 })).toThrow("Invalid weightDecay: -1");
    expect(() => new ASGD(p, { t0: Number.POSITIVE_INFINITY })).toThrow("Invalid t0: Infinity");
    expect(() => new ASGD([{ params: p, momentum: 0.9 } as never])).toThrow(/unknown option 'momentum'/);
  });

  it("refuse a state dict of another optimizer or of another shape", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const rprop = new Rprop(params);
    stepOnce(rprop, params);
    const adagrad = new Adagrad(params);
    expect(() => adagrad.loadStateDict(rprop.stateDict())).toThrow("Adagrad.loadStateDict: the state dict is of Rprop, not Adagrad");
    const saved = rprop.stateDict();
    saved.state[0]!.stepSize = new Float32Array(3);
    expect(() => new Rprop(params).loadStateDict(saved)).toThrow(/state 'stepSize' of parameter 0 has 3 values, the parameter 20/);
    const missing = rprop.stateDict();
    delete missing.state[1]!.prev;
    expect(() => new Rprop(params).loadStateDict(missing)).toThrow(/parameter 1 lacks state 'prev'/);
    const two = engine.parameter(2);
    expect(() => new Rprop([...params, two]).loadStateDict(rprop.stateDict())).toThrow(/3 parameters in the state dict, 4 here/);
  });

  it("RMSprop refuses momentum switched on after its state was planned without a buffer", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter([1, 2]);
    const opt = new RMSprop([p]);
    opt.paramGroups[0]!.momentum = 0.9;
    expect(() => opt.step()).toThrow("RMSprop: momentum was set to 0.9 after the optimizer state was created without momentum");
  });
});
