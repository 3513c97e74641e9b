// Every optimizer gives the same bits on 1, 2, 3 and 4 threads, on every backend: its kernel splits into ranges
// that each compute what the whole call computes on them. The length is ragged (not a multiple of the 256-element
// ranges nor of the SIMD width) and large enough that the kernels really split (above MIN_WORK.optimizer), and
// the clipping reductions (2-norm, 1-norm, ∞-norm, finiteness) run on the same gradients.
import { describe, expect, it } from "vitest";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, ASGD, clipGradNorm, LBFGS, Lion, NAdam, RAdam, RMSprop, Rprop, SGD, type Engine, type Optimizer, type Parameter } from "../src/index.js";
import { MIN_WORK } from "../src/engine/threads/splits.js";
import { bitsOf, threadedEngine, THREAD_BACKENDS, THREAD_COUNTS, wave } from "./helpers/threads.js";

const LENGTH = 2 * 65_536 + 1_001; // two whole chunks of the sums and a ragged third (4 threads: one has none)
const STEPS = 2;

const OPTIMIZERS: Record<string, (p: Parameter[]) => Optimizer<any>> = {
  SGD: (p) => new SGD(p, { lr: 0.1, momentum: 0.9, nesterov: true, weightDecay: 0.01 }),
  Adam: (p) => new Adam(p, { lr: 1e-3, amsgrad: true, weightDecay: 0.01 }),
  AdamW: (p) => new AdamW(p, { lr: 1e-3 }),
  Adamax: (p) => new Adamax(p, { lr: 2e-3 }),
  NAdam: (p) => new NAdam(p, { lr: 2e-3 }),
  RAdam: (p) => new RAdam(p, { lr: 1e-3 }),
  Lion: (p) => new Lion(p, { lr: 1e-4, weightDecay: 0.1 }),
  Adagrad: (p) => new Adagrad(p, { lr: 0.1 }),
  RMSprop: (p) => new RMSprop(p, { lr: 0.01, momentum: 0.9, centered: true }),
  Adadelta: (p) => new Adadelta(p, { weightDecay: 0.1 }),
  Rprop: (p) => new Rprop(p),
  ASGD: (p) => new ASGD(p, { t0: 0 }),
  LBFGS: (p) => new LBFGS(p, { maxIter: 3, lineSearchFn: "strong_wolfe" }),
};

/** Two parameters in one chunk; the gradient of Σ (p - target)²/2 + 0.1·p³ (enough curvature for L-BFGS). */
function problem(engine: Engine) {
  const params = engine.parameters([
    { values: wave(LENGTH - 77, 1), name: "w" },
    { values: wave(77, 2), name: "b" },
  ]);
  const targets = params.map((p, i) => wave(p.length, 3 + i));
  const closure = () => {
    let loss = 0;
    params.forEach((p, i) => {
      const x = p.data, g = p.grad, t = targets[i]!;
      for (let j = 0; j < x.length; j++) {
        const d = x[j]! - t[j]!;
        g[j] = d + 0.3 * x[j]! * x[j]!;
        loss += 0.5 * d * d + 0.1 * x[j]! ** 3;
      }
    });
    return loss;
  };
  return { params, closure };
}

/** Runs every optimizer on its own problem in one engine: the weights' bits and the norms, by optimizer. */
async function runAll(backend: (typeof THREAD_BACKENDS)[number], threads: number) {
  const engine = await threadedEngine(backend, threads);
  const out: Record<string, { bits: string; norms: number[] }> = {};
  for (const [name, make] of Object.entries(OPTIMIZERS)) {
    const { params, closure } = problem(engine);
    const opt = make(params);
    const norms: number[] = [];
    for (let s = 0; s < STEPS; s++) {
      if (opt instanceof LBFGS) opt.step(closure);
      else {
        closure();
        for (const type of [2, 1, Infinity]) norms.push(clipGradNorm(params, 1e9, type));
        norms.push(clipGradNorm(params, 100, 2)); // scales the gradients (f32_scale)
        (opt.step as () => void).call(opt);
      }
    }
    out[name] = { bits: bitsOf(...params.map((p) => p.data)), norms };
  }
  engine.dispose();
  return out;
}

describe("optimizers on threads: the bits of one thread", () => {
  it("splits the kernels (the length is above the threshold)", () => expect(LENGTH).toBeGreaterThan(4 * MIN_WORK.optimizer));
  for (const backend of THREAD_BACKENDS) {
    it(`all ${Object.keys(OPTIMIZERS).length} optimizers and the clipping norms on ${backend}`, async () => {
      const one = await runAll(backend, 1);
      for (const threads of THREAD_COUNTS.slice(1)) {
        const many = await runAll(backend, threads);
        for (const name of Object.keys(OPTIMIZERS)) {
          expect(many[name]!.bits, `${name}, ${threads} threads`).toBe(one[name]!.bits);
          expect(many[name]!.norms, `${name}, ${threads} threads`).toEqual(one[name]!.norms);
        }
      }
    });
  }
});
