// Muon against a float64 transcription of torch/optim/_muon.py (scripts/reference/optim_new.py; torch itself runs
// Newton-Schulz in bfloat16, which no float32 implementation can follow): a wide, a 1 × 1 and a tall matrix
// (transposed for the iteration), and the options.
import { describe, expect, it } from "vitest";
import { createEngine, Muon } from "../src/index.js";
import { makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

optimizerCase("muon", (p) => new Muon(p, { lr: 0.02 }), { shapes: [[4, 5], [1, 1], [8, 2]] });
optimizerCase("muon_options", (p) => new Muon(p, { lr: 0.01, weightDecay: 0.05, momentum: 0.9, nesterov: false, nsSteps: 3, eps: 1e-6, adjustLrFn: "match_rms_adamw" }), {
  shapes: [[5, 4], [1, 1], [2, 8]],
});

describe("Muon", () => {
  it("refuses a parameter that is not a matrix, naming it, before any work", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine, [[4, 5], [1], [16]]);
    expect(() => new Muon(params)).toThrow("Muon: parameter 'b' has shape [1]; Muon updates 2-D parameters (matrices) only");
  });

  it("orthogonalizes: after one step from zero momentum, the update's singular values are near 1", async () => {
    const engine = await createEngine({ backend: "simd" });
    const [w] = engine.parameters([{ values: new Float32Array(12), shape: [3, 4], name: "w" }]);
    const opt = new Muon([w!], { lr: 1, weightDecay: 0, nesterov: false, momentum: 0 });
    w!.grad.set(Float32Array.from({ length: 12 }, (_, i) => Math.sin(i * 2.1) * (1 + i)));
    opt.step();
    // O Oᵀ (3 × 3) ≈ I within the spread the quintic leaves (singular values in about [0.7, 1.2]).
    const o = Array.from(w!.data, (v) => -v);
    for (let i = 0; i < 3; i++) {
      const row = o.slice(4 * i, 4 * i + 4);
      const norm = Math.sqrt(row.reduce((s, v) => s + v * v, 0));
      expect(norm).toBeGreaterThan(0.6);
      expect(norm).toBeLessThan(1.3);
    }
  });

  it("rejects bad hyperparameters by name and value", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(new Float32Array(6), [2, 3])];
    expect(() => new Muon(p, { lr: -1 })).toThrow("Invalid lr: -1");
    expect(() => new Muon(p, { momentum: -0.1 })).toThrow("Invalid momentum: -0.1");
    expect(() => new Muon(p, { nsSteps: 100 })).toThrow("Invalid nsSteps: 100 (must be < 100, as torch's)");
    expect(() => new Muon(p, { nsSteps: 1.5 })).toThrow("Invalid nsSteps: 1.5");
    expect(() => new Muon(p, { nsCoefficients: [1, 2] as never })).toThrow("Invalid nsCoefficients: [1,2] (must be three numbers [a, b, c])");
    expect(() => new Muon(p, { adjustLrFn: "sqrt" as never })).toThrow(`Invalid adjustLrFn: "sqrt" (must be 'original', 'match_rms_adamw' or null)`);
    expect(() => new Muon(p, { nesterov: 1 as never })).toThrow("Invalid nesterov: 1");
    expect(() => new Muon(p, { useAddmm: true } as never)).toThrow(/unknown option 'useAddmm'/);
  });

  it("a state dict holds each parameter's momentum buffer, as torch's momentum_buffer", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine, [[4, 5], [1, 1], [8, 2]]);
    const opt = new Muon(params);
    stepOnce(opt, params);
    const state = opt.stateDict().state;
    expect(state[0]!.momentumBuffer).toHaveLength(20);
    expect(state[2]!.momentumBuffer).toHaveLength(16);
  });
});

