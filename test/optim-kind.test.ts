// Every optimizer and scheduler carries a stable `kind` (the name its state dicts and checkpoints have always
// had), and nothing in src/ identifies a class by its name, which minifiers rename (see bundle-minified.test.ts).
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as lib from "../src/index.js";

const OPTIMIZERS = ["SGD", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Lion", "Adagrad", "RMSprop", "Adadelta", "Rprop", "ASGD", "LBFGS"] as const;
const NEW_OPTIMIZERS = ["Adafactor", "SGDScheduleFree", "AdamWScheduleFree"] as const;

describe("kind", () => {
  it("every optimizer has its stable kind, used by stateDict", async () => {
    const engine = await lib.createEngine({ backend: "js" });
    for (const name of [...OPTIMIZERS, ...NEW_OPTIMIZERS]) {
      const optimizer = new (lib[name] as new (params: lib.Parameter[]) => lib.Optimizer<object>)([engine.parameter(2)]);
      expect(optimizer.kind).toBe(name);
      expect(optimizer.stateDict().optimizer).toBe(name);
    }
  });

  it("every scheduler has its stable kind, used by stateDict", async () => {
    const engine = await lib.createEngine({ backend: "js" });
    const opt = () => new lib.SGD([engine.parameter(2)], { lr: 0.1, momentum: 0.9 });
    const o = opt();
    const make: Record<string, () => { kind: string; stateDict(): lib.SchedulerStateDict }> = {
      LambdaLR: () => new lib.LambdaLR(opt(), { lrLambda: () => 1 }),
      MultiplicativeLR: () => new lib.MultiplicativeLR(opt(), { lrLambda: () => 1 }),
      StepLR: () => new lib.StepLR(opt(), { stepSize: 2 }),
      MultiStepLR: () => new lib.MultiStepLR(opt(), { milestones: [2] }),
      ConstantLR: () => new lib.ConstantLR(opt()),
      LinearLR: () => new lib.LinearLR(opt()),
      ExponentialLR: () => new lib.ExponentialLR(opt(), { gamma: 0.9 }),
      PolynomialLR: () => new lib.PolynomialLR(opt()),
      CosineAnnealingLR: () => new lib.CosineAnnealingLR(opt(), { tMax: 3 }),
      CosineAnnealingWarmRestarts: () => new lib.CosineAnnealingWarmRestarts(opt(), { t0: 3 }),
      CyclicLR: () => new lib.CyclicLR(opt(), { baseLr: 0.01, maxLr: 0.1 }),
      OneCycleLR: () => new lib.OneCycleLR(opt(), { maxLr: 0.1, totalSteps: 10 }),
      ReduceLROnPlateau: () => new lib.ReduceLROnPlateau(opt()),
      SequentialLR: () => new lib.SequentialLR(o, { schedulers: [new lib.StepLR(o, { stepSize: 2 })], milestones: [] }),
      ChainedScheduler: () => new lib.ChainedScheduler([new lib.StepLR(o, { stepSize: 2 })]),
    };
    for (const [name, build] of Object.entries(make)) {
      const s = build();
      expect(s.kind).toBe(name);
      expect(s.stateDict().scheduler).toBe(name);
    }
  });

  it("no file in src/ identifies a class by constructor.name", () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const path = join(dir, e.name);
        if (e.isDirectory()) walk(path);
        else if (/\.ts$/.test(e.name) && /constructor\s*\.\s*name\b|\.constructor\[["']name["']\]/.test(readFileSync(path, "utf8"))) offenders.push(path);
      }
    };
    walk(new URL("../src", import.meta.url).pathname);
    expect(offenders).toEqual([]);
  });
});
