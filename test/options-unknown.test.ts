// Every options object of the public API refuses a key it does not know: a RangeError naming the key and, for a
// near miss, the option that was meant; and anything but an object where the options go. One row per function.
import { describe, expect, it } from "vitest";
import {
  Adadelta, Adagrad, Adam, Adamax, AdamW, advise, ASGD, AvgPool2d, BatchNorm1d, BatchNorm2d, checkpointCallback,
  clipGradNorm, compareOptimizers, ConstantLR, Conv2d, CosineAnnealingLR, CosineAnnealingWarmRestarts, createEngine,
  CrossEntropyLoss, CyclicLR, DataLoader, Dataset, earlyStopping, evaluate, ExponentialLR, fit, kaimingNormal,
  kaimingUniform, LambdaLR, LBFGS, Linear, LinearLR, Lion, lrFind, makeBlobs, makeFriedman1, makeMoons, makeSpirals, MultiplicativeLR, MultiStepLR, NAdam,
  OneCycleLR, PolynomialLR, predict, RAdam, ReduceLROnPlateau, ReLU, RMSprop, Rng, Rprop, runLandscape, SequentialLR,
  Sequential, SGD, StepLR, type Engine, type Parameter,
} from "../src/index.js";
import { checkOptions, suggest } from "../src/engine/options.js";
import { compareReport, lineChart, lrFinderChart, renderReport, scheduleChart } from "../src/node.js";

type Call = (options: unknown) => unknown;
interface Row {
  where: string;
  call: Call;
  /** A plausible misspelling, and the option it should suggest. */
  nearMiss: [string, string];
}

async function setup() {
  const engine = await createEngine({ backend: "js" });
  const p = (): Parameter[] => [engine.parameter([1, 2, 3])];
  const sgd = () => new SGD(p(), { lr: 0.1, momentum: 0.9 });
  const data = makeMoons({ samples: 32, seed: 1 });
  const model = () => new Sequential([new Linear(2, 4), new ReLU(), new Linear(4, 2)]).compile(engine, { inputShape: [2], batchSize: 8 });
  const loss = new CrossEntropyLoss();
  const lab = { engine, data, model: "linear", epochs: 1, batchSize: 8 };
  const opt = (name: string, make: (params: Parameter[]) => SGD) => ({ name, make });
  return { engine, p, sgd, data, model, loss, lab, opt };
}

