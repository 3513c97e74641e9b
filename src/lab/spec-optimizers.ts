// Optimizer specs: every optimizer by its lowercase name, with its constructor options in camelCase.
//
//   'sgd:lr=0.1'   'sgd:lr=0.05,momentum=0.9,nesterov'   'adam:lr=1e-3'   'adamw:lr=1e-3,weightDecay=0.01'
//   'adam:betas=0.9/0.99,amsgrad'   'rprop:etas=[0.5,1.2]'
//
// Unknown names and option keys fail here; bad values fail in the optimizer's constructor (a RangeError naming the
// option), i.e. on the first make(): checkOptimizerSpec does that on a one-element probe parameter.
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import { Adadelta } from "../optim/adadelta.js";
import { Adafactor } from "../optim/adafactor.js";
import { Adagrad } from "../optim/adagrad.js";
import { Adam } from "../optim/adam.js";
import { AdamWScheduleFree } from "../optim/adamw-schedule-free.js";
import { Adamax } from "../optim/adamax.js";
import { AdamW } from "../optim/adamw.js";
import { ASGD } from "../optim/asgd.js";
import { LBFGS } from "../optim/lbfgs.js";
import { muonWithAdamW } from "../optim/muon-adamw.js";
import { Lion } from "../optim/lion.js";
import { NAdam } from "../optim/nadam.js";
import type { Optimizer } from "../optim/optimizer.js";
import { RAdam } from "../optim/radam.js";
import { RMSprop } from "../optim/rmsprop.js";
import { Rprop } from "../optim/rprop.js";
import { SGD } from "../optim/sgd.js";
import { ProximalSGD } from "../optim/proximal-sgd.js";
import { SGDScheduleFree } from "../optim/sgd-schedule-free.js";
import { Lookahead } from "../optim/lookahead.js";
import { SAM } from "../optim/sam.js";
import { checkKnownOptions, checkNoPositional, formatOptions, parseSpec, SpecError, unknownName, type SpecValue } from "./spec.js";

type AnyOptimizer = Optimizer<object>;

interface OptimizerEntry {
  /** The class name, as reports show it. */
  label: string;
  /** The constructor's options (the keys of its defaults; test/lab-spec.test.ts keeps them in sync). */
  options: readonly string[];
  create(params: Parameter[], options: Record<string, SpecValue>): AnyOptimizer;
  /** True for optimizers whose step needs a closure that re-evaluates the loss (LBFGS). */
  closure?: boolean;
}

const ADAM_OPTIONS = ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize", "stateDtype"];
const SCHEDULE_FREE_OPTIONS = ["lr", "weightDecay", "warmupSteps", "r", "weightLrPower"];

function inTrainMode<T extends { train(): void }>(optimizer: T): T {
  optimizer.train();
  return optimizer;
}

