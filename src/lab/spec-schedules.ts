// Learning-rate schedule specs. Each names a torch.optim.lr_scheduler class with its options in camelCase, and
// steps per epoch or per batch (override with per=batch / per=epoch). Options left out get defaults that suit
// short lab runs, derived from the run's length (E epochs of S steps) and the optimizer's lr (η):
//
//   cosine       CosineAnnealingLR             tMax = E (per epoch) or E·S (per batch)
//   warmrestarts CosineAnnealingWarmRestarts   t0 = max(1, ⌊E / 3⌋)
//   onecycle     OneCycleLR, per batch         maxLr = η, totalSteps = E·S
//   cyclic       CyclicLR, per batch           baseLr = η / 10, maxLr = η, stepSizeUp = S
//                (both cycle the momentum, or beta1, only for optimizers that have one: SGD with momentum, Adam…)
//   step         StepLR                        stepSize = max(1, ⌊E / 3⌋), gamma 0.1
//   multistep    MultiStepLR                   milestones = [⌊E / 2⌋, ⌊3E / 4⌋]
//   exponential  ExponentialLR                 gamma = 0.9
//   linear       LinearLR                      totalIters = E
//   polynomial   PolynomialLR                  totalIters = E
//   constant     ConstantLR                    (torch's defaults)
//   plateau      ReduceLROnPlateau             patience = 1, factor = 0.5 (torch: 10 and 0.1, too slow for a few epochs)
import type { FitScheduler } from "../train/fit.js";
import type { Engine } from "../engine/engine.js";
import type { Optimizer } from "../optim/optimizer.js";
import { SGD } from "../optim/sgd.js";
import {
  ConstantLR, CosineAnnealingLR, CosineAnnealingWarmRestarts, CyclicLR, ExponentialLR, LinearLR, MultiStepLR,
  OneCycleLR, PolynomialLR, ReduceLROnPlateau, StepLR, type SchedulerOptimizer,
} from "../optim/schedulers/index.js";
import { checkNoPositional, parseSpec, SpecError, unknownName, type SpecValue } from "./spec.js";

export type SchedulePer = "batch" | "epoch";

/** What a schedule needs to know of the run to fill in its defaults. */
export interface ScheduleContext {
  epochs: number;
  stepsPerEpoch: number;
}

export interface ScheduleInstance {
  scheduler: FitScheduler;
  per: SchedulePer;
}

/** Creates a fresh scheduler on each optimizer (compare and advise run several). */
export type ScheduleFactory = (optimizer: Optimizer<object>, run: ScheduleContext) => ScheduleInstance;

type Options = Record<string, SpecValue>;

interface ScheduleEntry {
  per: SchedulePer;
  title: string;
  defaults(run: ScheduleContext, lr: number, per: SchedulePer, cyclesMomentum: boolean): Options;
  create(optimizer: SchedulerOptimizer, options: Options): FitScheduler;
}

const third = (e: number) => Math.max(1, Math.floor(e / 3));

/** `epochs` epochs in the schedule's steps: batches when it steps per batch. */
const inSteps = (epochs: number, r: ScheduleContext, per: SchedulePer) => (per === "batch" ? epochs * r.stepsPerEpoch : epochs);

/** An entry whose scheduler is `new Scheduler(optimizer, options)`. */
function entry(
  per: SchedulePer,
  title: string,
  Scheduler: new (optimizer: SchedulerOptimizer, options: never) => FitScheduler,
  defaults: ScheduleEntry["defaults"] = () => ({}),
): ScheduleEntry {
  return { per, title, defaults, create: (o, opts) => new Scheduler(o, opts as never) };
}

