// The SGD kernels against their JavaScript twin: on any input (random lengths 0..2000, random alignment, random
// hyperparameters, wide float32 values) the simd and scalar builds write the same bits as the twin and nothing
// past the end; the relaxed-SIMD build (fused multiply-adds) stays within a few ulps of the terms' magnitude.
import fc from "fast-check";
import { describe } from "vitest";
import { HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, uniform } from "./helpers/kernel-property.js";

const abs = Math.abs;
const runOn = kernelRunner();

interface Hyper {
  lr: number;
  weightDecay: number;
  momentum: number;
  dampening: number;
  nesterov: number;
  first: number;
  gradSign: number;
}

const unit = (min: number, max: number) => uniform(min, max).map(Math.fround);

function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
    lr: wide ? unit(0, 10) : unit(0, 1),
    weightDecay: fc.oneof(fc.constant(0), wide ? unit(0, 10) : unit(1e-3, 1)),
    momentum: wide ? unit(0, 2) : unit(0, 0.99),
    dampening: wide ? unit(0, 1) : unit(0, 0.5),
    nesterov: fc.constantFrom(0, 1),
    first: fc.constantFrom(0, 1),
    gradSign: fc.constantFrom(1, -1),
  });
}

function inputs(_spec: unknown, wide: boolean) {
  const element = fc.float({ min: wide ? -HUGE : -10, max: wide ? HUGE : 10, noNaN: true });
  const vec = (n: number) => fc.array(element, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  return kernelInputs((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n), vec(n)));
}

/** |λθ| + |g|: the magnitude of the terms of g = ±g + λθ. */
const gradScale = (p: number, g: number, h: Hyper) => h.weightDecay * abs(p) + abs(g);

const SPECS: Record<string, KernelSpec<Hyper>> = {
  f32_sgd: {
    writes: () => [0],
    call: (k, [p, g], n, h) => k.f32_sgd(p!, g!, n, h.lr, h.weightDecay, h.gradSign),
    scale: ([p, g], _y, i, h) => [abs(p![i]!) + 2 * h.lr * gradScale(p![i]!, g![i]!, h)],
    mutants: {
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "maximizes when it should minimize, and the other way round": (h) => ({ ...h, gradSign: -h.gradSign }),
    },
  },
  f32_sgd_momentum: {
    writes: () => [0, 2],
    call: (k, [p, g, b], n, h) =>
      k.f32_sgd_momentum(p!, g!, b!, n, h.lr, h.weightDecay, h.momentum, 1 - h.dampening, h.nesterov, h.first, h.gradSign),
    scale: ([p, g, b], _y, i, h) => {
      const bm = gradScale(p![i]!, g![i]!, h) + h.momentum * abs(b![i]!);
      return [abs(p![i]!) + 3 * h.lr * (1 + h.momentum) * (bm + gradScale(p![i]!, g![i]!, h)), 0, 2 * bm];
    },
    mutants: {
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "ignores the dampening": (h) => ({ ...h, dampening: 0 }),
      "takes Nesterov's step for the plain one, and the other way round": (h) => ({ ...h, nesterov: 1 - h.nesterov }),
      "treats every step as the first": (h) => ({ ...h, first: 1 }),
    },
  },
};

describe("SGD kernels vs their JavaScript twin", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 8 });
});
