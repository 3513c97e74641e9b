import { describe, expect, it } from "vitest";
import {
  Adagrad, Adam, ASGD, createEngine, CyclicLR, Rprop, OneCycleLR, ReduceLROnPlateau, RMSprop, SGD, StepLR,
  type Backend, type Optimizer, type Parameter, type SchedulerStateDict,
} from "../src/index.js";
import { closeness, loadReference, makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

optimizerCase("sgd_plain", (p) => new SGD(p, { lr: 0.1 }));
optimizerCase("sgd_weight_decay", (p) => new SGD(p, { lr: 0.1, weightDecay: 0.05 }));
optimizerCase("sgd_maximize", (p) => new SGD(p, { lr: 0.01, maximize: true }));
optimizerCase("sgd_momentum", (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }));
optimizerCase("sgd_dampening", (p) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }));
optimizerCase("sgd_nesterov", (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }));

describe("SGD options", () => {
  it("rejects bad hyperparameters by name", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new SGD(p, { lr: -1 })).toThrow("Invalid lr: -1 (must be >= 0)");
    expect(() => new SGD(p, { momentum: -0.5 })).toThrow("Invalid momentum: -0.5");
    expect(() => new SGD(p, { nesterov: true })).toThrow(/nesterov: true requires momentum > 0/);
    expect(() => new SGD(p, { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/dampening = 0/);
    expect(() => new SGD([{ params: p, lr: 0.1, betas: [0.9, 0.99] } as never])).toThrow(/unknown option 'betas'/);
  });

  it("updates groups with their own options", async () => {
    const engine = await createEngine({ backend: "simd" });
    const a = engine.parameter([1, 1]);
    const b = engine.parameter([1, 1]);
    a.grad.fill(1), b.grad.fill(1);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    opt.step();
    expect(Array.from(a.data)).toEqual([Math.fround(0.9), Math.fround(0.9)]);
    expect(Array.from(b.data)).toEqual([0.5, 0.5]);
    opt.zeroGrad();
    expect(Array.from(b.grad)).toEqual([0, 0]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
  });
});

// torch accepts OneCycleLR / CyclicLR on an optimizer built with momentum 0 (its defaults hold 'momentum'): the
// schedule cycles the momentum, and SGD starts its momentum buffer (b = g) at the first step with momentum ≠ 0,
// RMSprop at its first step (zeros). Trajectories recorded by scripts/reference/optim_cycle_momentum.py.
describe("momentum switched on after construction, as torch", () => {
  type Made = { opt: Optimizer<object>; sched: { step(): void; stateDict(): SchedulerStateDict; loadStateDict(s: SchedulerStateDict): void } | null };
  const cases: [string, (p: Parameter[]) => Made, number?][] = [
    ["cycle_momentum_onecycle_sgd", (p) => {
      const opt = new SGD(p, { lr: 0.1 });
      return { opt, sched: new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 30 }) };
    }],
    ["cycle_momentum_cyclic_sgd", (p) => {
      const opt = new SGD(p, { lr: 0.05, weightDecay: 0.01 });
      return { opt, sched: new CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 5 }) };
    }],
    ["cycle_momentum_onecycle_rmsprop", (p) => {
      const opt = new RMSprop(p, { lr: 0.01 });
      return { opt, sched: new OneCycleLR(opt, { maxLr: 0.01, totalSteps: 30, threePhase: true }) };
    }],
    ["cycle_momentum_sgd_switched_on", (p) => ({ opt: new SGD(p, { lr: 0.05, dampening: 0.2 }), sched: null }), 10],
  ];

  async function run(backend: Backend, make: (p: Parameter[]) => Made, switchAt: number | undefined, steps: number) {
    const engine = await createEngine({ backend });
    const params = makeParams(engine);
    const made = make(params);
    const out: Float32Array[] = [];
    for (let s = 0; s < steps; s++) {
      if (s === switchAt) (made.opt.paramGroups[0] as unknown as { momentum: number }).momentum = 0.9;
      stepOnce(made.opt, params);
      made.sched?.step();
      out.push(Float32Array.from(params.flatMap((p) => Array.from(p.data))));
    }
    return { out };
  }

  for (const [name, make, switchAt] of cases) {
    it(`${name}: every backend follows torch`, async () => {
      const ref = loadReference(name);
      const js = await run("js", make, switchAt, ref.steps);
      for (const backend of ["simd", "scalar"] as const) {
        const t = await run(backend, make, switchAt, ref.steps);
        t.out.forEach((row, s) => expect(row, `${backend} step ${s + 1}`).toEqual(js.out[s]));
      }
      js.out.forEach((row, s) => expect(closeness(row, ref.trajectory[s]!, 2e-4, 2e-5), `vs PyTorch, step ${s + 1}`).toBeLessThanOrEqual(1));
    });
  }

  it("refuses, as torch, only an optimizer with neither momentum nor betas in its defaults", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = () => [engine.parameter(2)];
    for (const make of [() => new Adagrad(p()), () => new Rprop(p()), () => new ASGD(p())]) {
      expect(() => new OneCycleLR(make(), { maxLr: 0.1, totalSteps: 10 })).toThrow(/^OneCycleLR: cycleMomentum needs an optimizer with momentum or betas/);
      expect(() => new CyclicLR(make(), { baseLr: 0.01, maxLr: 0.1 })).toThrow(/^CyclicLR: cycleMomentum needs an optimizer with momentum or betas/);
      expect(() => new OneCycleLR(make(), { maxLr: 0.1, totalSteps: 10, cycleMomentum: false })).not.toThrow();
    }
    // betas (Adam ...): beta1 is cycled (torch's OneCycleLR; its CyclicLR too from torch 2.2 on)
    const adam = new Adam(p());
    new CyclicLR(adam, { baseLr: 0.01, maxLr: 0.1 });
    expect(adam.paramGroups[0]!.betas).toEqual([0.9, 0.999]);
    const rmsprop = new RMSprop(p());
    new CyclicLR(rmsprop, { baseLr: 0.01, maxLr: 0.1 });
    expect(rmsprop.paramGroups[0]!.momentum).toBe(0.9);
  });

  it("the scheduler plans the momentum buffer when it is built, so no step allocates", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter(1 << 16);
    const opt = new SGD([p], { lr: 0.1 });
    const before = engine.arena.used;
    new OneCycleLR(opt, { maxLr: 0.1, totalSteps: 10 });
    expect(engine.arena.used).toBeGreaterThan(before);
    const planned = engine.arena.used;
    p.grad.fill(1);
    opt.step();
    expect(engine.arena.used).toBe(planned);
  });

  it("saves no momentum buffer before its first use, as torch (None), and resumes bit-identically across it", async () => {
    const engine = await createEngine({ backend: "js" });
    const [a, b] = [engine.parameter([1, 2]), engine.parameter([1, 2])];
    const opt = new SGD([a], { lr: 0.1 });
    a.grad.set([1, -1]);
    opt.step();
    expect(Object.keys(opt.stateDict().state[0]!)).toEqual(["step"]);
    opt.paramGroups[0]!.momentum = 0.9; // switched on: the buffer is planned at the next step and starts as b = g
    const saved = structuredClone(opt.stateDict());
    const resumed = new SGD([b], { lr: 0.1 });
    b.data.set(a.data);
    resumed.loadStateDict(saved);
    expect(resumed.paramGroups[0]!.momentum).toBe(0.9);
    for (let i = 0; i < 3; i++) {
      a.grad.set([1, -1]), b.grad.set([1, -1]);
      opt.step(), resumed.step();
    }
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
    expect(opt.stateDict().state[0]!.momentumBuffer).toBeInstanceOf(Float32Array);
    expect(resumed.stateDict()).toEqual(opt.stateDict());
  });
});

