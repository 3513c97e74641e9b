// The learning-rate schedulers against torch 1.13's sequences (test/data/schedulers/*.json, written by
// scripts/reference/schedulers.py): every group's lr, and momentum or beta1, after construction and after each
// step. The arithmetic mirrors torch's operation for operation, so the tolerance is rtol 1e-12 (Math.cos and `**`
// may differ from C's libm in the last bit).
import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  Adam, ChainedScheduler, ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, ExponentialLR,
  LambdaLR, LinearLR, LRScheduler, MultiplicativeLR, MultiStepLR, OneCycleLR, PolynomialLR, ReduceLROnPlateau,
  SequentialLR, SGD, StepLR, createEngine, type SchedulerOptimizer,
} from "../src/index.js";

interface Case {
  name: string;
  scheduler: string;
  optimizer: "SGD" | "Adam";
  options: Record<string, unknown>;
  groups: { lr: number; momentum?: number; initialLr?: number }[];
  steps: number;
  lr: number[][];
  momentum?: number[][];
  beta1?: number[][];
  metrics?: number[];
  children?: { scheduler: string; options: Record<string, unknown> }[];
}

const DIR = new URL("./data/schedulers/", import.meta.url);
const cases: Case[] = readdirSync(DIR).filter((f) => f.endsWith(".json")).sort()
  .map((f) => JSON.parse(readFileSync(new URL(f, DIR), "utf8")));

/** The functions named in scripts/reference/schedulers.py. */
const FUNCTIONS: Record<string, (x: number) => number> = {
  pow095: (e) => 0.95 ** e,
  inverse: (e) => 1.0 / (1.0 + e),
  alternating: (e) => (e % 2 ? 0.9 : 1.05),
  sine_scale: (x) => 0.5 * (1.0 + Math.sin((x * Math.PI) / 2.0)),
  decay_scale: (x) => 1.0 / (1.0 + 0.05 * x),
};

function withFunctions(options: Record<string, unknown>): Record<string, unknown> {
  const out = { ...options };
  for (const key of ["lrLambda", "scaleFn"]) {
    const v = out[key];
    if (typeof v === "string") out[key] = FUNCTIONS[v];
    else if (Array.isArray(v)) out[key] = v.map((name: string) => FUNCTIONS[name]);
  }
  return out;
}

const CLASSES: Record<string, new (opt: SchedulerOptimizer, options: any) => LRScheduler> = {
  LambdaLR, MultiplicativeLR, StepLR, MultiStepLR, ConstantLR, LinearLR, ExponentialLR, PolynomialLR,
  CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, OneCycleLR,
};

type AnyScheduler = LRScheduler | ReduceLROnPlateau;

/** A stand-in for an optimizer with betas: what schedulers see of Adam. */
function betasOptimizer(c: Case): SchedulerOptimizer {
  return { defaults: { lr: 1e-3, betas: [0.9, 0.999] }, paramGroups: c.groups.map((g) => ({ ...g, betas: [0.9, 0.999] })) };
}

async function sgdOptimizer(c: Case): Promise<SchedulerOptimizer> {
  const engine = await createEngine({ backend: "js" });
  return new SGD(c.groups.map((g) => ({ params: [engine.parameter(2)], ...g })), { lr: c.groups[0]!.lr, momentum: 0.9 });
}

function build(c: Case, opt: SchedulerOptimizer): AnyScheduler {
  if (c.scheduler === "ReduceLROnPlateau") return new ReduceLROnPlateau(opt, c.options);
  if (c.children) {
    const children = c.children.map((ch) => new CLASSES[ch.scheduler]!(opt, withFunctions(ch.options)));
    if (c.scheduler === "ChainedScheduler") return new ChainedScheduler(children);
    return new SequentialLR(opt, { schedulers: children, ...c.options } as never);
  }
  return new CLASSES[c.scheduler]!(opt, withFunctions(c.options));
}

function record(c: Case, opt: SchedulerOptimizer) {
  return {
    lr: opt.paramGroups.map((g) => g.lr),
    momentum: opt.paramGroups.map((g) => (c.optimizer === "Adam" ? g.betas![0]! : g.momentum!)),
  };
}

function stepOnce(c: Case, s: AnyScheduler, t: number): void {
  if (s instanceof ReduceLROnPlateau) s.step(c.metrics![t]!);
  else s.step();
}

/** Runs the case from step `from` on, returning the recorded sequences. */
function run(c: Case, opt: SchedulerOptimizer, s: AnyScheduler, from = 0) {
  const lr: number[][] = [];
  const momentum: number[][] = [];
  if (from === 0) {
    const r = record(c, opt);
    lr.push(r.lr), momentum.push(r.momentum);
    expect(s.getLastLr()).toEqual(r.lr);
  }
  for (let t = from; t < c.steps; t++) {
    stepOnce(c, s, t);
    const r = record(c, opt);
    lr.push(r.lr), momentum.push(r.momentum);
    expect(s.getLastLr()).toEqual(r.lr);
  }
  return { lr, momentum };
}