function rows(s: Awaited<ReturnType<typeof setup>>): Row[] {
  const { engine, p, sgd, data, model, loss, lab, opt } = s;
  const o = (options: unknown) => options as never;
  const isObject = (x: unknown) => typeof x === "object" && x !== null && !Array.isArray(x);
  const withKey = (base: object) => (options: unknown) => (isObject(options) ? { ...base, ...(options as object) } : options);
  const sched = (base: object, make: (x: never) => unknown): Call => (options) => make(withKey(base)(options) as never);
  return [
    // optimizers: the defaults' keys
    { where: "SGD", call: (x) => new SGD(p(), o(x)), nearMiss: ["learningRate", "lr"] },
    { where: "Adam", call: (x) => new Adam(p(), o(x)), nearMiss: ["learningRate", "lr"] },
    { where: "AdamW", call: (x) => new AdamW(p(), o(x)), nearMiss: ["weight_decay", "weightDecay"] },
    { where: "Adamax", call: (x) => new Adamax(p(), o(x)), nearMiss: ["epsilon", "eps"] },
    { where: "NAdam", call: (x) => new NAdam(p(), o(x)), nearMiss: ["momentum_decay", "momentumDecay"] },
    { where: "RAdam", call: (x) => new RAdam(p(), o(x)), nearMiss: ["beta", "betas"] },
    { where: "Lion", call: (x) => new Lion(p(), o(x)), nearMiss: ["wd", "weightDecay"] },
    { where: "Adagrad", call: (x) => new Adagrad(p(), o(x)), nearMiss: ["lrDcay", "lrDecay"] },
    { where: "RMSprop", call: (x) => new RMSprop(p(), o(x)), nearMiss: ["centred", "centered"] },
    { where: "Adadelta", call: (x) => new Adadelta(p(), o(x)), nearMiss: ["rh", "rho"] },
    { where: "Rprop", call: (x) => new Rprop(p(), o(x)), nearMiss: ["step_sizes", "stepSizes"] },
    { where: "ASGD", call: (x) => new ASGD(p(), o(x)), nearMiss: ["lambda", "lambd"] },
    { where: "LBFGS", call: (x) => new LBFGS(p(), o(x)), nearMiss: ["history_size", "historySize"] },
    // a parameter group: the options, params and initialLr
    { where: "Adam: a parameter group", call: (x) => new Adam([withKey({ params: p() })(x) as never]), nearMiss: ["learningRate", "lr"] },
    { where: "SGD: a parameter group", call: (x) => sgd().addParamGroup(withKey({ params: p() })(x) as never), nearMiss: ["initial_lr", "initialLr"] },
    // schedulers
    { where: "LambdaLR", call: sched({ lrLambda: () => 1 }, (x) => new LambdaLR(sgd(), x)), nearMiss: ["lr_lambda", "lrLambda"] },
    { where: "MultiplicativeLR", call: sched({ lrLambda: () => 1 }, (x) => new MultiplicativeLR(sgd(), x)), nearMiss: ["lrLamda", "lrLambda"] },
    { where: "StepLR", call: sched({ stepSize: 2 }, (x) => new StepLR(sgd(), x)), nearMiss: ["step_size", "stepSize"] },
    { where: "MultiStepLR", call: sched({ milestones: [2] }, (x) => new MultiStepLR(sgd(), x)), nearMiss: ["milestone", "milestones"] },
    { where: "ConstantLR", call: (x) => new ConstantLR(sgd(), o(x)), nearMiss: ["total_iters", "totalIters"] },
    { where: "LinearLR", call: (x) => new LinearLR(sgd(), o(x)), nearMiss: ["startfactor", "startFactor"] },
    { where: "ExponentialLR", call: sched({ gamma: 0.9 }, (x) => new ExponentialLR(sgd(), x)), nearMiss: ["gama", "gamma"] },
    { where: "PolynomialLR", call: (x) => new PolynomialLR(sgd(), o(x)), nearMiss: ["powr", "power"] },
    { where: "CosineAnnealingLR", call: sched({ tMax: 3 }, (x) => new CosineAnnealingLR(sgd(), x)), nearMiss: ["T_max", "tMax"] },
    { where: "CosineAnnealingWarmRestarts", call: sched({ t0: 3 }, (x) => new CosineAnnealingWarmRestarts(sgd(), x)), nearMiss: ["eta_min", "etaMin"] },
    { where: "CyclicLR", call: sched({ baseLr: 0.1, maxLr: 1 }, (x) => new CyclicLR(sgd(), x)), nearMiss: ["step_size_up", "stepSizeUp"] },
    { where: "OneCycleLR", call: sched({ maxLr: 1, totalSteps: 10 }, (x) => new OneCycleLR(sgd(), x)), nearMiss: ["max_lr", "maxLr"] },
    { where: "ReduceLROnPlateau", call: (x) => new ReduceLROnPlateau(sgd(), o(x)), nearMiss: ["patiance", "patience"] },
    {
      where: "SequentialLR",
      call: (x) => {
        const q = sgd();
        return new SequentialLR(q, withKey({ schedulers: [new StepLR(q, { stepSize: 2 })], milestones: [] })(x) as never);
      },
      nearMiss: ["milestone", "milestones"],
    },
    { where: "clipGradNorm", call: (x) => clipGradNorm(p(), 1, 2, o(x)), nearMiss: ["error_if_nonfinite", "errorIfNonfinite"] },
    // layers, init, compile
    { where: "Linear", call: (x) => new Linear(2, 3, o(x)), nearMiss: ["Bias", "bias"] },
    { where: "Conv2d", call: (x) => new Conv2d(1, 2, 3, o(x)), nearMiss: ["strides", "stride"] },
    { where: "AvgPool2d", call: (x) => new AvgPool2d(2, null, 0, o(x)), nearMiss: ["count_include_pad", "countIncludePad"] },
    { where: "BatchNorm1d", call: (x) => new BatchNorm1d(3, o(x)), nearMiss: ["track_running_stats", "trackRunningStats"] },
    { where: "BatchNorm2d", call: (x) => new BatchNorm2d(3, o(x)), nearMiss: ["afine", "affine"] },
    { where: "kaiming init", call: (x) => kaimingUniform(new Float32Array(6), [2, 3], new Rng(1), o(x)), nearMiss: ["nonlinear", "nonlinearity"] },
    { where: "kaiming init", call: (x) => kaimingNormal(new Float32Array(6), [2, 3], new Rng(1), o(x)), nearMiss: ["mod", "mode"] },
    {
      where: "Sequential.compile",
      call: (x) => new Sequential([new Linear(2, 2)]).compile(engine, withKey({ inputShape: [2], batchSize: 4 })(x) as never),
      nearMiss: ["batch_size", "batchSize"],
    },
    // data
    { where: "Dataset", call: (x) => new Dataset(withKey({ x: new Float32Array(4), shape: [2], labels: new Int32Array([0, 1]) })(x) as never), nearMiss: ["label", "labels"] },
    { where: "makeSpirals", call: (x) => makeSpirals(o(x)), nearMiss: ["n_samples", "samples"] },
    { where: "makeMoons", call: (x) => makeMoons(o(x)), nearMiss: ["sample", "samples"] },
    { where: "makeBlobs", call: (x) => makeBlobs(o(x)), nearMiss: ["centres", "centers"] },
    { where: "makeFriedman1", call: (x) => makeFriedman1(o(x)), nearMiss: ["feature", "features"] },
    { where: "DataLoader", call: (x) => new DataLoader(engine, data, withKey({ batchSize: 4 })(x) as never), nearMiss: ["drop_last", "dropLast"] },
    // training
    { where: "fit", call: (x) => fit(model(), data, withKey({ optimizer: new SGD([engine.parameter(1)]), loss, epochs: 1, verbose: 0 })(x) as never), nearMiss: ["nan_policy", "nonFinite"] },
    { where: "evaluate", call: (x) => evaluate(model(), data, withKey({ loss })(x) as never), nearMiss: ["batch", "batchSize"] },
    { where: "predict", call: (x) => predict(model(), data, o(x)), nearMiss: ["softMax", "softmax"] },
    { where: "earlyStopping", call: (x) => earlyStopping(o(x)), nearMiss: ["min_delta", "minDelta"] },
    { where: "checkpointCallback", call: (x) => checkpointCallback(withKey({ write: () => {} })(x) as never), nearMiss: ["evry", "every"] },
    // the lab
    { where: "compareOptimizers", call: (x) => compareOptimizers(withKey({ ...lab, optimizers: [opt("sgd", (q) => new SGD(q))] })(x) as never), nearMiss: ["epoch", "epochs"] },
    { where: "lrFind", call: (x) => lrFind(withKey({ engine, data, model: "linear", batchSize: 8, optimizer: (q: Parameter[]) => new SGD(q), numIter: 5 })(x) as never), nearMiss: ["start_lr", "startLr"] },
    { where: "runLandscape", call: (x) => runLandscape(withKey({ fn: "rosenbrock", optimizers: [], steps: 1 })(x) as never), nearMiss: ["step", "steps"] },
    { where: "advise", call: (x) => advise(withKey({ ...lab, optimizers: ["sgd"] })(x) as never), nearMiss: ["lr_grid", "lrGrid"] },
    // reports and charts
    { where: "renderReport", call: (x) => renderReport(withKey({ title: "t", sections: [] })(x) as never), nearMiss: ["sub_title", "subtitle"] },
    { where: "lineChart", call: (x) => lineChart(withKey({ series: [] })(x) as never), nearMiss: ["log_y", "logY"] },
    { where: "scheduleChart", call: (x) => scheduleChart(withKey({ schedules: [] })(x) as never), nearMiss: ["x_label", "xLabel"] },
    { where: "lrFinderChart", call: (x) => lrFinderChart(withKey({ lr: [], loss: [] })(x) as never), nearMiss: ["suggested", "suggestion"] },
    { where: "compareReport", call: (x) => compareReport({} as never, o(x)), nearMiss: ["data_description", "dataDescription"] },
    // the engine
    { where: "createEngine", call: (x) => createEngine(o(x)), nearMiss: ["back_end", "backend"] },
  ];
}