describe("loadStateDict validates before changing anything", () => {
  it("refuses invalid hyperparameters in the saved groups, naming the field, and keeps the optimizer as it was", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = engine.parameter([1, 2]);
    const adam = new Adam([p], { lr: 0.1 });
    p.grad.set([1, 1]);
    adam.step();
    const good = adam.stateDict();
    const bad = (group: Record<string, unknown>) => ({ ...structuredClone(good), paramGroups: [{ ...structuredClone(good.paramGroups[0]!), ...group }] });
    expect(() => adam.loadStateDict(bad({ lr: -1 }))).toThrow("Adam.loadStateDict: paramGroups[0]: Invalid lr: -1 (must be >= 0)");
    expect(() => adam.loadStateDict(bad({ betas: [0.9, NaN] }))).toThrow(/^Adam\.loadStateDict: paramGroups\[0\]: Invalid betas\[1\]: NaN/);
    expect(() => adam.loadStateDict(bad({ amsgrad: "yes" }))).toThrow(/paramGroups\[0\]: Invalid amsgrad: yes/);
    expect(() => adam.loadStateDict(bad({ initialLr: -0.5 }))).toThrow(/paramGroups\[0\]: Invalid initialLr: -0.5/);
    expect(() => adam.loadStateDict(bad({ learningRate: 0.5 }))).toThrow(/paramGroups\[0\]: unknown option 'learningRate' .*did you mean 'lr'/);
    expect(adam.stateDict()).toEqual(good);
    const sgd = new SGD([engine.parameter(2)], { lr: 0.1, momentum: 0.9 });
    const dict = sgd.stateDict();
    expect(() => sgd.loadStateDict({ ...dict, paramGroups: [{ ...dict.paramGroups[0]!, momentum: -0.9 }] })).toThrow(/SGD\.loadStateDict: paramGroups\[0\]: Invalid momentum: -0.9/);
  });

  it("refuses a scheduler state with unknown fields or values of the wrong shape, leaving it as it was", async () => {
    const engine = await createEngine({ backend: "js" });
    const opt = new SGD([engine.parameter(2)], { lr: 0.1, momentum: 0.9 });
    const step = new StepLR(opt, { stepSize: 2 });
    step.step();
    const good = step.stateDict();
    expect(() => step.loadStateDict({ ...good, gamma: NaN })).toThrow("StepLR.loadStateDict: field 'gamma' is NaN");
    expect(() => step.loadStateDict({ ...good, stepSize: "2" })).toThrow("StepLR.loadStateDict: field 'stepSize' is the string '2', expected the number 2");
    expect(() => step.loadStateDict({ ...good, baseLrs: [0.1, 0.2] })).toThrow(/field 'baseLrs' has 2 entries, expected 1/);
    expect(() => step.loadStateDict({ ...good, lastEpoch: -2 })).toThrow(/Invalid lastEpoch \(in StepLR\.loadStateDict\): -2/);
    expect(() => step.loadStateDict({ ...good, stepCount: 1.5 })).toThrow(/Invalid stepCount \(in StepLR\.loadStateDict\): 1\.5/);
    expect(() => step.loadStateDict({ ...good, stepsize: 2 })).toThrow(/StepLR\.loadStateDict: unknown field 'stepsize' .*did you mean 'stepSize'/);
    expect(step.stateDict()).toEqual(good);
    const plateau = new ReduceLROnPlateau(opt);
    expect(() => plateau.loadStateDict({ ...plateau.stateDict(), factor: [0.1] })).toThrow(/field 'factor' is a list of 1, expected the number 0.1/);
  });
});