describe("muonWithAdamW", () => {
  it("routes the hidden matrices to Muon, biases and the output layer to AdamW, which steps as AdamW does", async () => {
    const { digitsMlp } = await import("./helpers/train-models.js");
    const { AdamW, muonWithAdamW, splitParamsForMuon } = await import("../src/index.js");
    const { model } = await digitsMlp();
    const params = model.parameters();
    const split = splitParamsForMuon(params);
    expect(split.muon.map((p) => p.shape)).toEqual([[64, 64]]);
    expect(split.adamw.map((p) => p.shape)).toEqual([[64], [10, 64], [10]]);
    expect(splitParamsForMuon(params, { headToAdamW: false }).muon.map((p) => p.shape)).toEqual([[64, 64], [10, 64]]);
    const opt = muonWithAdamW(params, { muon: { lr: 0.02 }, adamw: { lr: 3e-3 } });
    expect(opt.paramGroups.map((g) => [g.useMuon, g.lr])).toEqual([[true, 0.02], [false, 3e-3]]);
    // The AdamW group: the same bits as torch's AdamW (our AdamW) on those parameters.
    const { model: twin } = await digitsMlp();
    const twinParams = twin.parameters();
    const adamw = new AdamW([twinParams[1]!, twinParams[2]!, twinParams[3]!], { lr: 3e-3 });
    for (let s = 0; s < 3; s++) {
      for (const [i, p] of params.entries()) {
        const g = Float32Array.from({ length: p.length }, (_, j) => Math.sin(j + 7 * i + s));
        p.grad.set(g), twinParams[i]!.grad.set(g);
      }
      opt.step(), adamw.step();
    }
    for (const i of [1, 2, 3]) expect(Array.from(params[i]!.data)).toEqual(Array.from(twinParams[i]!.data));
    expect(Array.from(params[0]!.data)).not.toEqual(Array.from(twinParams[0]!.data));
    // State dict round trip.
    const { model: third } = await digitsMlp();
    third.parameters().forEach((p, i) => p.data.set(params[i]!.data));
    const resumed = muonWithAdamW(third.parameters(), { muon: { lr: 0.02 }, adamw: { lr: 3e-3 } });
    resumed.loadStateDict(structuredClone(opt.stateDict()));
    for (const [i, p] of params.entries()) p.grad.fill(0.1 * i), third.parameters()[i]!.grad.fill(0.1 * i);
    opt.step(), resumed.step();
    params.forEach((p, i) => expect(Array.from(third.parameters()[i]!.data)).toEqual(Array.from(p.data)));
    expect(() => muonWithAdamW(params, { adamw: { momentum: 0.9 } as never })).toThrow(/muonWithAdamW: adamw: unknown option 'momentum'/);
  });

  it("trains the digits MLP", async () => {
    const { digitsMlp } = await import("./helpers/train-models.js");
    const { CrossEntropyLoss, fit, muonWithAdamW } = await import("../src/index.js");
    const { loadDigits } = await import("../src/data/builtin/digits.js");
    const { train, test } = loadDigits();
    const { model } = await digitsMlp();
    const optimizer = muonWithAdamW(model.parameters(), { muon: { lr: 0.02 }, adamw: { lr: 3e-3 } });
    const history = await fit(model, train, { optimizer, loss: new CrossEntropyLoss(), epochs: 5, validationData: test, verbose: 0 });
    expect(history.last!.valAccuracy).toBeGreaterThan(0.9);
  });
});

describe("Muon in the lab", () => {
  it("'muon' builds muonWithAdamW; the landscape refuses it with a reason", async () => {
    const { parseOptimizerSpec } = await import("../src/lab/spec-optimizers.js");
    const { runLandscape } = await import("../src/lab/landscape.js");
    const { digitsMlp } = await import("./helpers/train-models.js");
    const { model } = await digitsMlp();
    const opt = parseOptimizerSpec("muon:lr=0.02,betas=0.9/0.95").make(model.parameters());
    expect(opt.kind).toBe("MuonWithAdamW");
    expect(opt.paramGroups.map((g) => (g as unknown as { useMuon: boolean }).useMuon)).toEqual([true, false]);
    expect((opt.paramGroups[1] as unknown as { betas: number[] }).betas).toEqual([0.9, 0.95]);
    const engine = await createEngine({ backend: "js" });
    expect(() => runLandscape({ fn: "rosenbrock", optimizers: [parseOptimizerSpec("muon")], steps: 5, tolerance: 1e-3, engine })).toThrow(
      /runLandscape: 'Muon' cannot run on a 2-D landscape: Muon orthogonalizes the update of a weight matrix/,
    );
  });
});
