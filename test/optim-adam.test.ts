import { describe, expect, it } from "vitest";
import { Adam, Adamax, AdamW, createEngine, Lion, NAdam, RAdam, type Parameter } from "../src/index.js";
import { makeParams, optimizerCase as harnessCase, stepOnce, type MakeOptimizer } from "./helpers/optim-harness.js";

// The kernels mirror PyTorch's operation order and its float64 scalars (1 − β included), so they follow its
// trajectories within a few float32 ulps: a tolerance 20x tighter than the harness default. (Computing 1 − β in
// float32 instead puts Adam 1e-5 off, and fails.)
const optimizerCase = (name: string, make: MakeOptimizer) => harnessCase(name, make, { rtol: 1e-5, atol: 1e-6 });

optimizerCase("adam_plain", (p) => new Adam(p, { lr: 0.05 }));
optimizerCase("adam_weight_decay", (p) => new Adam(p, { lr: 0.05, weightDecay: 0.1 }));
optimizerCase("adam_amsgrad", (p) => new Adam(p, { lr: 0.05, betas: [0.9, 0.9], amsgrad: true }));
optimizerCase("adam_maximize", (p) => new Adam(p, { lr: 0.01, maximize: true }));
optimizerCase("adam_amsgrad_weight_decay_eps", (p) =>
  new Adam(p, { lr: 0.05, betas: [0.8, 0.9], eps: 0.1, weightDecay: 0.05, amsgrad: true }));

optimizerCase("adamw", (p) => new AdamW(p, { lr: 0.05 })); // the default weightDecay, 1e-2
optimizerCase("adamw_weight_decay", (p) => new AdamW(p, { lr: 0.05, weightDecay: 0.5 }));
optimizerCase("adamw_amsgrad", (p) => new AdamW(p, { lr: 0.05, betas: [0.9, 0.9], weightDecay: 0.1, amsgrad: true }));
optimizerCase("adamw_maximize", (p) => new AdamW(p, { lr: 0.01, weightDecay: 0.1, maximize: true }));

optimizerCase("adamax", (p) => new Adamax(p, { lr: 0.1 }));
optimizerCase("adamax_weight_decay", (p) => new Adamax(p, { lr: 0.1, weightDecay: 0.1 }));
optimizerCase("adamax_maximize", (p) => new Adamax(p, { lr: 0.02, betas: [0.8, 0.9], maximize: true }));

optimizerCase("nadam", (p) => new NAdam(p, { lr: 0.05 }));
optimizerCase("nadam_weight_decay", (p) => new NAdam(p, { lr: 0.05, weightDecay: 0.1 }));
optimizerCase("nadam_decoupled", (p) => new NAdam(p, { lr: 0.05, weightDecay: 0.5, decoupledWeightDecay: true }));
optimizerCase("nadam_momentum_decay", (p) => new NAdam(p, { lr: 0.05, betas: [0.8, 0.99], momentumDecay: 0.05 }));
optimizerCase("nadam_maximize", (p) => new NAdam(p, { lr: 0.01, maximize: true }));

// With the default β2 = 0.999, steps 1-5 take the SGD-like branch and the later ones the rectified one.
optimizerCase("radam", (p) => new RAdam(p, { lr: 0.05 }));
optimizerCase("radam_weight_decay", (p) => new RAdam(p, { lr: 0.05, weightDecay: 0.1 }));
optimizerCase("radam_decoupled", (p) => new RAdam(p, { lr: 0.05, weightDecay: 0.5, decoupledWeightDecay: true }));
optimizerCase("radam_maximize", (p) => new RAdam(p, { lr: 0.01, maximize: true }));

optimizerCase("lion", (p) => new Lion(p, { lr: 0.02 }));
optimizerCase("lion_weight_decay", (p) => new Lion(p, { lr: 0.02, betas: [0.95, 0.98], weightDecay: 1.0 }));

type Make = (p: Parameter[], options: Record<string, unknown>) => unknown;
const FAMILY: Record<string, { make: Make; options: string[] }> = {
  Adam: { make: (p, o) => new Adam(p, o), options: ["lr", "eps", "weightDecay"] },
  AdamW: { make: (p, o) => new AdamW(p, o), options: ["lr", "eps", "weightDecay"] },
  Adamax: { make: (p, o) => new Adamax(p, o), options: ["lr", "eps", "weightDecay"] },
  NAdam: { make: (p, o) => new NAdam(p, o), options: ["lr", "eps", "weightDecay", "momentumDecay"] },
  RAdam: { make: (p, o) => new RAdam(p, o), options: ["lr", "eps", "weightDecay"] },
  Lion: { make: (p, o) => new Lion(p, o), options: ["lr", "weightDecay"] },
};