// Options are passed through as parsed: the constructors validate their types and ranges.
const BASE_SPECS: Readonly<Record<string, OptimizerEntry>> = {
  sgd: { label: "SGD", options: ["lr", "momentum", "dampening", "weightDecay", "nesterov", "maximize", "stateDtype"], create: (p, o) => new SGD(p, o as never) },
  adam: { label: "Adam", options: ADAM_OPTIONS, create: (p, o) => new Adam(p, o as never) },
  adamw: { label: "AdamW", options: ADAM_OPTIONS, create: (p, o) => new AdamW(p, o as never) },
  adamax: { label: "Adamax", options: ["lr", "betas", "eps", "weightDecay", "maximize"], create: (p, o) => new Adamax(p, o as never) },
  nadam: {
    label: "NAdam",
    options: ["lr", "betas", "eps", "weightDecay", "momentumDecay", "decoupledWeightDecay", "maximize"],
    create: (p, o) => new NAdam(p, o as never),
  },
  radam: { label: "RAdam", options: ["lr", "betas", "eps", "weightDecay", "decoupledWeightDecay", "maximize"], create: (p, o) => new RAdam(p, o as never) },
  lion: { label: "Lion", options: ["lr", "betas", "weightDecay"], create: (p, o) => new Lion(p, o as never) },
  adagrad: {
    label: "Adagrad",
    options: ["lr", "lrDecay", "weightDecay", "initialAccumulatorValue", "eps", "maximize"],
    create: (p, o) => new Adagrad(p, o as never),
  },
  rmsprop: {
    label: "RMSprop",
    options: ["lr", "alpha", "eps", "weightDecay", "momentum", "centered", "maximize"],
    create: (p, o) => new RMSprop(p, o as never),
  },
  adadelta: { label: "Adadelta", options: ["lr", "rho", "eps", "weightDecay", "maximize"], create: (p, o) => new Adadelta(p, o as never) },
  rprop: { label: "Rprop", options: ["lr", "etas", "stepSizes", "maximize"], create: (p, o) => new Rprop(p, o as never) },
  asgd: { label: "ASGD", options: ["lr", "lambd", "alpha", "t0", "weightDecay", "maximize"], create: (p, o) => new ASGD(p, o as never) },
  proximalsgd: { label: "ProximalSGD", options: ["lr", "l1"], create: (p, o) => new ProximalSGD(p, o as never) },
  lbfgs: {
    label: "LBFGS",
    options: ["lr", "maxIter", "maxEval", "toleranceGrad", "toleranceChange", "historySize", "lineSearchFn"],
    create: (p, o) => new LBFGS(p, o as never),
    closure: true,
  },
  adafactor: { label: "Adafactor", options: ["lr", "beta2Decay", "eps", "d", "weightDecay", "maximize"], create: (p, o) => new Adafactor(p, o as never) },
  // Muon for the hidden matrices, AdamW (its defaults, with these betas) for biases and the output layer; with
  // useMuon=false the matrices get AdamW too. The landscape refuses it (a point has no matrix).
  muon: {
    label: "Muon",
    options: ["lr", "weightDecay", "momentum", "nesterov", "nsCoefficients", "eps", "nsSteps", "adjustLrFn", "useMuon", "betas"],
    create: (p, o) => {
      const { betas, ...muon } = o;
      return muonWithAdamW(p, { muon: muon as never, adamw: betas === undefined ? {} : { betas: betas as never } });
    },
  },
  // Schedule-free optimizers are made in train mode (fit switches them to eval for validation and at the end).
  sgd_sf: { label: "SGDScheduleFree", options: SCHEDULE_FREE_OPTIONS.concat("momentum"), create: (p, o) => inTrainMode(new SGDScheduleFree(p, o as never)) },
  adamw_sf: {
    label: "AdamWScheduleFree",
    options: SCHEDULE_FREE_OPTIONS.concat("betas", "eps", "innerMomentum"),
    create: (p, o) => inTrainMode(new AdamWScheduleFree(p, o as never)),
  },
};

// Wrappers of any optimizer above: `lookahead:base=adam,k=5,alpha=0.5,lr=1e-3`, `sam:base=sgd,rho=0.05,lr=0.1,
// momentum=0.9`. `base` names the inner optimizer (default sgd); the other options go to it, checked against its list.
const BASE_OPTIONS = [...new Set(Object.values(BASE_SPECS).flatMap((e) => e.options))];
function wrapper(label: string, own: readonly string[], wrap: (inner: AnyOptimizer, options: Record<string, SpecValue>) => AnyOptimizer): OptimizerEntry {
  return {
    label,
    options: ["base", ...own, ...BASE_OPTIONS.filter((o) => !own.includes(o))],
    create: (p, o) => {
      const { base = "sgd", ...rest } = o;
      const inner = typeof base === "string" && Object.hasOwn(BASE_SPECS, base) ? BASE_SPECS[base]! : undefined;
      if (!inner || inner.closure) {
        throw new RangeError(`base must name an optimizer that steps without a closure (${Object.keys(BASE_SPECS).filter((k) => !BASE_SPECS[k]!.closure).join(", ")}), got ${String(base)}`);
      }
      const mine: Record<string, SpecValue> = {}, theirs: Record<string, SpecValue> = {};
      for (const [key, value] of Object.entries(rest)) (own.includes(key) ? mine : theirs)[key] = value;
      const foreign = Object.keys(theirs).filter((key) => !inner.options.includes(key));
      if (foreign.length) throw new RangeError(`${inner.label} (the base) has no option ${foreign.join(", ")} (its options: ${inner.options.join(", ")})`);
      return wrap(inner.create(p, theirs), mine);
    },
  };
}

