// The Adagrad, RMSprop, Adadelta, Rprop and ASGD kernels against their JavaScript twins: on any input (random
// lengths 0..2000, random alignment, random hyperparameters, wide float32 values) the simd and scalar builds write
// the same bits as the twin, touch nothing past the end and leave the buffers they do not update alone. The
// relaxed-SIMD build (fused multiply-adds) stays within a forward-error bound of the twin on well-conditioned
// inputs (state of moderate size, RMSprop's centered variance bounded away from 0); Rprop has no multiply-add
// and must match bit for bit there too.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  exactBackends, HUGE, kernelInputs, kernelPropertyTests, kernelRunner, type KernelSpec, uniform,
} from "./helpers/kernel-property.js";

const abs = Math.abs;
const runOn = kernelRunner();

/** Hyperparameters, drawn once per run; each kernel reads the ones it uses. */
interface Hyper {
  lr: number;
  eps: number;
  weightDecay: number;
  /** alpha (RMSprop), rho (Adadelta). */
  avg: number;
  momentum: number;
  flag: number;
  gradSign: number;
  etaMinus: number;
  etaPlus: number;
  stepMin: number;
  stepMax: number;
  /** ASGD's eta, decay = 1 − lambd·eta and mu. */
  eta: number;
  decay: number;
  mu: number;
}

/** What a vector holds: signed values, non-negative state, or values with many exact zeros (Rprop's prev). */
type Kind = "signed" | "positive" | "zeros";

interface MiscSpec extends KernelSpec<Hyper> {
  /** The kind of each of the five buffers. */
  kinds: readonly Kind[];
  /** Well-conditioned inputs for the relaxed check, from the drawn vectors (e.g. RMSprop's v ≥ 2ḡ²). */
  condition?: (v: Float32Array[]) => void;
}

/** x · a / b: x carrying the relative error a / b of a denominator; 0 when x or a is 0. */
function carried(x: number, a: number, b: number): number {
  if (x === 0 || a === 0) return 0;
  return b === 0 ? Infinity : x * (a / b);
}

/** a · b, where 0 · ∞ = 0 (a zero learning rate leaves no room for any error). */
function times(a: number, b: number): number {
  return a === 0 || b === 0 ? 0 : a * b;
}

/** |λθ| + |g|: the magnitude of the terms of g = ±g + λθ. */
function gradScale(p: number, g: number, h: Hyper): number {
  return h.weightDecay * abs(p) + abs(g);
}

