// SAM over SGD with momentum against a float64 transcription of davda54/sam (scripts/reference/optim_new.py): each
// step takes the gradient at θ, then step(closure) recomputes it at θ + e. On every backend.
import { describe, expect, it } from "vitest";
import { createEngine, SAM, SGD } from "../src/index.js";
import { closeness, loadReference, makeParams } from "./helpers/optim-harness.js";
import { gradient, loss, N } from "./helpers/problem.js";

const CASES = {
  sam_sgd: { rho: 0.05, adaptive: false, lr: 0.05, momentum: 0.9 },
  sam_sgd_adaptive: { rho: 0.5, adaptive: true, lr: 0.05, momentum: 0.5 },
};

describe("SAM", () => {
  for (const [name, o] of Object.entries(CASES)) {
    it(`${name}: follows the reference on every backend`, async () => {
      const ref = loadReference(name);
      for (const backend of ["js", "simd", "scalar", "relaxed-simd"] as const) {
        const engine = await createEngine({ backend });
        const params = makeParams(engine);
        const opt = new SAM(new SGD(params, { lr: o.lr, momentum: o.momentum }), { rho: o.rho, adaptive: o.adaptive });
        const fill = () => {
          const x = Float32Array.from(params.flatMap((p) => Array.from(p.data)));
          const g = new Float32Array(N);
          gradient(x, g);
          let k = 0;
          for (const p of params) p.grad.set(g.subarray(k, k + p.length)), (k += p.length);
          return loss(x);
        };
        for (let s = 0; s < ref.steps; s++) {
          fill();
          opt.step(fill);
          const row = params.flatMap((p) => Array.from(p.data));
          expect(closeness(row, ref.trajectory[s]!, 2e-4, 2e-5), `${backend} step ${s + 1}`).toBeLessThanOrEqual(1);
        }
      }
    });
  }

  it("needs a closure, and rejects bad options", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    expect(() => new SAM(new SGD(params)).step()).toThrow("SAM.step needs a closure");
    expect(() => new SAM(new SGD(params), { rho: -1 })).toThrow("Invalid rho: -1");
    expect(() => new SAM(new SGD(params), { adaptive: 1 as never })).toThrow("Invalid adaptive: 1");
  });
});