function expectClose(actual: number[][], expected: number[][], what: string): void {
  expect(actual.length).toBe(expected.length);
  expected.forEach((row, t) =>
    row.forEach((y, i) => {
      const x = actual[t]![i]!;
      if (Math.abs(x - y) > 1e-12 * Math.abs(y) + 1e-300) expect.fail(`${what} at step ${t}, group ${i}: ${x} vs torch ${y}`);
    }),
  );
}

async function optimizerFor(c: Case): Promise<SchedulerOptimizer> {
  return c.optimizer === "Adam" ? betasOptimizer(c) : sgdOptimizer(c);
}

describe("schedulers follow torch.optim.lr_scheduler", () => {
  for (const c of cases) {
    it(`${c.name} (${c.scheduler})`, async () => {
      const opt = await optimizerFor(c);
      const got = run(c, opt, build(c, opt));
      expectClose(got.lr, c.lr, "lr");
      expectClose(got.momentum, c.momentum ?? c.beta1!, c.optimizer === "Adam" ? "beta1" : "momentum");
    });

    it(`${c.name}: stateDict / loadStateDict resume the same sequence`, async () => {
      const cut = 13;
      const opt = await optimizerFor(c);
      const s = build(c, opt);
      for (let t = 0; t < cut; t++) stepOnce(c, s, t);
      const saved = structuredClone(s.stateDict());
      const groups = structuredClone(opt.paramGroups.map(({ lr, initialLr, momentum, betas }) => ({ lr, initialLr, momentum, betas })));
      const fresh = await optimizerFor(c);
      const resumed = build(c, fresh);
      fresh.paramGroups.forEach((g, i) => Object.assign(g, groups[i]));
      resumed.loadStateDict(saved);
      const got = run(c, fresh, resumed, cut);
      expectClose(got.lr, c.lr.slice(cut + 1), "resumed lr");
      expectClose(got.momentum, (c.momentum ?? c.beta1!).slice(cut + 1), "resumed momentum");
    });
  }
});

