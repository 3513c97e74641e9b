// AveragedModel, SWALR and updateBn against torch 1.13's torch.optim.swa_utils (scripts/reference/optim_swa.py):
// SWA's equal-weight average and an EMA (torch.lerp, what PyTorch 2.x's get_ema_multi_avg_fn computes), on every
// backend, with SWALR's learning rates; update_bn's running statistics.
import { describe, expect, it } from "vitest";
import {
  AveragedModel, BatchNorm1d, createEngine, Dataset, getEmaMultiAvgFn, getSwaMultiAvgFn, Sequential, SGD, SWALR, updateBn,
  type Backend, type MultiAvgFn,
} from "../src/index.js";
import { closeness, loadReference, makeParams, stepOnce } from "./helpers/optim-harness.js";

interface SwaReference {
  steps: number;
  trajectory: number[][];
  lrs: number[];
  averaged: number[];
  nAveraged: number;
  options: { swaLr: number; annealEpochs: number; annealStrategy: "cos" | "linear" };
}

/** torch's loop: SGD steps; from step 10 on, update_parameters and SWALR.step() after each. */
async function swaRun(backend: Backend, name: string, fn: MultiAvgFn, stopAt?: number) {
  const ref = loadReference(name) as unknown as SwaReference;
  const engine = await createEngine({ backend });
  const params = makeParams(engine);
  const opt = new SGD(params, { lr: 0.1, momentum: 0.9 });
  const averaged = new AveragedModel(params, { multiAvgFn: fn });
  let scheduler: SWALR | null = null;
  const lrs: number[] = [], trajectory: number[][] = [];
  for (let s = 0; s < (stopAt ?? ref.steps); s++) {
    stepOnce(opt, params);
    if (s >= 10) {
      scheduler ??= new SWALR(opt, { swaLr: ref.options.swaLr, annealEpochs: ref.options.annealEpochs, annealStrategy: ref.options.annealStrategy });
      averaged.updateParameters();
      scheduler.step();
    }
    lrs.push(opt.paramGroups[0]!.lr);
    trajectory.push(params.flatMap((p) => Array.from(p.data)));
  }
  return { ref, params, averaged, lrs, trajectory, opt };
}

const CASES: Record<string, MultiAvgFn> = { swa_sgd: getSwaMultiAvgFn(), swa_ema: getEmaMultiAvgFn(0.9) };

describe("AveragedModel and SWALR against torch.optim.swa_utils", () => {
  for (const [name, fn] of Object.entries(CASES)) {
    it(`${name}: the lrs, the trajectory and the average, on every backend`, async () => {
      let js: Float32Array | null = null;
      for (const backend of ["js", "simd", "scalar", "relaxed-simd"] as const) {
        const { ref, params, averaged, lrs, trajectory } = await swaRun(backend, name, fn);
        lrs.forEach((lr, s) => expect(lr, `lr at step ${s + 1}`).toBeCloseTo(ref.lrs[s]!, 12));
        trajectory.forEach((row, s) => expect(closeness(row, ref.trajectory[s]!, 2e-4, 2e-5), `${backend} step ${s + 1}`).toBeLessThanOrEqual(1));
        const avg = params.flatMap((p) => Array.from(averaged.averagedValues(p)));
        expect(closeness(avg, ref.averaged, 2e-4, 2e-5), backend).toBeLessThanOrEqual(1);
        expect(closeness(avg, ref.trajectory.at(-1)!, 1e-3, 1e-3), "the average lags the last iterate").toBeGreaterThan(1);
        expect(averaged.nAveraged).toBe(ref.nAveraged);
        const state = averaged.stateDict().values;
        if (backend === "js") js = state;
        else if (backend !== "relaxed-simd") expect(state).toEqual(js);
        averaged.copyTo();
        expect(params.flatMap((p) => Array.from(p.data))).toEqual(avg);
      }
    });
  }

  it("a state dict round trip restores the average and the count", async () => {
    const whole = await swaRun("simd", "swa_sgd", getSwaMultiAvgFn());
    const half = await swaRun("simd", "swa_sgd", getSwaMultiAvgFn(), 20);
    const engine = await createEngine({ backend: "simd" });
    const again = new AveragedModel(makeParams(engine));
    again.loadStateDict(structuredClone(half.averaged.stateDict()));
    expect(again.stateDict()).toEqual(half.averaged.stateDict());
    expect(() => again.loadStateDict({ ...half.averaged.stateDict(), values: new Float32Array(3) })).toThrow("AveragedModel.loadStateDict: 3 values, the parameters have 37");
    expect(whole.averaged.nAveraged).toBe(20);
  });

  it("rejects bad options by name", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = makeParams(engine);
    expect(() => getEmaMultiAvgFn(1.5)).toThrow("Invalid decay: 1.5 (must be in [0, 1])");
    expect(() => new AveragedModel(p, { multiAvgFn: { kind: "mean" } as never })).toThrow("AveragedModel: multiAvgFn must be getSwaMultiAvgFn() or getEmaMultiAvgFn(decay)");
    expect(() => new AveragedModel(p, { avgFn: 1 } as never)).toThrow(/unknown option 'avgFn'/);
    expect(() => new AveragedModel(p).copyTo()).toThrow("nothing averaged yet");
    const opt = new SGD(p, { lr: 0.1 });
    expect(() => new SWALR(opt, { swaLr: -1 })).toThrow("Invalid swaLr: -1");
    expect(() => new SWALR(opt, { swaLr: [0.1, 0.2] })).toThrow("SWALR: swaLr has 2 values, the optimizer 1 parameter groups");
    expect(() => new SWALR(opt, { swaLr: 0.1, annealStrategy: "exp" as never })).toThrow(`Invalid annealStrategy: "exp" (must be 'cos' or 'linear')`);
    expect(new SWALR(opt, { swaLr: 0.05 }).kind).toBe("SWALR");
  });
});

describe("updateBn against torch.optim.swa_utils.update_bn", () => {
  it("recomputes running_mean and running_var over 40 samples in batches of 16, 16 and 8", async () => {
    const ref = loadReference("swa_update_bn") as unknown as { x: number[]; runningMean: number[]; runningVar: number[]; numBatchesTracked: number };
    for (const backend of ["js", "simd"] as const) {
      const engine = await createEngine({ backend });
      const model = new Sequential([new BatchNorm1d(4)]).compile(engine, { inputShape: [4], batchSize: 16, seed: 0 });
      const data = new Dataset({ x: Float32Array.from(ref.x), shape: [4], targets: new Float32Array(40), name: "bn" });
      updateBn(model, data, { batchSize: 16 });
      const s = model.stateBuffers();
      const get = (suffix: string) => Array.from(Object.entries(s).find(([k]) => k.endsWith(suffix))![1].array);
      expect(closeness(get("running_mean"), ref.runningMean, 1e-5, 1e-6), backend).toBeLessThanOrEqual(1);
      expect(closeness(get("running_var"), ref.runningVar, 1e-5, 1e-6), backend).toBeLessThanOrEqual(1);
      expect(get("num_batches_tracked")[0]).toBe(ref.numBatchesTracked);
    }
  });
});
