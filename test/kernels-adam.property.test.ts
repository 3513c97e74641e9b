// The Adam-family and Lion kernels against their JavaScript twins: on any input (random lengths 0..2000, random
// alignment, random hyperparameters, wide float32 values) the simd and scalar builds write the same bits as the
// twin, touch nothing past the end and leave unused buffers alone. The relaxed-SIMD build (fused multiply-adds)
// stays within a forward-error bound of the twin, on well-conditioned inputs: moments of moderate size and a
// second moment bounded away from zero, as in training.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exactBackends, HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, uniform,
} from "./helpers/kernel-property.js";

const runOn = kernelRunner();

/** Hyperparameters, drawn once per run; each kernel takes the ones it uses. */
interface Hyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decay: number;
  stepSize: number;
  /** The second moment's bias correction 1 − β2^t: NAdam's argument. */
  bc2: number;
  /** 1 / √bc2: Adam's and AdamW's argument, by which they multiply √v. */
  invBc2Sqrt: number;
  gradCoef: number;
  avgCoef: number;
  gradSign: number;
  flag: number;
}

const abs = Math.abs;
const f = Math.fround;

/** Magnitudes of g = λθ + g, m = β1 m + (1 − β1) g, v = β2 v + (1 − β2) g². */
function momentScales(p: number, g: number, m: number, v: number, h: Hyper, l2: number) {
  const gm = l2 * abs(p) + abs(g);
  const mm = h.beta1 * abs(m) + (1 - h.beta1) * gm;
  const vm = (1 - h.beta2) * gm * gm + h.beta2 * abs(v);
  return { gm, mm, vm };
}

/** a / b, or 0 when both are 0. */
function ratio(a: number, b: number): number {
  return a === 0 ? 0 : a / b;
}

/** θ + c · m / d, where d carries the relative error of v (vm / v) through a square root. */
function stepScale(p: number, c: number, mm: number, mOut: number, d: number, vm: number, v: number): number {
  return c === 0 ? abs(p) : abs(p) + (abs(c) * (mm + abs(mOut) * ratio(vm, v))) / d;
}

function adamSpec(decoupled: boolean): KernelSpec<Hyper> {
  return {
    writes: (h) => (h.flag ? [0, 2, 3, 4] : [0, 2, 3]),
    call: (k, [p, g, m, v, vmax], n, h) =>
      (decoupled ? k.f32_adamw : k.f32_adam)(p!, g!, m!, v!, vmax!, n, h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2,
        h.eps, decoupled ? h.decay : h.weightDecay, h.stepSize, h.invBc2Sqrt, h.gradSign, h.flag),
    scale: ([p, g, m, v, vmax], [, , M, V, VM], i, h) => {
      const pi = decoupled ? p![i]! * h.decay : p![i]!;
      const { mm, vm } = momentScales(pi, g![i]!, m![i]!, v![i]!, h, decoupled ? 0 : h.weightDecay);
      const vUsed = h.flag ? VM![i]! : V![i]!;
      const vmUsed = h.flag ? Math.max(vm, vmax![i]!) : vm;
      const d = Math.sqrt(vUsed) * h.invBc2Sqrt + h.eps; // the kernel's denominator √v̂ · (1/√bc2) + ε
      return [stepScale(pi, h.stepSize, mm, M![i]!, d, vmUsed, vUsed), 0, mm, vm, vmUsed];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "takes bc2 for invBc2Sqrt": (h) => ({ ...h, invBc2Sqrt: h.bc2 }),
      "forgets the bias correction of v": (h) => ({ ...h, invBc2Sqrt: 1 }),
      "uses β1 for β2 in v": (h) => ({ ...h, beta2: h.beta1 }),
      ...(decoupled
        ? { "skips the decoupled weight decay": (h: Hyper) => ({ ...h, decay: 1 }) }
        : { "ignores the weight decay": (h: Hyper) => ({ ...h, weightDecay: 0 }) }),
    },
  };
}

