// The Adam-family and Lion kernels against their JavaScript twins: on any input (random lengths 0..2000, random
// alignment, random hyperparameters, wide float32 values) the simd and scalar builds write the same bits as the
// twin, touch nothing past the end and leave unused buffers alone. The relaxed-SIMD build (fused multiply-adds)
// stays within a forward-error bound of the twin, on well-conditioned inputs: moments of moderate size and a
// second moment bounded away from zero, as in training.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, isBackendSupported, type Backend, type Engine, type F32Slice } from "../src/index.js";
import type { Kernels } from "../src/kernels/kernels.js";

const MAX_N = 2000;
const BUFFERS = 5;
const exactBackends = ["simd", "scalar"] as const;
const relaxed = isBackendSupported("relaxed-simd");

interface Bench {
  engine: Engine;
  buffers: F32Slice[];
}
const benches = new Map<Backend, Bench>();

beforeAll(async () => {
  for (const backend of ["js", ...exactBackends, ...(relaxed ? ["relaxed-simd" as const] : [])] as const) {
    const engine = await createEngine({ backend });
    const buffers = Array.from({ length: BUFFERS }, () => engine.allocF32(MAX_N + 8));
    benches.set(backend, { engine, buffers });
  }
});

/** Hyperparameters, drawn once per run; each kernel takes the ones it uses. */
interface Hyper {
  beta1: number;
  beta2: number;
  eps: number;
  weightDecay: number;
  decay: number;
  stepSize: number;
  bc2: number;
  gradCoef: number;
  avgCoef: number;
  gradSign: number;
  flag: number;
}

/** The vectors of one run: p, g, m (any sign) and two non-negative second-moment buffers. */
interface Inputs {
  shift: number;
  vectors: Float32Array[];
}

interface KernelSpec {
  /** Indices of the buffers the kernel writes; the others must stay as they were. */
  writes: (h: Hyper) => number[];
  call: (k: Kernels, ptr: number[], n: number, h: Hyper) => void;
  /** Per output buffer, per element: the magnitude that bounds the rounding error (float64, from the inputs and
   * the twin's outputs). */
  scale: (x: Float32Array[], out: Float32Array[], i: number, h: Hyper) => number[];
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

function adamSpec(decoupled: boolean): KernelSpec {
  return {
    writes: (h) => (h.flag ? [0, 2, 3, 4] : [0, 2, 3]),
    call: (k, [p, g, m, v, vmax], n, h) =>
      (decoupled ? k.f32_adamw : k.f32_adam)(p!, g!, m!, v!, vmax!, n, h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2,
        h.eps, decoupled ? h.decay : h.weightDecay, h.stepSize, h.bc2, h.gradSign, h.flag),
    scale: ([p, g, m, v, vmax], [, , M, V, VM], i, h) => {
      const pi = decoupled ? p![i]! * h.decay : p![i]!;
      const { mm, vm } = momentScales(pi, g![i]!, m![i]!, v![i]!, h, decoupled ? 0 : h.weightDecay);
      const vUsed = h.flag ? VM![i]! : V![i]!;
      const vmUsed = h.flag ? Math.max(vm, vmax![i]!) : vm;
      const d = Math.sqrt(vUsed) / h.bc2 + h.eps;
      return [stepScale(pi, h.stepSize, mm, M![i]!, d, vmUsed, vUsed), 0, mm, vm, vmUsed];
    },
  };
}

const SPECS: Record<string, KernelSpec> = {
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
  },
};

const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true });

/** Wide hyperparameters for the bit-identity check; well-conditioned ones for the relaxed check. */
function hyper(wide: boolean): fc.Arbitrary<Hyper> {
  return fc.record({
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
}

function inputs(wide: boolean): fc.Arbitrary<Inputs> {
  const vec = (n: number, min: number, max: number) =>
    wide
      ? fc.float32Array({ minLength: n, maxLength: n, noNaN: true, min: min < 0 ? -HUGE : 0, max: HUGE })
      : fc.array(fc.float({ min: f(min), max: f(max), noNaN: true }), { minLength: n, maxLength: n }).map((a) => Float32Array.from(a));
  // Random lengths, and the ones around the f32x4 tail that matter most.
  const length = fc.oneof(fc.integer({ min: 0, max: MAX_N }), fc.constantFrom(0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 1001));
  return length.chain((n) =>
    fc.record({
      shift: fc.integer({ min: 0, max: 3 }),
      vectors: fc.tuple(vec(n, -10, 10), vec(n, -10, 10), vec(n, -10, 10), vec(n, 1e-2, 100), vec(n, 1e-2, 100)),
    }),
  );
}

const SENTINEL = 12345.5;
const HUGE = f(1e30);

/** Loads the inputs at element offset `shift` (sentinels just past the end), runs the kernel, returns the buffers. */
function runOn(backend: Backend, spec: KernelSpec, { shift, vectors }: Inputs, h: Hyper): Float32Array[] {
  const bench = benches.get(backend)!;
  const n = vectors[0]!.length;
  bench.buffers.forEach((b, j) => {
    b.array.fill(0).set(vectors[j]!, shift);
    b.array[shift + n] = SENTINEL;
  });
  spec.call(bench.engine.kernels, bench.buffers.map((b) => b.ptr + 4 * shift), n, h);
  return bench.buffers.map((b) => b.array.slice(shift, shift + n + 1));
}

/** Index of the first element whose bits differ (NaN equals NaN, +0 differs from −0), or −1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return a.length === b.length ? -1 : a.length;
}

describe("Adam-family and Lion kernels vs their JavaScript twins", () => {
  for (const [name, spec] of Object.entries(SPECS)) {
    it(`${name}: simd and scalar write the twin's bits and nothing else`, () => {
      fc.assert(
        fc.property(inputs(true), hyper(true), (input, h) => {
          const expected = runOn("js", spec, input, h);
          const n = input.vectors[0]!.length;
          const writes = spec.writes(h);
          expected.forEach((buf, j) => {
            expect(buf[n], `${name}: js wrote past the end of buffer ${j}`).toBe(SENTINEL);
            if (!writes.includes(j)) expect(firstDifference(buf.subarray(0, n), input.vectors[j]!)).toBe(-1);
          });
          for (const backend of exactBackends) {
            const got = runOn(backend, spec, input, h);
            got.forEach((buf, j) => {
              const at = firstDifference(buf, expected[j]!);
              expect(at, `${backend}: buffer ${j} element ${at}: ${buf[at]} vs ${expected[j]![at]}`).toBe(-1);
            });
          }
        }),
        { numRuns: 40 },
      );
    });

    it.runIf(relaxed)(`${name}: relaxed-simd within rounding of the twin`, () => {
      fc.assert(
        fc.property(inputs(false), hyper(false), (input, h) => {
          const expected = runOn("js", spec, input, h);
          const got = runOn("relaxed-simd", spec, input, h);
          const n = input.vectors[0]!.length;
          for (let i = 0; i < n; i++) {
            const scales = spec.scale(input.vectors, expected, i, h);
            spec.writes(h).forEach((j) => {
              // 8 ulps of the magnitude of the terms, plus the absolute rounding of subnormals.
              const bound = 2 ** -20 * scales[j]! + 2 ** -126;
              const error = abs(got[j]![i]! - expected[j]![i]!);
              expect(error, `buffer ${j} element ${i}: ${got[j]![i]} vs ${expected[j]![i]}`).toBeLessThanOrEqual(bound);
            });
          }
          got.forEach((buf) => expect(buf[n]).toBe(SENTINEL));
        }),
        { numRuns: 25 },
      );
    });
  }

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
