// A minifying bundler renames classes: identity must come from `kind`, not from the class name. The library is
// bundled twice from src/ into a temporary directory, as scripts/bundle.mjs does (the wasm builds embedded), once
// plainly and once minified without keepNames; state dicts and checkpoints then cross between the two builds.
import { build } from "esbuild";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

type Lib = typeof import("../src/index.js");

const generated = new URL("../src/engine/wasm-binaries.gen.ts", import.meta.url);
const dir = mkdtempSync(join(tmpdir(), "wasm-optim-minified-"));
let plain: Lib, minified: Lib;

async function bundle(name: string, minify: boolean): Promise<Lib> {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [new URL("../src/index.ts", import.meta.url).pathname],
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "es2022",
    minify,
    keepNames: false,
    logLevel: "silent",
  });
  return (await import(pathToFileURL(outfile).href)) as Lib;
}

const OPTIMIZERS = ["SGD", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Lion", "Adagrad", "RMSprop", "Adadelta", "Rprop", "ASGD", "LBFGS"] as const;

/** Trains one parameter a few steps with Adam and OneCycleLR in `lib`; returns the parts to save. */
async function trained(lib: Lib) {
  const engine = await lib.createEngine({ backend: "js" });
  const w = engine.parameter([0.5, -1.5, 2], [3], "w");
  const optimizer = new lib.Adam([w], { lr: 0.1 });
  const scheduler = new lib.OneCycleLR(optimizer, { maxLr: 0.1, totalSteps: 20 });
  for (let i = 0; i < 5; i++) {
    for (let j = 0; j < 3; j++) w.grad[j] = 2 * (w.data[j]! - 1);
    optimizer.step();
    scheduler.step();
  }
  return { engine, w, optimizer, scheduler };
}

describe.skipIf(!existsSync(generated))("a minified bundle (esbuild, minify, no keepNames)", () => {
  beforeAll(async () => {
    plain = await bundle("plain", false);
    minified = await bundle("minified", true);
  }, 60_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("renames the classes (so the test means something), while every kind stays", async () => {
    const engine = await minified.createEngine({ backend: "js" });
    const p = () => [engine.parameter(2)];
    expect(minified.Adam.name).not.toBe("Adam");
    for (const name of OPTIMIZERS) {
      const optimizer = new (minified[name] as new (params: unknown) => { kind: string })(p());
      expect(optimizer.kind).toBe(name);
    }
    const sgd = new minified.SGD(p(), { lr: 0.1, momentum: 0.9 });
    const schedulers: [string, { kind: string }][] = [
      ["StepLR", new minified.StepLR(sgd, { stepSize: 2 })],
      ["OneCycleLR", new minified.OneCycleLR(sgd, { maxLr: 1, totalSteps: 10 })],
      ["CyclicLR", new minified.CyclicLR(sgd, { baseLr: 0.1, maxLr: 1 })],
      ["CosineAnnealingLR", new minified.CosineAnnealingLR(sgd, { tMax: 5 })],
      ["ReduceLROnPlateau", new minified.ReduceLROnPlateau(sgd)],
    ];
    for (const [name, s] of schedulers) expect(s.kind).toBe(name);
  });

  it("loads an optimizer and a scheduler state dict of the plain build, and the reverse", async () => {
    for (const [from, to] of [[plain, minified], [minified, plain]] as const) {
      const a = await trained(from);
      const b = await trained(to);
      // b restarts from a's state: same weights, then the same steps give the same result.
      const optimizerDict = a.optimizer.stateDict();
      const schedulerDict = a.scheduler.stateDict();
      expect(optimizerDict.optimizer).toBe("Adam");
      expect(schedulerDict.scheduler).toBe("OneCycleLR");
      b.w.data.set(a.w.data);
      b.optimizer.loadStateDict(structuredClone(optimizerDict));
      b.scheduler.loadStateDict(structuredClone(schedulerDict));
      for (const { w, optimizer, scheduler } of [a, b]) {
        for (let j = 0; j < 3; j++) w.grad[j] = 2 * (w.data[j]! - 1);
        optimizer.step();
        scheduler.step();
      }
      expect(Array.from(b.w.data)).toEqual(Array.from(a.w.data));
      expect(b.scheduler.getLastLr()).toEqual(a.scheduler.getLastLr());
    }
  });

  it("applies a checkpoint of the plain build in the minified one, and the reverse", async () => {
    for (const [from, to] of [[plain, minified], [minified, plain]] as const) {
      const make = async (lib: Lib) => {
        const engine = await lib.createEngine({ backend: "js" });
        const model = new lib.Sequential([new lib.Linear(3, 2)]).compile(engine, { inputShape: [3], batchSize: 4, seed: 1 });
        const optimizer = new lib.Adam(model.parameters(), { lr: 0.01 });
        const scheduler = new lib.StepLR(optimizer, { stepSize: 2 });
        return { model, optimizer, scheduler };
      };
      const a = await make(from);
      for (const p of a.model.parameters()) p.grad.fill(0.5);
      a.optimizer.step();
      a.scheduler.step();
      const bytes = from.encodeCheckpoint({ model: a.model, optimizer: a.optimizer, scheduler: a.scheduler });
      const b = await make(to);
      to.applyCheckpoint(to.decodeCheckpoint(bytes), b.model, b.optimizer, b.scheduler);
      expect(b.optimizer.stateDict()).toEqual(a.optimizer.stateDict());
      expect(b.scheduler.getLastLr()).toEqual(a.scheduler.getLastLr());
    }
  });

  it("names the algorithm, not a mangled class name, in its messages", async () => {
    const engine = await minified.createEngine({ backend: "js" });
    const adam = new minified.Adam([engine.parameter(2)]);
    const sgd = new minified.SGD([engine.parameter(2)]);
    expect(() => adam.loadStateDict(sgd.stateDict())).toThrow("Adam.loadStateDict: the state dict is of SGD, not Adam");
    expect(() => new minified.Adam([engine.parameter(2)], { learningRate: 1 } as never)).toThrow(/^Adam: unknown option 'learningRate'/);
    expect(() => new minified.Adam([])).toThrow(/^Adam: got an empty parameter list/);
    const step = new minified.StepLR(sgd, { stepSize: 2 });
    expect(() => step.loadStateDict({ scheduler: "OneCycleLR" })).toThrow("StepLR.loadStateDict: the state dict is of OneCycleLR, not StepLR");
    expect(minified.explainOptimizer(adam)?.name).toBe("Adam");
  });
});
