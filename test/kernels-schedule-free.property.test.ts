// The schedule-free kernels, f32_lerp (also the EMA of AveragedModel) and f32_swa_average against their JavaScript twins (see test/helpers/kernel-property.ts):
// simd and scalar write the twin's bits; relaxed SIMD (fused multiply-adds) stays within a few ulps of the terms.
import fc from "fast-check";
import { describe } from "vitest";
import { HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, uniform } from "./helpers/kernel-property.js";

const abs = Math.abs;
const runOn = kernelRunner();

interface Hyper {
  ckp1: number;
  omCkp1: number;
  yStep: number;
  lr: number;
  weightDecay: number;
  beta2: number;
  omb2: number;
  bc2: number;
  eps: number;
  inner: number;
  omInner: number;
  invBc1: number;
  /** f32_swa_average's n + 1. */
  count: number;
}

interface SfSpec extends KernelSpec<Hyper> {
  positive: readonly number[];
}

/** |lerp(y, z, c)| + |yStep ĝ| for y, and |z| + |γ ĝ| for z, with the magnitude |ĝ| of the direction. */
function stepScale(y: number, z: number, gn: number, h: Hyper): [number, number] {
  const lerped = abs(y) + abs(z);
  return [lerped + abs(h.yStep) * gn * 2, abs(z) + h.lr * gn * 2];
}

const SPECS: Record<string, SfSpec> = {
  f32_sgd_schedule_free: {
    positive: [],
    writes: () => [0, 2],
    call: (k, [y, g, z], n, h) => k.f32_sgd_schedule_free(y!, g!, z!, n, h.ckp1, h.omCkp1, h.yStep, h.lr, h.weightDecay),
    scale: ([y, g, z], _o, i, h) => {
      const [sy, sz] = stepScale(y![i]!, z![i]!, abs(g![i]!) + h.weightDecay * abs(y![i]!), h);
      return [sy, 0, sz];
    },
    mutants: {
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "skips the averaging (c = 0)": (h) => ({ ...h, ckp1: 0, omCkp1: 1 }),
      "steps y as z (no momentum in y)": (h) => ({ ...h, yStep: -h.lr }),
    },
  },
  f32_adamw_schedule_free: {
    positive: [3],
    writes: (h) => (h.inner !== 0 ? [0, 2, 3, 4] : [0, 2, 3]),
    call: (k, [y, g, z, v, m], n, h) => k.f32_adamw_schedule_free(y!, g!, z!, v!, m!, n, h.beta2, h.omb2, h.bc2, h.eps,
      h.inner, h.omInner, h.invBc1, h.ckp1, h.omCkp1, h.yStep, h.lr, h.weightDecay),
    scale: ([y, g, z, v, m], [, , , V], i, h) => {
      const vm = v![i]! * h.beta2 + h.omb2 * g![i]! ** 2;
      const num = h.inner !== 0 ? h.invBc1 * (abs(m![i]!) + abs(g![i]!)) : abs(g![i]!);
      const gn = (num * 2) / (Math.sqrt(V![i]! / h.bc2) + h.eps) + h.weightDecay * abs(y![i]!);
      const [sy, sz] = stepScale(y![i]!, z![i]!, gn, h);
      return [sy, 0, sz, vm, abs(m![i]!) + abs(g![i]!)];
    },
    mutants: {
      "ignores the bias correction of v": (h) => ({ ...h, bc2: 1 }),
      "ignores eps": (h) => ({ ...h, eps: 0 }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
    },
  },
  f32_swa_average: {
    positive: [],
    writes: () => [0],
    call: (k, [avg, p], n, h) => k.f32_swa_average(avg!, p!, n, h.count),
    scale: ([a, p], _o, i) => [2 * (abs(a![i]!) + abs(p![i]!)), 0],
    mutants: {
      "divides by n instead of n + 1": (h) => ({ ...h, count: h.count - 1 }),
    },
  },
  f32_lerp: {
    positive: [],
    writes: () => [0],
    call: (k, [a, b], n, h) => k.f32_lerp(a!, b!, n, h.ckp1, h.omCkp1),
    scale: ([a, b], _o, i) => [2 * (abs(a![i]!) + abs(b![i]!)), 0],
    mutants: {
      "swaps the weights": (h) => ({ ...h, ckp1: h.omCkp1, omCkp1: h.ckp1 }),
    },
  },
};

const unit = (min: number, max: number) => uniform(min, max).map(Math.fround);

function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
    ckp1: fc.oneof(fc.constant(1), unit(-0.2, 1)),
    lr: wide ? unit(0, 10) : unit(0, 1),
    beta: unit(0.5, 0.99),
    weightDecay: fc.oneof(fc.constant(0), wide ? unit(0, 10) : unit(1e-3, 1)),
    beta2: unit(0.5, 0.9999),
    t: fc.integer({ min: 1, max: 1000 }),
    eps: wide ? unit(0, 1) : unit(1e-8, 1e-2),
    inner: fc.oneof(fc.constant(0), unit(0.5, 0.99)),
    count: fc.integer({ min: 2, max: 1000 }),
  }).map(({ ckp1, lr, beta, weightDecay, beta2, t, eps, inner, count }) => {
    const f = Math.fround;
    return {
      ckp1, omCkp1: f(1 - ckp1), yStep: f(lr * (beta * (1 - ckp1) - 1)), lr, weightDecay, beta2, omb2: f(1 - beta2),
      bc2: f(1 - beta2 ** t), eps, inner, omInner: f(1 - inner), invBc1: inner !== 0 ? f(1 / (1 - inner ** t)) : 1, count,
    };
  });
}

function inputs(spec: SfSpec, wide: boolean) {
  const vec = (n: number, positive: boolean) => {
    const hi = wide ? Math.fround(Math.sqrt(HUGE)) : 10;
    const element = fc.float({ min: positive ? 0 : -hi, max: hi, noNaN: true }).map((x) => (!wide && abs(x) < 1e-3 ? 0 : x));
    return fc.array(element, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  };
  return kernelInputs((n) => fc.tuple(...[0, 1, 2, 3, 4].map((j) => vec(n, spec.positive.includes(j)))));
}

describe("schedule-free kernels vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 16 });
});
