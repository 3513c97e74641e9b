import { describe, expect, it } from "vitest";
import { createEngine, SGD } from "../src/index.js";
import { optimizerCase } from "./helpers/optim-harness.js";

optimizerCase("sgd_plain", (p) => new SGD(p, { lr: 0.1 }));
optimizerCase("sgd_weight_decay", (p) => new SGD(p, { lr: 0.1, weightDecay: 0.05 }));
optimizerCase("sgd_maximize", (p) => new SGD(p, { lr: 0.01, maximize: true }));
optimizerCase("sgd_momentum", (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }));
optimizerCase("sgd_dampening", (p) => new SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 }));
optimizerCase("sgd_nesterov", (p) => new SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01 }));

describe("SGD options", () => {
  it("rejects bad hyperparameters by name", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(3)];
    expect(() => new SGD(p, { lr: -1 })).toThrow("Invalid lr: -1 (must be >= 0)");
    expect(() => new SGD(p, { momentum: -0.5 })).toThrow("Invalid momentum: -0.5");
    expect(() => new SGD(p, { nesterov: true })).toThrow(/nesterov: true requires momentum > 0/);
    expect(() => new SGD(p, { nesterov: true, momentum: 0.9, dampening: 0.1 })).toThrow(/dampening = 0/);
    expect(() => new SGD([{ params: p, lr: 0.1, betas: [0.9, 0.99] } as never])).toThrow(/unknown option 'betas'/);
  });

  it("updates groups with their own options", async () => {
    const engine = await createEngine({ backend: "simd" });
    const a = engine.parameter([1, 1]);
    const b = engine.parameter([1, 1]);
    a.grad.fill(1), b.grad.fill(1);
    const opt = new SGD([{ params: [a] }, { params: [b], lr: 0.5 }], { lr: 0.1 });
    opt.step();
    expect(Array.from(a.data)).toEqual([Math.fround(0.9), Math.fround(0.9)]);
    expect(Array.from(b.data)).toEqual([0.5, 0.5]);
    opt.zeroGrad();
    expect(Array.from(b.grad)).toEqual([0, 0]);
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
  });
});
