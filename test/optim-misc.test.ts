import { describe, expect, it } from "vitest";
import { Adadelta, Adagrad, ASGD, createEngine, LBFGS, RMSprop, Rprop, type Parameter } from "../src/index.js";
import { closeness, expectResumesBitIdentically, loadReference, makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";
import { initialParams } from "./helpers/problem.js";

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

  it("RMSprop refuses momentum switched on after its first step (torch creates the state then), not before", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter([1, 2]);
    const opt = new RMSprop([p]);
    p.grad.set([0.5, -1]);
    opt.step();
    opt.paramGroups[0]!.momentum = 0.9;
    expect(() => opt.step()).toThrow("RMSprop: momentum was set to 0.9 after the optimizer state was created without momentum");
    // Before the first step: as if constructed with momentum (torch creates the buffer at its first step).
    const q = engine.parameter([1, 2]), r = engine.parameter([1, 2]);
    const late = new RMSprop([q]), early = new RMSprop([r], { momentum: 0.9 });
    late.paramGroups[0]!.momentum = 0.9;
    for (let i = 0; i < 3; i++) {
      q.grad.set([0.5, -1]), r.grad.set([0.5, -1]);
      late.step(), early.step();
    }
    expect(Array.from(q.data)).toEqual(Array.from(r.data));
  });
});

const lbfgsCases = {
  lbfgs_plain: (p: Parameter[]) => new LBFGS(p, { lr: 0.3, maxIter: 5, historySize: 3 }),
  lbfgs_strong_wolfe: (p: Parameter[]) => new LBFGS(p, { maxIter: 5, historySize: 4, lineSearchFn: "strong_wolfe" }),
};
for (const [name, make] of Object.entries(lbfgsCases)) optimizerCase(name, make);

describe("LBFGS", () => {
  for (const [name, make] of Object.entries(lbfgsCases)) {
    it(`${name}: as many iterations, closure calls and kept pairs as torch`, async () => {
      const ref = loadReference(name) as ReturnType<typeof loadReference> & Record<"nIter" | "funcEvals" | "historyLength", number>;
      for (const backend of ["js", "simd", "scalar"] as const) {
        const engine = await createEngine({ backend });
        const params = makeParams(engine);
        const opt = make(params);
        for (let s = 0; s < ref.steps; s++) stepOnce(opt, params);
        const state = opt.stateDict().state[0]!;
        expect([state.nIter, state.funcEvals, (state.ro as Float32Array).length], backend).toEqual([ref.nIter, ref.funcEvals, ref.historyLength]);
      }
    });

    it(`${name}: resumes bit-identically from a stateDict taken while the history fills`, async () => {
      const ref = loadReference(name);
      for (const k of [1, 2, 3]) await expectResumesBitIdentically(make, ref.steps, k, "js");
    });
  }

  it("works on parameters spread over several flat buffers as on one", async () => {
    const make = lbfgsCases.lbfgs_strong_wolfe;
    const engine = await createEngine({ backend: "simd" });
    const one = makeParams(engine);
    const p0 = initialParams();
    const split = [
      ...engine.parameters([{ values: p0.subarray(0, 20) }]),
      ...engine.parameters([{ values: p0.subarray(20, 21) }, { values: p0.subarray(21) }]),
    ];
    const a = make(one), b = make(split);
    for (let s = 0; s < 5; s++) stepOnce(a, one), stepOnce(b, split);
    expect(split.flatMap((p) => Array.from(p.data))).toEqual(one.flatMap((p) => Array.from(p.data)));
  });

  it("stops at once when the gradient is already below toleranceGrad", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter([3, -1]);
    const opt = new LBFGS([p], { toleranceGrad: 1 });
    let calls = 0;
    const loss = opt.step(() => (calls++, p.grad.set([0.5, -0.25]), 42));
    expect([loss, calls, Array.from(p.data)]).toEqual([42, 1, [3, -1]]);
  });

  it("rejects bad options, parameter groups, a missing closure and foreign state dicts", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    expect(() => new LBFGS(params, { lineSearchFn: "backtracking" as never })).toThrow(`Invalid lineSearchFn: "backtracking" (must be null or 'strong_wolfe')`);
    expect(() => new LBFGS(params, { maxIter: 0 })).toThrow("Invalid maxIter: 0 (must be an integer >= 1)");
    expect(() => new LBFGS(params, { historySize: 2.5 })).toThrow("Invalid historySize: 2.5");
    expect(() => new LBFGS(params, { toleranceGrad: -1 })).toThrow("Invalid toleranceGrad: -1");
    expect(() => new LBFGS(params, { lr: -1 })).toThrow("Invalid lr: -1");
    expect(new LBFGS(params, { maxIter: 7 }).paramGroups[0]!.maxEval).toBe(8);
    expect(() => new LBFGS([{ params: params.slice(0, 1) }, { params: params.slice(1) }])).toThrow(/doesn't support per-parameter options/);
    const opt = new LBFGS(params, { historySize: 4 });
    expect(() => (opt.step as () => number)()).toThrow(/LBFGS.step needs a closure/);
    stepOnce(opt, params);
    expect(() => new Rprop(params).loadStateDict(opt.stateDict())).toThrow("the state dict is of LBFGS, not Rprop");
    expect(() => new LBFGS(params).loadStateDict(opt.stateDict())).toThrow("LBFGS.loadStateDict: historySize is 4 in the state dict, 100 here");
    const short = opt.stateDict();
    short.state[0]!.d = new Float32Array(5);
    expect(() => new LBFGS(params, { historySize: 4 }).loadStateDict(short)).toThrow("LBFGS.loadStateDict: state 'd' has 5 values, expected 37");
    const other = new LBFGS(params.slice(0, 2), { historySize: 4 });
    expect(() => other.loadStateDict(opt.stateDict())).toThrow("LBFGS.loadStateDict: 3 parameters in the state dict, 2 here");
    expect(() => new LBFGS(params, { historySize: 4 }).loadStateDict(new Rprop(params).stateDict())).toThrow("the state dict is of Rprop, not LBFGS");
  });
});
