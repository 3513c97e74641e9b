import { describe, expect, it } from "vitest";
import { createEngine } from "../src/engine/engine.js";
import { Sequential } from "../src/nn/sequential.js";
import { parseSpec } from "../src/lab/spec.js";
import { checkOptimizerSpec, OPTIMIZER_NAMES, OPTIMIZER_SPECS, parseOptimizerSpec, withDefaultOption } from "../src/lab/spec-optimizers.js";
import { checkScheduleSpec, parseScheduleSpec, SCHEDULE_NAMES } from "../src/lab/spec-schedules.js";
import { parseModelSpec } from "../src/lab/spec-models.js";
import { formatLr } from "../src/lab/format.js";

describe("parseSpec", () => {
  it("reads names, key=value options, flags, lists and positional numbers", () => {
    expect(parseSpec("SGD:lr=0.05,momentum=0.9,nesterov", "optimizer")).toEqual({
      text: "SGD:lr=0.05,momentum=0.9,nesterov", name: "sgd", positional: [], options: { lr: 0.05, momentum: 0.9, nesterov: true },
    });
    expect(parseSpec("adam:betas=0.9/0.99,amsgrad=false,eps=1e-8", "optimizer").options).toEqual({ betas: [0.9, 0.99], amsgrad: false, eps: 1e-8 });
    expect(parseSpec("rprop:etas=[0.5, 1.2],lineSearchFn=strong_wolfe", "optimizer").options).toEqual({ etas: [0.5, 1.2], lineSearchFn: "strong_wolfe" });
    expect(parseSpec("mlp:256,128,activation=tanh", "model")).toMatchObject({ positional: [256, 128], options: { activation: "tanh" } });
  });

  it("names the bad part", () => {
    expect(() => parseSpec("sgd:lr=0.1,,momentum=0.9", "optimizer")).toThrow(/an empty option/);
    expect(() => parseSpec("sgd:lr=", "optimizer")).toThrow(/option 'lr' has no value/);
    expect(() => parseSpec("sgd:lr=1,lr=2", "optimizer")).toThrow(/option 'lr' is given twice/);
    expect(() => parseSpec("adam:betas=[0.9,x]", "optimizer")).toThrow(/betas' = '\[0.9,x\]' is not a list of numbers/);
    expect(() => parseSpec(":lr=1", "optimizer")).toThrow(/expected a name/);
  });
});

describe("optimizer specs", () => {
  it("list exactly each constructor's options", async () => {
    const engine = await createEngine({ backend: "js" });
    for (const name of OPTIMIZER_NAMES) {
      const optimizer = parseOptimizerSpec(name).make([engine.parameter([1], [1], "p")]);
      const options = OPTIMIZER_SPECS[name]!.options;
      const own = Object.keys(optimizer.defaults);
      if (!options.includes("base")) {
        expect([...options].sort(), name).toEqual(own.sort());
        continue;
      }
      // A wrapper (Lookahead, SAM): its own options, `base`, and every option of the optimizers it can wrap.
      const wrappable = new Set(OPTIMIZER_NAMES.filter((n) => !OPTIMIZER_SPECS[n]!.options.includes("base")).flatMap((n) => OPTIMIZER_SPECS[n]!.options));
      expect(new Set(options), name).toEqual(new Set(["base", ...own, ...wrappable]));
      expect(options.filter((o) => o === "base" || own.includes(o)).sort(), name).toEqual(["base", ...own].sort());
    }
  });

  it("build the optimizer with the given options", async () => {
    const engine = await createEngine({ backend: "js" });
    const spec = parseOptimizerSpec("sgd:lr=0.05,momentum=0.9,nesterov");
    expect(spec.name).toBe("SGD (lr=0.05, momentum=0.9, nesterov)");
    expect(spec.label).toBe("SGD");
    const sgd = spec.make([engine.parameter([1], [1], "p")]);
    expect(sgd.paramGroups[0]).toMatchObject({ lr: 0.05, momentum: 0.9, nesterov: true });
    const adam = parseOptimizerSpec("adam:betas=0.8/0.9", "Mine").make([engine.parameter([1], [1], "q")]);
    expect(adam.paramGroups[0]).toMatchObject({ betas: [0.8, 0.9], lr: 1e-3 });
    expect(withDefaultOption(parseOptimizerSpec("adam"), "weightDecay", 0.1).options).toEqual({ weightDecay: 0.1 });
    expect(withDefaultOption(parseOptimizerSpec("adamw:weightDecay=0.3"), "weightDecay", 0.1).options).toEqual({ weightDecay: 0.3 });
    expect(withDefaultOption(parseOptimizerSpec("rprop"), "weightDecay", 0.1).options).toEqual({});
  });

  it("reject unknown names and options, listing the choices, and bad values naming the option", async () => {
    expect(() => parseOptimizerSpec("sgdd:lr=0.1")).toThrow(/unknown optimizer 'sgdd' \(known: sgd, adam, .*; did you mean 'sgd'\?\)/);
    expect(() => parseOptimizerSpec("adam:learningRate=0.1")).toThrow(/unknown option 'learningRate' \(known options of 'adam': lr, betas, eps, weightDecay, amsgrad, maximize, stateDtype\)/);
    expect(() => parseOptimizerSpec("adam:0.1")).toThrow(/unexpected value '0.1' \(options are written key=value\)/);
    const engine = await createEngine({ backend: "js" });
    expect(() => checkOptimizerSpec(parseOptimizerSpec("sgd:lr=-1"), engine)).toThrow(/optimizer 'SGD \(lr=-1\)': Invalid lr: -1/);
    expect(() => checkOptimizerSpec(parseOptimizerSpec("sgd:nesterov"), engine)).toThrow(/nesterov/);
    expect(() => checkOptimizerSpec(parseOptimizerSpec("sgd:momentum=fast"), engine)).toThrow(/Invalid momentum: fast/);
  });
});

describe("schedule specs", () => {
  const run = { epochs: 9, stepsPerEpoch: 10 };

  it("build every scheduler, with defaults from the run", async () => {
    const engine = await createEngine({ backend: "js" });
    for (const name of SCHEDULE_NAMES) expect(() => checkScheduleSpec(parseScheduleSpec(name), engine, run), name).not.toThrow();
    const sgd = parseOptimizerSpec("sgd:lr=0.1,momentum=0.9").make([engine.parameter([1], [1], "p")]);
    const cosine = parseScheduleSpec("cosine").create(sgd, run);
    expect(cosine.per).toBe("epoch");
    expect((cosine.scheduler as unknown as { tMax: number }).tMax).toBe(9);
    const batch = parseScheduleSpec("cosine:per=batch").create(sgd, run);
    expect(batch.per).toBe("batch");
    expect((batch.scheduler as unknown as { tMax: number }).tMax).toBe(90);
    expect(parseScheduleSpec("onecycle:maxLr=0.5").create(sgd, run).per).toBe("batch");
  });

  it("name the bad part", async () => {
    const engine = await createEngine({ backend: "js" });
    expect(() => parseScheduleSpec("cosin")).toThrow(/unknown schedule 'cosin' \(known: cosine, .*; did you mean 'cosine'\?\)/);
    expect(() => parseScheduleSpec("cosine:per=week")).toThrow(/per must be 'batch' or 'epoch', got 'week'/);
    expect(() => parseScheduleSpec("plateau:per=batch")).toThrow(/plateau steps once per epoch/);
    expect(() => checkScheduleSpec(parseScheduleSpec("step:stepSze=2"), engine, run)).toThrow(/schedule 'step:stepSze=2': StepLR: unknown option 'stepSze'/);
    expect(() => checkScheduleSpec(parseScheduleSpec("step:gamma=x"), engine, run)).toThrow(/Invalid gamma: x/);
  });
});

describe("model specs", () => {
  const shapes = async (text: string, input: number[], outputs: number) => {
    const plan = parseModelSpec(text).plan(input, outputs);
    const model = new Sequential(plan.layers()).compile(await createEngine({ backend: "js" }), { inputShape: plan.inputShape, batchSize: 2 });
    return { input: plan.inputShape, layers: model.layers.map((l) => `${(l as { kind: string }).kind}→${l.outputShape.join("×")}`) };
  };

  it("size the layers from the data", async () => {
    expect(await shapes("mlp:32,16", [64], 10)).toEqual({ input: [64], layers: ["Linear→32", "ReLU→32", "Linear→16", "ReLU→16", "Linear→10"] });
    expect((await shapes("mlp:8,activation=tanh,dropout=0.1,batchnorm", [2], 3)).layers).toEqual(["Linear→8", "BatchNorm1d→8", "Tanh→8", "Dropout→8", "Linear→3"]);
    expect((await shapes("mlp", [1, 4, 4], 2)).layers).toEqual(["Flatten→16", "Linear→128", "ReLU→128", "Linear→2"]);
    expect(await shapes("linear", [5], 1)).toEqual({ input: [5], layers: ["Linear→1"] });
    expect(await shapes("cnn", [64], 10)).toEqual({
      input: [1, 8, 8],
      layers: ["Conv2d→16×8×8", "ReLU→16×8×8", "MaxPool2d→16×4×4", "Conv2d→32×4×4", "ReLU→32×4×4", "MaxPool2d→32×2×2", "Flatten→128", "Linear→10"],
    });
  });

  it("name the bad part", () => {
    expect(() => parseModelSpec("resnet")).toThrow(/unknown model 'resnet' \(known: linear, mlp, cnn, rnn, lstm, gru\)/);
    expect(() => parseModelSpec("mlp:0")).toThrow(/layer widths must be positive integers, got 0/);
    expect(() => parseModelSpec("mlp:8,activation=swish")).toThrow(/unknown activation 'swish'/);
    expect(() => parseModelSpec("cnn").plan([2], 3)).toThrow(/a CNN needs image samples/);
    expect(() => parseModelSpec("cnn:4,4,4,4").plan([64], 3)).toThrow(/4 pooling stages need images of at least 16 × 16, got 8 × 8/);
  });
});

describe("formatLr", () => {
  it("writes rates as people do", () => {
    expect([3e-4, 1e-3, 0.01, 0.3, 1, 0.00316, 1e-7, 25].map(formatLr)).toEqual(["3e-4", "1e-3", "0.01", "0.3", "1", "3.2e-3", "1e-7", "25"]);
  });
});
