// Subnormal state is flushed to zero (assembly/optim/flush.ts): a moment that decays with no gradient would sink
// into the subnormal floats, where every operation on it is slow. On every backend, Adam's m and v and SGD's
// momentum buffer hold only 0 or normal floats after many steps of a zero gradient; with ε = 0 the Adam family
// keeps its subnormals (flushing v could then divide by zero).
import { describe, expect, it } from "vitest";
import { Adam, AdamW, createEngine, isBackendSupported, SGD, type Backend, type Optimizer, type Parameter } from "../src/index.js";

const MIN_NORMAL = 2 ** -126;
const backends = (["js", "simd", "scalar", "relaxed-simd"] as const).filter((b) => isBackendSupported(b));

/** Steps with a gradient of decreasing size (1e-10 down), then `idle` steps with a zero gradient. */
async function decay(backend: Backend, make: (p: Parameter[]) => Optimizer<object>, idle: number) {
  const engine = await createEngine({ backend });
  const params = engine.parameters([{ values: Float32Array.from({ length: 37 }, (_, i) => Math.sin(i)), name: "w" }]);
  const opt = make(params);
  const grad = params[0]!.grad;
  for (let t = 0; t < 5; t++) {
    grad.forEach((_, i) => (grad[i] = 1e-10 * Math.cos(i + t)));
    opt.step();
  }
  grad.fill(0);
  for (let t = 0; t < idle; t++) opt.step();
  const state = opt.stateDict().state[0]!;
  return Object.entries(state).filter(([, v]) => v instanceof Float32Array) as [string, Float32Array][];
}

const subnormals = (a: Float32Array) => a.filter((x) => x !== 0 && Math.abs(x) < MIN_NORMAL).length;

describe.each(backends)("on %s", (backend) => {
  const cases: [string, (p: Parameter[]) => Optimizer<object>][] = [
    ["Adam", (p) => new Adam(p, { lr: 1e-3 })],
    ["AdamW", (p) => new AdamW(p, { lr: 1e-3 })],
    ["SGD with momentum", (p) => new SGD(p, { lr: 1e-3, momentum: 0.5 })],
  ];
  it.each(cases)("%s stores no subnormal state", async (_name, make) => {
    // m decays by 0.9 (0.5 for SGD) a step: from 1e-11 it passes below 2^-126 within ~700 steps
    const buffers = await decay(backend, make, 900);
    expect(buffers.length).toBeGreaterThan(0);
    for (const [name, values] of buffers) expect(subnormals(values), name).toBe(0);
  });

  it("Adam with eps = 0 keeps its subnormal moments, as PyTorch does", async () => {
    const buffers = await decay(backend, (p) => new Adam(p, { lr: 1e-3, eps: 0 }), 900);
    expect(subnormals(Object.fromEntries(buffers).expAvg!)).toBeGreaterThan(0);
  });
});
