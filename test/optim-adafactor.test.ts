// Adafactor against a float64 transcription of torch/optim/_adafactor.py (scripts/reference/optim_new.py): a
// matrix, a vector of one and a 3-D tensor (a batch of two matrices, factored apart), and all-vector shapes.
import { describe, expect, it } from "vitest";
import { Adafactor, createEngine } from "../src/index.js";
import { makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

const MATRICES = [[4, 5], [1], [2, 2, 4]];

optimizerCase("adafactor", (p) => new Adafactor(p), { shapes: MATRICES });
optimizerCase("adafactor_options", (p) => new Adafactor(p, { lr: 0.03, beta2Decay: -0.5, eps: [1e-3, 1e-2], d: 1.5, weightDecay: 0.1 }), { shapes: MATRICES });
optimizerCase("adafactor_maximize", (p) => new Adafactor(p, { lr: 0.02, maximize: true }), { shapes: MATRICES });
optimizerCase("adafactor_vectors", (p) => new Adafactor(p, { lr: 0.03 }));

describe("Adafactor", () => {
  it("keeps rows + cols numbers of state for a matrix, as torch's row_var and col_var", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine, MATRICES);
    const opt = new Adafactor(params);
    stepOnce(opt, params);
    const state = opt.stateDict().state;
    expect(state[0]!.rowVar).toHaveLength(4);
    expect(state[0]!.colVar).toHaveLength(5);
    expect(state[1]!.variance).toHaveLength(1);
    expect(state[2]!.rowVar).toHaveLength(4); // two matrices of 2 rows
    expect(state[2]!.colVar).toHaveLength(8);
    expect(state[0]!.variance).toBeUndefined();
  });

  it("rejects bad hyperparameters by name and value", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new Adafactor(p, { lr: -1 })).toThrow("Invalid lr: -1 (must be >= 0)");
    expect(() => new Adafactor(p, { beta2Decay: 0.5 })).toThrow("Invalid beta2Decay: 0.5 (must be <= 0)");
    expect(() => new Adafactor(p, { eps: [-1, 1e-3] })).toThrow("Invalid eps[0]: -1");
    expect(() => new Adafactor(p, { eps: [null, -1] })).toThrow("Invalid eps[1]: -1");
    expect(() => new Adafactor(p, { eps: 1e-3 as never })).toThrow("Invalid eps: 0.001 (must be a pair [eps1 or null, eps2])");
    expect(() => new Adafactor(p, { d: 0.5 })).toThrow("Invalid d: 0.5 (the clipping threshold must be >= 1)");
    expect(() => new Adafactor(p, { weightDecay: -0.1 })).toThrow("Invalid weightDecay: -0.1");
    expect(() => new Adafactor(p, { betas: [0.9, 0.99] } as never)).toThrow(/unknown option 'betas'/);
  });

  it("refuses a state dict whose factors do not fit the parameter's shape", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine, MATRICES);
    const opt = new Adafactor(params);
    stepOnce(opt, params);
    const saved = opt.stateDict();
    saved.state[0]!.rowVar = new Float32Array(5);
    const other = new Adafactor(params);
    expect(() => other.loadStateDict(saved)).toThrow("Adafactor.loadStateDict: state 'rowVar' of parameter 0 has 5 values, 4 here (shape [4, 5])");
    delete saved.state[2]!.colVar;
    saved.state[0]!.rowVar = new Float32Array(4);
    expect(() => other.loadStateDict(saved)).toThrow("parameter 2 lacks state 'colVar'");
  });
});