export const SCHEDULE_SPECS: Readonly<Record<string, ScheduleEntry>> = {
  cosine: entry("epoch", "CosineAnnealingLR", CosineAnnealingLR, (r, _lr, per) => ({ tMax: inSteps(r.epochs, r, per) })),
  warmrestarts: entry("epoch", "CosineAnnealingWarmRestarts", CosineAnnealingWarmRestarts, (r, _lr, per) => ({ t0: inSteps(third(r.epochs), r, per) })),
  onecycle: entry("batch", "OneCycleLR", OneCycleLR, (r, lr, per, m) => ({ maxLr: lr, totalSteps: inSteps(r.epochs, r, per), cycleMomentum: m })),
  cyclic: entry("batch", "CyclicLR", CyclicLR, (r, lr, per, m) => ({ baseLr: lr / 10, maxLr: lr, stepSizeUp: inSteps(1, r, per), cycleMomentum: m })),
  step: entry("epoch", "StepLR", StepLR, (r, _lr, per) => ({ stepSize: inSteps(third(r.epochs), r, per) })),
  multistep: entry("epoch", "MultiStepLR", MultiStepLR, (r, _lr, per) => {
    const epochs = new Set([Math.max(1, Math.floor(r.epochs / 2)), Math.max(1, Math.floor((3 * r.epochs) / 4))]);
    return { milestones: [...epochs].map((e) => inSteps(e, r, per)) };
  }),
  exponential: entry("epoch", "ExponentialLR", ExponentialLR, () => ({ gamma: 0.9 })),
  linear: entry("epoch", "LinearLR", LinearLR, (r, _lr, per) => ({ totalIters: inSteps(r.epochs, r, per) })),
  polynomial: entry("epoch", "PolynomialLR", PolynomialLR, (r, _lr, per) => ({ totalIters: inSteps(r.epochs, r, per) })),
  constant: entry("epoch", "ConstantLR", ConstantLR),
  plateau: entry("epoch", "ReduceLROnPlateau", ReduceLROnPlateau, () => ({ patience: 1, factor: 0.5 })),
};

export const SCHEDULE_NAMES: readonly string[] = Object.keys(SCHEDULE_SPECS);

export interface ScheduleSpec {
  /** The spec as given ('cosine:tMax=10'). */
  text: string;
  /** The scheduler's class name ('CosineAnnealingLR'). */
  title: string;
  create: ScheduleFactory;
}

/** Parses a schedule spec. Option names and values are checked by the scheduler (checkScheduleSpec: now). */
export function parseScheduleSpec(text: string): ScheduleSpec {
  const spec = parseSpec(text, "schedule");
  const entry = SCHEDULE_SPECS[spec.name];
  if (!entry || !Object.hasOwn(SCHEDULE_SPECS, spec.name)) throw unknownName("schedule", text, spec.name, SCHEDULE_NAMES);
  checkNoPositional(spec, "schedule");
  const { per: perOption, ...given } = spec.options;
  if (perOption !== undefined && perOption !== "batch" && perOption !== "epoch") {
    throw new SpecError(`schedule '${text}': per must be 'batch' or 'epoch', got '${String(perOption)}'`);
  }
  const per = (perOption as SchedulePer | undefined) ?? entry.per;
  if (spec.name === "plateau" && per === "batch") throw new SpecError(`schedule '${text}': plateau steps once per epoch, with the validation loss`);
  return {
    text: spec.text,
    title: entry.title,
    create(optimizer, run) {
      const group = optimizer.paramGroups[0] as { lr?: number; momentum?: number; betas?: unknown };
      const cyclesMomentum = (group.momentum ?? 0) > 0 || Array.isArray(group.betas);
      const options = { ...entry.defaults(run, group.lr ?? 1e-3, per, cyclesMomentum), ...given };
      try {
        return { scheduler: entry.create(optimizer as unknown as SchedulerOptimizer, structuredClone(options)), per };
      } catch (e) {
        throw new SpecError(`schedule '${text}': ${(e as Error).message}`);
      }
    },
  };
}

/** Creates the schedule once on a probe optimizer, so that a bad option fails now, with the spec named. */
export function checkScheduleSpec(spec: ScheduleSpec, engine: Engine, run: ScheduleContext): void {
  spec.create(new SGD([engine.parameter([0.5], [1], "probe")], { lr: 0.1, momentum: 0.9 }), run);
}