describe("scheduler details", () => {
  const plain = (lr = 0.1): SchedulerOptimizer => ({ defaults: { lr }, paramGroups: [{ lr }] });
  const withMomentum = (): SchedulerOptimizer => ({ defaults: { lr: 0.1, momentum: 0.9 }, paramGroups: [{ lr: 0.1, momentum: 0.9 }] });

  it("cycles beta1 of Adam as it cycles SGD's momentum, leaving beta2 alone", async () => {
    const c = cases.find((x) => x.name === "cyclic_triangular")!;
    const engine = await createEngine({ backend: "js" });
    const adam = new Adam(c.groups.map((g) => ({ params: [engine.parameter(2)], lr: g.lr })), { betas: [0.9, 0.99] });
    const s = new CyclicLR(adam, c.options as never);
    const beta1 = [adam.paramGroups.map((g) => g.betas[0])];
    for (let t = 0; t < c.steps; t++) {
      s.step();
      adam.step(); // the optimizer accepts the betas the scheduler wrote
      beta1.push(adam.paramGroups.map((g) => g.betas[0]));
      expect(adam.paramGroups.every((g) => g.betas[1] === 0.99)).toBe(true);
    }
    expectClose(beta1, c.momentum!, "beta1");
  });

  it("OneCycleLR drives a real Adam's betas like torch's", async () => {
    const c = cases.find((x) => x.name === "one_cycle_adam")!;
    const engine = await createEngine({ backend: "js" });
    const adam = new Adam(c.groups.map((g) => ({ params: [engine.parameter(2)], lr: g.lr })));
    const got = run(c, adam, build(c, adam));
    expectClose(got.lr, c.lr, "lr");
    expectClose(got.momentum, c.beta1!, "beta1");
  });

  it("CosineAnnealingWarmRestarts.stepTo takes fractional epochs (closed form)", () => {
    const opt = plain(0.1);
    const s = new CosineAnnealingWarmRestarts(opt, { t0: 4, tMult: 2, etaMin: 0.01 });
    for (const [epoch, tCur, tI] of [[2.5, 2.5, 4], [5.25, 1.25, 8], [13, 1, 16], [3.999, 3.999, 4]] as const) {
      s.stepTo(epoch);
      expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01 + (0.09 * (1 + Math.cos((Math.PI * tCur) / tI))) / 2, 14);
      expect(s.lastEpoch).toBe(Math.floor(epoch));
    }
    s.step(); // continues from epoch 3.999: T_cur 4.999 ≥ 4 restarts
    expect(s.tCur).toBeCloseTo(0.999, 12);
    expect(s.tI).toBe(8);
  });

  it("OneCycleLR refuses to step past totalSteps", () => {
    const s = new OneCycleLR(withMomentum(), { maxLr: 0.1, totalSteps: 3 });
    for (let i = 0; i < 3; i++) s.step();
    expect(() => s.step()).toThrow(/tried to step 5 times, but totalSteps is 3/);
  });

  it("keeps a schedule's own closed form at SequentialLR milestones", () => {
    const opt = plain(1);
    const s = new SequentialLR(opt, {
      schedulers: [new ConstantLR(opt, { factor: 0.5, totalIters: 10 }), new StepLR(opt, { stepSize: 2, gamma: 0.5 })],
      milestones: [3],
    });
    const lrs = [opt.paramGroups[0]!.lr];
    for (let i = 0; i < 6; i++) s.step(), lrs.push(opt.paramGroups[0]!.lr);
    expect(lrs).toEqual([0.5, 0.5, 0.5, 1, 1, 0.5, 0.5]);
  });

  it("ReduceLROnPlateau state survives JSON-unfriendly values through structuredClone", () => {
    const s = new ReduceLROnPlateau(plain(), { patience: 0 });
    const state = s.stateDict();
    expect(state.best).toBe(Infinity);
    s.step(1);
    s.loadStateDict(structuredClone(state));
    expect(s.best).toBe(Infinity);
    expect(() => s.loadStateDict({ ...state, scheduler: "StepLR" })).toThrow(/is of StepLR/);
  });

  it("needs initialLr to resume with lastEpoch", () => {
    expect(() => new StepLR(plain(), { stepSize: 2, lastEpoch: 3 })).toThrow(/paramGroups\[0\] has no initialLr/);
  });

  it("rejects bad options with a RangeError naming them", () => {
    const o = plain();
    const cases: [() => unknown, RegExp][] = [
      [() => new StepLR(o, { stepSize: 0 }), /Invalid stepSize: 0/],
      [() => new StepLR(o, { step_size: 3 } as never), /unknown option 'step_size'/],
      [() => new MultiStepLR(o, { milestones: [1.5] }), /Invalid milestones\[0\]: 1.5/],
      [() => new ConstantLR(o, { factor: 1.5 }), /Invalid factor: 1.5/],
      [() => new LinearLR(o, { startFactor: 0 }), /Invalid startFactor: 0/],
      [() => new LinearLR(o, { totalIters: 0 }), /Invalid totalIters: 0/],
      [() => new ExponentialLR(o, {} as never), /Invalid gamma: undefined/],
      [() => new PolynomialLR(o, { power: NaN }), /Invalid power: NaN/],
      [() => new CosineAnnealingLR(o, { tMax: -1 }), /Invalid tMax: -1/],
      [() => new CosineAnnealingWarmRestarts(o, { t0: 2, tMult: 0 }), /Invalid tMult: 0/],
      [() => new LambdaLR(o, { lrLambda: [(e: number) => e, (e: number) => e] }), /Invalid lrLambda: expected 1 functions/],
      [() => new CyclicLR(o, { baseLr: 0.1, maxLr: 1, mode: "sine" as never, cycleMomentum: false }), /Invalid mode: sine/],
      [() => new CyclicLR(o, { baseLr: 0.1, maxLr: [1, 2] }), /Invalid maxLr: expected 1 values/],
      [() => new CyclicLR(o, { baseLr: 0.1, maxLr: 1 }), /cycleMomentum needs an optimizer with momentum or betas/],
      [() => new CyclicLR(o, { baseLr: 0.1, maxLr: 1, stepSizeUp: 0, cycleMomentum: false }), /Invalid stepSizeUp: 0/],
      [() => new OneCycleLR(o, { maxLr: 1, cycleMomentum: false }), /give totalSteps, or epochs and stepsPerEpoch/],
      [() => new OneCycleLR(o, { maxLr: 1, totalSteps: 10, pctStart: 1.2, cycleMomentum: false }), /Invalid pctStart: 1.2/],
      [() => new OneCycleLR(o, { maxLr: 1, epochs: 2, stepsPerEpoch: 0, cycleMomentum: false }), /Invalid stepsPerEpoch: 0/],
      [() => new OneCycleLR(o, { maxLr: 1, totalSteps: 9, annealStrategy: "cosine" as never, cycleMomentum: false }),
        /Invalid annealStrategy: cosine/],
      [() => new ReduceLROnPlateau(o, { factor: 1 }), /Invalid factor: 1/],
      [() => new ReduceLROnPlateau(o, { mode: "minimum" as never }), /Invalid mode: minimum/],
      [() => new ReduceLROnPlateau(o, { thresholdMode: "relative" as never }), /Invalid thresholdMode: relative/],
      [() => new ReduceLROnPlateau(o, { minLr: [0, 0] }), /Invalid minLr: expected 1 values/],
      [() => new ReduceLROnPlateau(o, { patience: -1 }), /Invalid patience: -1/],
      [() => new SequentialLR(o, { schedulers: [new StepLR(o, { stepSize: 2 })], milestones: [3] }), /Invalid milestones/],
      [() => new SequentialLR(o, { schedulers: [new StepLR(plain(), { stepSize: 2 })], milestones: [] }), /belongs to another optimizer/],
      [() => new ChainedScheduler([]), /non-empty list/],
    ];
    for (const [make, message] of cases) {
      expect(make).toThrow(RangeError);
      expect(make).toThrow(message);
    }
  });
});