describe("Adam family and Lion options", () => {
  for (const [name, { make, options }] of Object.entries(FAMILY)) {
    it(`${name} rejects bad hyperparameters by name`, async () => {
      const engine = await createEngine({ backend: "js" });
      const p = [engine.parameter(3)];
      for (const option of options) {
        expect(() => make(p, { [option]: -0.5 })).toThrow(`Invalid ${option}: -0.5 (must be >= 0)`);
        expect(() => make(p, { [option]: Number.NaN })).toThrow(`Invalid ${option}: NaN`);
      }
      expect(() => make(p, { betas: [1, 0.999] })).toThrow("Invalid betas[0]: 1 (must be in [0, 1))");
      expect(() => make(p, { betas: [0.9, -0.1] })).toThrow("Invalid betas[1]: -0.1 (must be in [0, 1))");
      expect(() => make(p, { betas: [0.9] })).toThrow(/Invalid betas: \[0.9\]/);
      expect(() => make(p, { betas: 0.9 })).toThrow(/Invalid betas: 0.9/);
      expect(() => make([{ params: p, momentum: 0.9 } as never], {})).toThrow(/unknown option 'momentum'/);
      // A bad value set after construction (as a scheduler would) is caught at the next step.
      const opt = make(p, {}) as Adam;
      (opt.paramGroups[0] as { betas: number[] }).betas = [0.9, 1.5];
      expect(() => opt.step()).toThrow("Invalid betas[1]: 1.5");
    });
  }

  it("rejects non-boolean flags by name", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new Adam(p, { amsgrad: 1 as never })).toThrow("Invalid amsgrad: 1 (must be true or false)");
    expect(() => new AdamW(p, { maximize: "yes" as never })).toThrow("Invalid maximize: yes");
    expect(() => new NAdam(p, { decoupledWeightDecay: 0 as never })).toThrow("Invalid decoupledWeightDecay: 0");
    expect(() => new RAdam(p, { decoupledWeightDecay: null as never })).toThrow("Invalid decoupledWeightDecay: null");
    expect(() => new Adamax(p, { maximize: 1 as never })).toThrow("Invalid maximize: 1");
  });

  it("uses torch's defaults", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(new Adam(p).defaults).toEqual({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false, stateDtype: "f32" });
    expect(new AdamW(p).defaults).toMatchObject({ lr: 1e-3, weightDecay: 1e-2, amsgrad: false });
    expect(new Adamax(p).defaults).toEqual({ lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, maximize: false });
    expect(new NAdam(p).defaults).toEqual({
      lr: 2e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, momentumDecay: 4e-3, decoupledWeightDecay: false, maximize: false,
    });
    expect(new RAdam(p).defaults).toEqual({
      lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, decoupledWeightDecay: false, maximize: false,
    });
    expect(new Lion(p).defaults).toEqual({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0 });
  });

  it("keeps NAdam's momentum product in the state dict", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const opt = new NAdam(params, { lr: 0.05 });
    stepOnce(opt, params);
    stepOnce(opt, params);
    const mu = (t: number) => 0.9 * (1 - 0.5 * 0.96 ** (t * 4e-3));
    const entry = opt.stateDict().state[0]!;
    expect(entry.step).toBe(2);
    expect(entry.muProduct).toBeCloseTo(mu(1) * mu(2), 7);
    expect(Object.keys(entry).sort()).toEqual(["expAvg", "expAvgSq", "muProduct", "step"]);
  });

  it("loads an AMSGrad state into a plain Adam (adding the buffer) and back", async () => {
    const engine = await createEngine({ backend: "simd" });
    const params = makeParams(engine);
    const amsgrad = new Adam(params, { lr: 0.05, amsgrad: true });
    for (let s = 0; s < 3; s++) stepOnce(amsgrad, params);
    const saved = structuredClone(amsgrad.stateDict());
    expect(saved.state[0]!.maxExpAvgSq).toBeInstanceOf(Float32Array);
    const plain = new Adam(params, { lr: 0.05 });
    plain.loadStateDict(saved);
    expect(plain.paramGroups[0]!.amsgrad).toBe(true);
    expect(plain.stateDict().state[2]!.maxExpAvgSq).toEqual(saved.state[2]!.maxExpAvgSq);
  });

  it("refuses an Adam state dict in an AdamW, and one of other shapes", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const adam = new Adam(params, { lr: 0.05 });
    stepOnce(adam, params);
    const saved = adam.stateDict();
    expect(() => new AdamW(params).loadStateDict(saved)).toThrow("AdamW.loadStateDict: the state dict is of Adam, not AdamW");
    expect(() => new Lion(params).loadStateDict(saved)).toThrow(/state dict is of Adam, not Lion/);

    const other = await createEngine({ backend: "js" });
    const wider = other.parameters([{ values: 20, name: "w" }, { values: 2, name: "b" }, { values: 16, name: "v" }]);
    const target = new Adam(wider);
    const before = target.stateDict();
    expect(() => target.loadStateDict(saved)).toThrow("state 'expAvg' of parameter 1 has 1 values, the parameter 2");
    expect(target.stateDict()).toEqual(before); // a refused dict changes nothing
    const fewer = other.parameters([{ values: 21 }, { values: 16 }]);
    expect(() => new Adam(fewer).loadStateDict(saved)).toThrow(/group 0 has 3 parameters in the state dict, 2 here/);
  });

  it("steps each parameter group with its own options, one kernel call per group", async () => {
    const engine = await createEngine({ backend: "js" }); // its kernels are a plain object: count the calls
    const a = engine.parameters([{ values: [1, 1] }, { values: [1] }]);
    const b = engine.parameters([{ values: [1, 1, 1] }]);
    for (const p of [...a, ...b]) p.grad.fill(1);
    let calls = 0;
    const kernels = engine.kernels as unknown as Record<string, (...args: number[]) => void>;
    const original = kernels.f32_lion!;
    kernels.f32_lion = (...args) => (calls++, original(...args));
    try {
      new Lion([{ params: a }, { params: b, lr: 0.5 }], { lr: 0.1 }).step();
    } finally {
      kernels.f32_lion = original;
    }
    expect(calls).toBe(2);
    expect(Array.from(a[0]!.data)).toEqual([Math.fround(0.9), Math.fround(0.9)]);
    expect(Array.from(b[0]!.data)).toEqual([0.5, 0.5, 0.5]);
  });
});