/** Runs a call that may be async; resolves to the error it threw or rejected with. */
async function errorOf(call: () => unknown): Promise<unknown> {
  try {
    await call();
  } catch (e) {
    return e;
  }
  return undefined;
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

describe("unknown options are refused everywhere", async () => {
  const s = await setup();
  const table = rows(s);

  it.each(table.map((r) => [r.where, r] as const))("%s refuses { bogusKey: 1 }, naming it", async (_where, row) => {
    const e = await errorOf(() => row.call({ bogusKey: 1 }));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toMatch(new RegExp(`^${escape(row.where)}: unknown option 'bogusKey' \\(known: .+\\)$`));
  });

  it.each(table.map((r) => [r.where, r.nearMiss[0], r] as const))("%s suggests the option meant by '%s'", async (_where, _key, row) => {
    const [miss, meant] = row.nearMiss;
    const e = await errorOf(() => row.call({ [miss]: 1 }));
    expect(e).toBeInstanceOf(RangeError);
    expect((e as Error).message).toContain(`${row.where}: unknown option '${miss}' (known: `);
    expect((e as Error).message).toMatch(new RegExp(`\\b${escape(meant)}\\b.*\\); did you mean '${escape(meant)}'\\?$`));
  });

  it.each(table.filter((r) => !r.where.includes("parameter group")).map((r) => [r.where, r] as const))(
    "%s refuses a number or an array where the options go",
    async (_where, row) => {
      for (const bad of [0.5, [1, 2], "lr=0.1"]) {
        const e = await errorOf(() => row.call(bad));
        expect(e).toBeInstanceOf(RangeError);
        expect((e as Error).message).toMatch(new RegExp(`^${escape(row.where)}: options must be an object \\(got `));
      }
    },
  );
});

describe("the issue's examples", () => {
  it("new Adam(p, { learningRate: 0.5 }) no longer trains at 1e-3", async () => {
    const engine = await createEngine({ backend: "js" });
    expect(() => new Adam([engine.parameter(2)], { learningRate: 0.5 } as never)).toThrow(
      "Adam: unknown option 'learningRate' (known: lr, betas, eps, weightDecay, amsgrad, maximize, stateDtype); did you mean 'lr'?",
    );
  });

  it("fit({ nanPolicy: 'skip' }) suggests nonFinite", async () => {
    const { engine, model, data, loss } = await setup();
    void engine;
    const e = await errorOf(() => fit(model(), data, { optimizer: new SGD([engine.parameter(1)]), loss, nanPolicy: "skip" } as never));
    expect((e as Error).message).toMatch(/^fit: unknown option 'nanPolicy' \(known: .*\); did you mean 'nonFinite'\?$/);
  });
});

describe("checkOptions and suggest", () => {
  it("accepts undefined and known keys, refuses null", () => {
    expect(() => checkOptions("f", undefined, ["a"])).not.toThrow();
    expect(() => checkOptions("f", { a: 1 }, ["a"])).not.toThrow();
    expect(() => checkOptions("f", null, ["a"])).toThrow("f: options must be an object (got null)");
    expect(() => checkOptions("f", { b: 1 }, [])).toThrow("f: unknown option 'b' (takes no options)");
  });

  it("suggests by case and separators, synonyms, initials and edit distance; nothing when far", () => {
    const adam = ["lr", "betas", "eps", "weightDecay", "amsgrad", "maximize"];
    expect(suggest("weight_decay", adam)).toBe("weightDecay");
    expect(suggest("WEIGHTDECAY", adam)).toBe("weightDecay");
    expect(suggest("learning_rate", adam)).toBe("lr");
    expect(suggest("learningRate", adam)).toBe("lr");
    expect(suggest("wd", adam)).toBe("weightDecay");
    expect(suggest("epsilon", adam)).toBe("eps");
    expect(suggest("amsgard", adam)).toBe("amsgrad");
    expect(suggest("bogusKey", adam)).toBeNull();
    expect(suggest("x", adam)).toBeNull();
  });
});

export type { Engine };
