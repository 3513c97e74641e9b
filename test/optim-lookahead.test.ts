// Lookahead over SGD with momentum against a float64 transcription of the paper's Algorithm 1 (optax.lookahead's
// rule; scripts/reference/optim_new.py), on every backend, with state-dict round trips; its groups are the inner
// optimizer's (a scheduler setting lr reaches it).
import { describe, expect, it } from "vitest";
import { Adam, createEngine, Lookahead, SGD, StepLR } from "../src/index.js";
import { makeParams, optimizerCase, stepOnce } from "./helpers/optim-harness.js";

optimizerCase("lookahead_sgd", (p) => new Lookahead(new SGD(p, { lr: 0.05, momentum: 0.9 }), { k: 5, alpha: 0.5 }));
optimizerCase("lookahead_sgd_k3", (p) => new Lookahead(new SGD(p, { lr: 0.1, momentum: 0.5 }), { k: 3, alpha: 0.8 }));

describe("Lookahead", () => {
  it("shows the inner optimizer's options through its groups, so schedulers drive the inner lr", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    const inner = new Adam(params, { lr: 0.1 });
    const opt = new Lookahead(inner);
    expect(opt.paramGroups[0]!).toMatchObject({ k: 5, alpha: 0.5 });
    expect((opt.paramGroups[0] as unknown as { lr: number }).lr).toBe(0.1);
    const scheduler = new StepLR(opt as never, { stepSize: 1, gamma: 0.5 });
    stepOnce(opt, params);
    scheduler.step();
    expect(inner.paramGroups[0]!.lr).toBe(0.05);
    const saved = opt.stateDict();
    expect(saved.optimizer).toBe("Lookahead");
    expect(saved.state[0]!.slow).toHaveLength(20);
    expect(saved.state[0]!.expAvg).toHaveLength(20);
    expect(saved.paramGroups[0]).toMatchObject({ lr: 0.05, k: 5, alpha: 0.5 });
  });

  it("rejects bad options and a state dict of another optimizer", async () => {
    const engine = await createEngine({ backend: "js" });
    const params = makeParams(engine);
    expect(() => new Lookahead(new SGD(params), { k: 0 })).toThrow("Invalid k: 0 (must be an integer >= 1)");
    expect(() => new Lookahead(new SGD(params), { alpha: 1.5 })).toThrow("Invalid alpha: 1.5 (must be in [0, 1])");
    expect(() => new Lookahead(params as never)).toThrow("Lookahead: the first argument must be the optimizer to wrap");
    expect(() => new Lookahead(new SGD(params)).loadStateDict(new SGD(params).stateDict())).toThrow("the state dict is of SGD, not Lookahead");
  });
});