export const OPTIMIZER_SPECS: Readonly<Record<string, OptimizerEntry>> = {
  ...BASE_SPECS,
  lookahead: wrapper("Lookahead", ["k", "alpha"], (inner, o) => new Lookahead(inner, o as never)),
  sam: wrapper("SAM", ["rho", "adaptive"], (inner, o) => new SAM(inner, o as never)),
};

export const OPTIMIZER_NAMES: readonly string[] = Object.keys(OPTIMIZER_SPECS);

export interface OptimizerSpec {
  /** The name shown in tables and charts ('SGD', or 'SGD (lr=0.05, momentum=0.9)'). */
  name: string;
  /** The lowercase registry name ('sgd'). */
  kind: string;
  /** The class name ('SGD'), the key of its plain-language explanation. */
  label: string;
  options: Record<string, SpecValue>;
  /** True when the optimizer needs a closure (LBFGS): the fit-based commands cannot run it. */
  needsClosure: boolean;
  make(params: Parameter[]): AnyOptimizer;
}

/** Parses 'name:key=value,…'; `name` overrides the displayed name. */
export function parseOptimizerSpec(text: string, name?: string): OptimizerSpec {
  const spec = parseSpec(text, "optimizer");
  const entry = OPTIMIZER_SPECS[spec.name];
  if (!entry || !Object.hasOwn(OPTIMIZER_SPECS, spec.name)) throw unknownName("optimizer", text, spec.name, OPTIMIZER_NAMES);
  checkNoPositional(spec, "optimizer");
  checkKnownOptions(spec, entry.options, "optimizer");
  return optimizerSpec(spec.name, spec.options, name);
}

/** The spec of optimizer `kind` with these options (already parsed). */
export function optimizerSpec(kind: string, options: Record<string, SpecValue>, name?: string): OptimizerSpec {
  const entry = OPTIMIZER_SPECS[kind];
  if (!entry) throw unknownName("optimizer", kind, kind, OPTIMIZER_NAMES);
  const described = formatOptions(options);
  return {
    name: name ?? (described ? `${entry.label} (${described})` : entry.label),
    kind,
    label: entry.label,
    options: { ...options },
    needsClosure: entry.closure === true,
    make: (params) => entry.create(params, structuredClone(options)),
  };
}

/** The same spec with one option set where the spec does not set it already (e.g. a global weight decay). */
export function withDefaultOption(spec: OptimizerSpec, key: string, value: SpecValue): OptimizerSpec {
  if (Object.hasOwn(spec.options, key) || !OPTIMIZER_SPECS[spec.kind]!.options.includes(key)) return spec;
  return { ...optimizerSpec(spec.kind, { ...spec.options, [key]: value }), name: spec.name };
}

/** Builds the optimizer once on a probe parameter, so that a bad value fails now, with the spec named. */
export function checkOptimizerSpec(spec: OptimizerSpec, engine: Engine): void {
  try {
    spec.make([engine.parameter([0.5], [1], "probe")]);
  } catch (e) {
    throw new SpecError(`optimizer '${spec.name}': ${(e as Error).message}`);
  }
}

/** The optimizer's full hyperparameters (its defaults with the spec's options), read off a probe instance. */
export function optimizerOptions(spec: OptimizerSpec, engine: Engine): Record<string, unknown> {
  const { params: _params, ...options } = { ...spec.make([engine.parameter([0.5], [1], "probe")]).paramGroups[0]! } as Record<string, unknown>;
  return options;
}
