// The Adafactor kernels and f32_axpby (its last line, and Muon's) against their JavaScript twins (see
// test/helpers/kernel-property.ts): on any input the simd and scalar builds write the twin's bits. The factor and
// direction kernels have no multiply-add, so the relaxed-SIMD build must match bit for bit there too (scale 0);
// f32_axpby fuses one. The matrix kernels
// see the n drawn values as rows × cols (rows drawn, cols = ⌊n / rows⌋): what lies past rows · cols, and past rows
// or cols in the factors, must stay as it was.
import fc from "fast-check";
import { describe } from "vitest";
import { HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, ulpsAway, uniform } from "./helpers/kernel-property.js";

const abs = Math.abs;
const runOn = kernelRunner();

interface Hyper {
  rows: number;
  w: number;
  omw: number;
  m: number;
  eps1Sq: number;
  gradSign: number;
  decay: number;
  step: number;
}

interface FactorSpec extends KernelSpec<Hyper> {
  /** Which buffers hold non-negative values (the factors, the variance). */
  positive: readonly number[];
}

/** rows × cols within n values. */
function shape(n: number, h: Hyper): [number, number] {
  const rows = Math.min(h.rows, n);
  return rows === 0 ? [0, 0] : [rows, Math.floor(n / rows)];
}

const none = () => [0, 0, 0, 0, 0];

const SPECS: Record<string, FactorSpec> = {
  f32_adafactor_factors: {
    positive: [1, 2],
    writes: () => [1, 2],
    call: (k, [g, r, c], n, h) => k.f32_adafactor_factors(g!, r!, c!, ...shape(n, h), h.w, h.omw),
    scale: none,
    mutants: {
      "weighs the old factor as the new mean (w and 1 − w swapped)": (h) => ({ ...h, w: h.omw, omw: h.w }),
      "is off by one ulp in the weight": (h) => ({ ...h, w: ulpsAway(h.w, 1) }),
    },
  },
  f32_adafactor_factored_dir: {
    positive: [2, 3],
    writes: () => [0],
    call: (k, [u, g, r, c], n, h) => k.f32_adafactor_factored_dir(u!, g!, r!, c!, ...shape(n, h), h.m, h.eps1Sq, h.gradSign),
    scale: none,
    mutants: {
      "is off by one ulp in the row mean m": (h) => ({ ...h, m: ulpsAway(h.m, 1) }),
      "ignores the floor ε1²": (h) => ({ ...h, eps1Sq: 0 }),
      "ignores maximize": (h) => ({ ...h, gradSign: 1 }),
    },
  },
  f32_adafactor_vector_dir: {
    positive: [2],
    writes: () => [0, 2],
    call: (k, [u, g, v], n, h) => k.f32_adafactor_vector_dir(u!, g!, v!, n, h.w, h.omw, h.eps1Sq, h.gradSign),
    scale: none,
    mutants: {
      "weighs the old variance as the new square (w and 1 − w swapped)": (h) => ({ ...h, w: h.omw, omw: h.w }),
      "ignores the floor ε1²": (h) => ({ ...h, eps1Sq: 0 }),
      "ignores maximize": (h) => ({ ...h, gradSign: 1 }),
    },
  },
  f32_axpby: {
    positive: [],
    writes: () => [0],
    call: (k, [p, u], n, h) => k.f32_axpby(p!, u!, n, h.step, h.decay),
    scale: ([p, u], _y, i, h) => [abs(h.step * u![i]!) + abs(p![i]! * h.decay), 0],
    mutants: {
      "skips the weight decay": (h) => ({ ...h, decay: 1 }),
      "steps with the opposite sign": (h) => ({ ...h, step: -h.step }),
    },
  },
};

const unit = (min: number, max: number) => uniform(min, max).map(Math.fround);

function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
    rows: fc.integer({ min: 1, max: 9 }),
    w: fc.oneof(fc.constant(1), unit(1e-3, 1)),
    m: wide ? unit(1e-30, 1e30) : unit(1e-3, 10),
    eps1Sq: fc.oneof(fc.constant(2 ** -46), unit(1e-8, 1)),
    gradSign: fc.constantFrom(1, -1),
    decay: wide ? unit(-1, 2) : unit(0.5, 1),
    step: wide ? unit(-10, 10) : unit(-1, 1),
  }).map((h) => ({ ...h, omw: Math.fround(1 - h.w) }));
}

function inputs(spec: FactorSpec, wide: boolean) {
  const vec = (n: number, positive: boolean) => {
    const hi = wide ? Math.fround(Math.sqrt(HUGE)) : 10; // squares of g stay finite
    const element = fc.float({ min: positive ? 0 : -hi, max: hi, noNaN: true });
    return fc.array(element, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  };
  return kernelInputs((n) => fc.tuple(...[0, 1, 2, 3, 4].map((j) => vec(n, spec.positive.includes(j)))));
}

describe("Adafactor kernels and f32_axpby vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 4 });
});