const SPECS: Record<string, MiscSpec> = {
  f32_adagrad: {
    kinds: ["signed", "signed", "positive", "positive", "positive"],
    writes: () => [0, 2],
    call: (k, [p, g, sum], n, h) => k.f32_adagrad(p!, g!, sum!, n, h.lr, h.eps, h.weightDecay, h.gradSign),
    scale: ([p, g, sum], [, , S], i, h) => {
      const gm = gradScale(p![i]!, g![i]!, h);
      const sm = gm * gm + sum![i]!;
      const G = h.weightDecay * p![i]! + h.gradSign * g![i]!;
      const std = Math.sqrt(S![i]!) + h.eps;
      return [abs(p![i]!) + times(h.lr, (gm + carried(abs(G), sm, S![i]!)) / std), 0, sm];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
    },
  },
  f32_rmsprop: {
    kinds: ["signed", "signed", "positive", "signed", "signed"],
    condition: ([, , v, a]) => {
      for (let i = 0; i < v!.length; i++) v![i] = Math.fround(v![i]! + 2 * a![i]! * a![i]!);
    },
    writes: (h) => [0, 2, ...(h.flag ? [3] : []), ...(h.momentum > 0 ? [4] : [])],
    call: (k, [p, g, v, a, b], n, h) =>
      k.f32_rmsprop(p!, g!, v!, a!, b!, n, h.lr, h.avg, 1 - h.avg, h.eps, h.weightDecay, h.momentum, h.flag, h.gradSign),
    scale: ([p, g, v, a, b], [, , V, A], i, h) => {
      const gm = gradScale(p![i]!, g![i]!, h);
      const G = h.weightDecay * p![i]! + h.gradSign * g![i]!;
      const vm = (1 - h.avg) * gm * gm + h.avg * v![i]!;
      const am = (1 - h.avg) * gm + h.avg * abs(a![i]!);
      const variance = h.flag ? Math.max(V![i]! - A![i]! * A![i]!, 0) : V![i]!; // float32 may round it to 0
      const varianceScale = h.flag ? vm + 2 * abs(A![i]!) * am + A![i]! * A![i]! : vm;
      const avg = Math.sqrt(variance) + h.eps;
      const quotient = (gm + carried(abs(G), varianceScale, variance)) / avg;
      const bm = h.momentum * abs(b![i]!) + quotient;
      return [abs(p![i]!) + times(h.lr, h.momentum > 0 ? bm : quotient), 0, vm, am, bm];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "centers when it should not, and not when it should": (h) => ({ ...h, flag: 1 - h.flag }),
      "swaps alpha and 1 − alpha": (h) => ({ ...h, avg: 1 - h.avg }),
    },
  },
  f32_adadelta: {
    kinds: ["signed", "signed", "positive", "positive", "positive"],
    writes: () => [0, 2, 3],
    call: (k, [p, g, v, u], n, h) => k.f32_adadelta(p!, g!, v!, u!, n, h.lr, h.avg, 1 - h.avg, h.eps, h.weightDecay, h.gradSign),
    scale: ([p, g, v, u], [, , V], i, h) => {
      const gm = gradScale(p![i]!, g![i]!, h);
      const G = h.weightDecay * p![i]! + h.gradSign * g![i]!;
      const vm = (1 - h.avg) * gm * gm + h.avg * v![i]!;
      const gain = Math.sqrt(u![i]! + h.eps) / Math.sqrt(V![i]! + h.eps);
      const dm = gain * (gm + carried(abs(G), vm, V![i]! + h.eps));
      const delta = gain * abs(G);
      return [abs(p![i]!) + times(h.lr, dm), 0, vm, h.avg * u![i]! + (1 - h.avg) * (delta * delta + 2 * delta * dm)];
    },
    mutants: {
      "subtracts eps": (h) => ({ ...h, eps: -h.eps }),
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "swaps rho and 1 − rho": (h) => ({ ...h, avg: 1 - h.avg }),
    },
  },
  f32_rprop: {
    kinds: ["signed", "signed", "zeros", "positive", "positive"],
    writes: () => [0, 2, 3],
    call: (k, [p, g, prev, step], n, h) =>
      k.f32_rprop(p!, g!, prev!, step!, n, h.etaMinus, h.etaPlus, h.stepMin, h.stepMax, h.gradSign),
    scale: () => [0, 0, 0, 0, 0], // no multiply-add: the relaxed build must give the same bits
    mutants: {
      "swaps etaminus and etaplus": (h) => ({ ...h, etaMinus: h.etaPlus, etaPlus: h.etaMinus }),
      "maximizes when it should minimize, and the other way round": (h) => ({ ...h, gradSign: -h.gradSign }),
    },
  },
  f32_asgd: {
    kinds: ["signed", "signed", "signed", "positive", "positive"],
    writes: () => [0, 2],
    call: (k, [p, g, ax], n, h) => k.f32_asgd(p!, g!, ax!, n, h.eta, h.decay, h.weightDecay, h.mu, h.flag, h.gradSign),
    scale: ([p, g, ax], _y, i, h) => {
      const pm = abs(p![i]! * h.decay) + h.eta * gradScale(p![i]!, g![i]!, h);
      return [pm, 0, h.flag ? abs(ax![i]!) + h.mu * (pm + abs(ax![i]!)) : pm];
    },
    mutants: {
      "ignores the weight decay": (h) => ({ ...h, weightDecay: 0 }),
      "skips the decay 1 − λη": (h) => ({ ...h, decay: 1 }),
      "averages when it should copy, and the other way round": (h) => ({ ...h, flag: 1 - h.flag }),
    },
  },
};