const SPECS: Record<string, KernelSpec<Hyper>> = {
  f32_adam: adamSpec(false),
  f32_adamw: adamSpec(true),
  f32_adamax: {
    writes: () => [0, 2, 3],
    call: (k, [p, g, m, u], n, h) =>
      k.f32_adamax(p!, g!, m!, u!, n, h.beta1, h.beta2, 1 - h.beta1, h.eps, h.weightDecay, h.stepSize, h.gradSign),
    scale: ([p, g, m, u], [, , M, U], i, h) => {
      const { gm, mm } = momentScales(p![i]!, g![i]!, m![i]!, 0, h, h.weightDecay);
      const um = Math.max(h.beta2 * abs(u![i]!), gm + h.eps);
      return [stepScale(p![i]!, h.stepSize, mm, M![i]!, U![i]!, um, U![i]!), 0, mm, um];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "uses β1 for β2 in u": (h) => ({ ...h, beta2: h.beta1 }),
    },
  },
  f32_nadam: {
    writes: () => [0, 2, 3],
    call: (k, [p, g, m, v], n, h) =>
      k.f32_nadam(p!, g!, m!, v!, n, h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2, h.eps, h.weightDecay, h.decay,
        h.bc2, h.gradCoef, h.avgCoef, h.gradSign),
    scale: ([p, g, m, v], [, , , V], i, h) => {
      const pi = p![i]! * h.decay;
      const { gm, mm, vm } = momentScales(pi, g![i]!, m![i]!, v![i]!, h, h.weightDecay);
      const d = Math.sqrt(V![i]! / h.bc2) + h.eps;
      const step = abs(h.gradCoef) * gm + abs(h.avgCoef) * mm;
      return [abs(pi) + (step + step * ratio(vm, V![i]!)) / d, 0, mm, vm];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "takes √bc2 for bc2": (h) => ({ ...h, bc2: Math.sqrt(h.bc2) }),
      "swaps gradCoef and avgCoef": (h) => ({ ...h, gradCoef: h.avgCoef, avgCoef: h.gradCoef }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "skips the decoupled weight decay": (h) => ({ ...h, decay: 1 }),
    },
  },
  f32_radam: {
    writes: () => [0, 2, 3],
    call: (k, [p, g, m, v], n, h) =>
      k.f32_radam(p!, g!, m!, v!, n, h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2, h.eps, h.weightDecay, h.decay,
        h.stepSize, h.flag, h.gradSign),
    scale: ([p, g, m, v], [, , M, V], i, h) => {
      const pi = p![i]! * h.decay;
      const { mm, vm } = momentScales(pi, g![i]!, m![i]!, v![i]!, h, h.weightDecay);
      const ps = h.flag ? stepScale(pi, h.stepSize, mm, M![i]!, Math.sqrt(V![i]!) + h.eps, vm, V![i]!) : abs(pi) + h.stepSize * mm;
      return [ps, 0, mm, vm];
    },
    mutants: {
      "rectifies when it should not, and not when it should": (h) => ({ ...h, flag: 1 - h.flag }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "skips the decoupled weight decay": (h) => ({ ...h, decay: 1 }),
      "uses β1 for β2 in v": (h) => ({ ...h, beta2: h.beta1 }),
    },
  },
  f32_lion: {
    writes: () => [0, 2],
    call: (k, [p, g, m], n, h) =>
      k.f32_lion(p!, g!, m!, n, h.stepSize, h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2, h.decay),
    scale: ([p, g, m], _out, i, h) => {
      const [gi, mi] = [g![i]!, m![i]!];
      const cm = f(h.beta1) * abs(mi) + f(1 - h.beta1) * abs(gi);
      const c = f(h.beta1) * mi + f(1 - h.beta1) * gi;
      // Where c is within rounding of 0, fusing may flip its sign: θ may then move by 2 lr the other way.
      const flip = abs(c) <= 1e-6 * cm ? 2e5 : 1;
      return [abs(p![i]! * h.decay) + h.stepSize * flip, 0, h.beta2 * abs(mi) + (1 - h.beta2) * abs(gi)];
    },
    mutants: {
      "swaps β1 and β2": (h) => ({ ...h, beta1: h.beta2, beta2: h.beta1 }),
      "skips the decoupled weight decay": (h) => ({ ...h, decay: 1 }),
    },
  },
};

const unit = uniform;

/** Wide hyperparameters for the bit-identity check; well-conditioned ones for the relaxed check. */
function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  const record = fc.record({
    beta1: unit(0, 0.9999),
    beta2: wide ? unit(0, 0.99999) : unit(0.5, 0.99999), // v ≥ β2 v_{t-1}: bounded away from 0
    eps: wide ? unit(0, 1) : unit(1e-8, 1e-2),
    weightDecay: wide ? unit(0, 10) : unit(0, 1),
    decay: wide ? unit(-1, 2) : unit(0.5, 1),
    stepSize: wide ? unit(0, 10) : unit(0, 1),
    bc2: wide ? unit(1e-4, 1) : unit(1e-2, 1),
    gradCoef: wide ? unit(-10, 10) : unit(-1, 1),
    avgCoef: wide ? unit(-10, 10) : unit(-1, 1),
    gradSign: fc.constantFrom(1, -1),
    flag: fc.constantFrom(0, 1),
  });
  return record.map((h) => ({ ...h, invBc2Sqrt: 1 / Math.sqrt(h.bc2) }));
}

/** The vectors of one run: p, g, m (any sign) and two non-negative second-moment buffers. */
function inputs(wide: boolean) {
  const vec = (n: number, min: number, max: number) =>
    wide
      ? fc.float32Array({ minLength: n, maxLength: n, noNaN: true, min: min < 0 ? -HUGE : 0, max: HUGE })
      : fc.array(fc.float({ min: f(min), max: f(max), noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  return kernelInputs((n) => fc.tuple(vec(n, -10, 10), vec(n, -10, 10), vec(n, -10, 10), vec(n, 1e-2, 100), vec(n, 1e-2, 100)));
}

describe("Adam-family and Lion kernels vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs: (_spec, wide) => inputs(wide), hyper, ulps: 8 });

  it("sign(c) in Lion is ±1, and 0 where the momentum and gradient cancel exactly", () => {
    for (const backend of ["js", ...exactBackends] as const) {
      const p = Float32Array.from([1, 1, 1, 1, 1]);
      const g = Float32Array.from([2, -2, 0, 1e-30, -0]);
      const m = Float32Array.from([0, 0, 0, 0, 0]);
      const out = runOn(backend, SPECS.f32_lion!, { shift: 0, vectors: [p, g, m, new Float32Array(5), new Float32Array(5)] },
        { stepSize: 0.5, beta1: 0.5, beta2: 0.5, decay: 1 } as Hyper);
      expect(Array.from(out[0]!.subarray(0, 5)), backend).toEqual([0.5, 1.5, 1, 0.5, 1]);
    }
  });
});
