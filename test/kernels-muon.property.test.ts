// Muon's kernels against their JavaScript twins (see test/helpers/kernel-property.ts). Neither has a multiply-add,
// so relaxed SIMD must match bit for bit too (scale 0). f32_transpose sees the n values as rows × cols (rows
// drawn, cols = ⌊n / rows⌋); what lies past rows · cols must stay as it was.
import fc from "fast-check";
import { describe } from "vitest";
import { HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, ulpsAway, uniform } from "./helpers/kernel-property.js";

const runOn = kernelRunner();

interface Hyper {
  momentum: number;
  omMomentum: number;
  nesterov: number;
  rows: number;
}

const none = () => [0, 0, 0, 0, 0];

function shape(n: number, h: Hyper): [number, number] {
  const rows = Math.min(h.rows, n);
  return rows === 0 ? [0, 0] : [rows, Math.floor(n / rows)];
}

const SPECS: Record<string, KernelSpec<Hyper>> = {
  f32_muon_momentum: {
    writes: () => [0, 2],
    call: (k, [u, g, buf], n, h) => k.f32_muon_momentum(u!, g!, buf!, n, h.momentum, h.omMomentum, h.nesterov),
    scale: none,
    mutants: {
      "adds the gradient with the weight of the momentum (μ and 1 − μ swapped)": (h) => ({ ...h, momentum: h.omMomentum, omMomentum: h.momentum }),
      "is off by one ulp in μ": (h) => ({ ...h, momentum: ulpsAway(h.momentum, 1) }),
      "ignores nesterov": (h) => ({ ...h, nesterov: 1 - h.nesterov }),
    },
  },
  f32_transpose: {
    writes: () => [0],
    call: (k, [dst, src], n, h) => k.f32_transpose(dst!, src!, ...shape(n, h)),
    scale: none,
    mutants: {
      "reads the matrix with rows and columns swapped": (h) => ({ ...h, rows: h.rows + 1 }),
    },
  },
};

function hyper(): fc.Arbitrary<Hyper> {
  return fc.record({
    momentum: fc.oneof(fc.constantFrom(0, 0.95), uniform(0, 1).map(Math.fround)),
    nesterov: fc.constantFrom(0, 1),
    rows: fc.integer({ min: 1, max: 9 }),
  }).map((h) => ({ ...h, omMomentum: Math.fround(1 - h.momentum) }));
}

function inputs(_spec: KernelSpec<Hyper>, wide: boolean) {
  const hi = wide ? HUGE : 10;
  const vec = (n: number) => fc.array(fc.float({ min: -hi, max: hi, noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  return kernelInputs((n) => fc.tuple(vec(n), vec(n), vec(n), vec(n), vec(n)));
}

describe("Muon kernels vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 0 });
});