/** A float32 value in [min, max] (what the kernels see of a hyperparameter). */
const unit = (min: number, max: number) => uniform(min, max).map(Math.fround);

/** Wide hyperparameters for the bit-identity check; well-conditioned ones for the relaxed check. */
function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
    lr: wide ? unit(0, 10) : unit(0, 1),
    eps: wide ? unit(0, 1) : unit(1e-8, 1e-2),
    weightDecay: wide ? unit(0, 10) : fc.oneof(fc.constant(0), unit(1e-3, 1)),
    avg: wide ? unit(0, 1) : unit(0.5, 0.999),
    momentum: fc.oneof(fc.constant(0), wide ? unit(0, 2) : unit(0, 0.99)),
    flag: fc.constantFrom(0, 1),
    gradSign: fc.constantFrom(1, -1),
    etaMinus: unit(1e-3, 0.999),
    etaPlus: unit(1.001, 5),
    stepMin: unit(0, 1e-2),
    stepMax: unit(1e-2, 100),
    eta: wide ? unit(0, 10) : unit(0, 1),
    decay: wide ? unit(-1, 2) : unit(0.5, 1),
    mu: wide ? unit(0, 2) : unit(0, 1),
  });
}

function inputs(spec: MiscSpec, wide: boolean) {
  const vec = (n: number, kind: Kind): fc.Arbitrary<Float32Array> => {
    const lo = kind === "positive" ? 0 : wide ? -HUGE : -10;
    const hi = wide ? HUGE : 10;
    // Well-conditioned values are 0 or of magnitude 1e-3..10: no squares underflow to 0 next to a non-zero value.
    const element = wide
      ? fc.float({ min: lo, max: hi, noNaN: true })
      : fc.float({ min: lo, max: hi, noNaN: true }).map((x) => (abs(x) < 1e-3 ? 0 : x));
    const values = kind === "zeros" ? fc.oneof(fc.constant(0), element) : element;
    return fc.array(values, { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  };
  return kernelInputs((n) =>
    fc.tuple(...spec.kinds.map((kind) => vec(n, kind))).map((v) => (wide || spec.condition?.(v), v)),
  );
}

describe("Adagrad, RMSprop, Adadelta, Rprop and ASGD kernels vs their JavaScript twins", () => {
  kernelPropertyTests(runOn, SPECS, { inputs, hyper, ulps: 16 });

  it("Rprop grows, shrinks and clamps the step sizes and skips the update where the gradient changed sign", () => {
    // g·prev > 0: η·1.5 = 0.3;  < 0: η·0.5 = 0.1, no step, prev = 0;  = 0: η kept;  clamped to [0.05, 0.4].
    const p = Float32Array.from([1, 1, 1, 1, 1]);
    const g = Float32Array.from([2, -2, 3, 1, -1]);
    const prev = Float32Array.from([1, 1, 0, 1, -1]);
    const step = Float32Array.from([0.2, 0.2, 0.2, 0.3, 0.06]);
    for (const backend of ["js", ...exactBackends] as const) {
      const hyperparameters = { etaMinus: 0.5, etaPlus: 1.5, stepMin: 0.05, stepMax: 0.4, gradSign: 1 } as Hyper;
      const [P, , PREV, STEP] = runOn(backend, SPECS.f32_rprop!, { shift: 1, vectors: [p, g, prev, step, new Float32Array(5)] }, hyperparameters);
      const f = Math.fround;
      const sizes = [f(f(0.2) * 1.5), f(f(0.2) * 0.5), f(0.2), f(0.4), f(f(0.06) * 1.5)];
      expect(Array.from(STEP!.subarray(0, 5)), backend).toEqual(sizes);
      expect(Array.from(PREV!.subarray(0, 5)), backend).toEqual([2, 0, 3, 1, -1]);
      expect(Array.from(P!.subarray(0, 5)), backend).toEqual([f(1 - sizes[0]!), 1, f(1 - sizes[2]!), f(1 - sizes[3]!), f(1 + sizes[4]!)]);
    }
  });
});
