// Property tests of elementwise optimizer kernels against their JavaScript twins: on any input (random lengths
// 0..2000, random alignment, random hyperparameters) the simd and scalar builds write the same bits as the twin,
// touch nothing past the end and leave the buffers they do not update alone; the relaxed-SIMD build (fused
// multiply-adds) stays within a few ulps of the magnitude of the terms, given per kernel by its `scale`. Each
// kernel also lists plausible bugs (`mutants`: what a wrong kernel would compute with instead of the drawn
// hyperparameters); both checks must fail on each of them, so that a tolerance is known to be able to fail.
import fc from "fast-check";
import { beforeAll, expect, it } from "vitest";
import { createEngine, isBackendSupported, type Backend, type Engine, type F32Slice } from "../../src/index.js";
import type { Kernels } from "../../src/kernels/kernels.js";

export const MAX_N = 2000;
const BUFFERS = 5;
export const SENTINEL = 12345.5;
export const HUGE = Math.fround(1e30);
export const exactBackends = ["simd", "scalar"] as const;
const relaxed = isBackendSupported("relaxed-simd");

/** The vectors of one run (one per buffer, all of one length), loaded at element offset `shift`. */
export interface KernelInputs {
  shift: number;
  vectors: Float32Array[];
}

/** One kernel under test; H holds the hyperparameters drawn for a run, each kernel takes the ones it uses. */
export interface KernelSpec<H> {
  /** Indices of the buffers the kernel writes; the others must stay as they were. */
  writes: (h: H) => number[];
  call: (k: Kernels, ptr: number[], n: number, h: H) => void;
  /** Per buffer, for element i: a magnitude that bounds the rounding error of the relaxed build (float64, from the
   * inputs x and the twin's outputs y). */
  scale: (x: Float32Array[], y: Float32Array[], i: number, h: H) => number[];
  /** Plausible bugs, by what the wrong kernel does: each maps the drawn hyperparameters to the ones a kernel with
   * that bug would in effect compute with (a term dropped, a sign flipped, an argument off by an ulp ...). The
   * bit-identity check and the relaxed bound must each fail on every one of them. */
  mutants?: Record<string, (h: H) => H>;
}

/** The same spec, called with mutated hyperparameters (see KernelSpec.mutants). */
export function mutated<H, S extends KernelSpec<H>>(spec: S, mutate: (h: H) => H): S {
  return { ...spec, call: (k, ptr, n, h) => spec.call(k, ptr, n, mutate(h)) };
}

/** x moved by `ulps` units in the last place of float32, away from zero (0 becomes the `ulps`-th subnormal). */
export function ulpsAway(x: number, ulps: number): number {
  const bits = new Uint32Array(Float32Array.of(x).buffer);
  bits[0] = bits[0]! + ulps;
  return new Float32Array(bits.buffer)[0]!;
}

/** A double in [min, max]: half of the draws uniform over the interval, half from fc.double, which draws uniformly
 * over the representable values and so mostly near 0 or the ends (fc.double({ min: 0, max: 1 }) is below 1e-3
 * nine times in ten: the updates would be too small to test anything). */
export function uniform(min: number, max: number): fc.Arbitrary<number> {
  const linear = fc.integer({ min: 0, max: 2 ** 30 }).map((i) => Math.min(max, min + (max - min) * (i / 2 ** 30)));
  return fc.oneof(linear, fc.double({ min, max, noNaN: true }));
}

/** Runs a kernel on one backend: loads the inputs (a sentinel just past the end), returns the buffers. */
export type KernelRunner = <H>(backend: Backend, spec: KernelSpec<H>, inputs: KernelInputs, h: H) => Float32Array[];

/** Engines for js, simd, scalar and (where supported) relaxed-simd, made before the calling file's tests. */
export function kernelRunner(): KernelRunner {
  const benches = new Map<Backend, { engine: Engine; buffers: F32Slice[] }>();
  beforeAll(async () => {
    for (const backend of ["js", ...exactBackends, ...(relaxed ? ["relaxed-simd" as const] : [])] as const) {
      const engine = await createEngine({ backend });
      benches.set(backend, { engine, buffers: Array.from({ length: BUFFERS }, () => engine.allocF32(MAX_N + 8)) });
    }
  });
  return (backend, spec, { shift, vectors }, h) => {
    const bench = benches.get(backend)!;
    const n = vectors[0]!.length;
    bench.buffers.forEach((b, j) => {
      b.array.fill(0).set(vectors[j]!, shift);
      b.array[shift + n] = SENTINEL;
    });
    spec.call(bench.engine.kernels, bench.buffers.map((b) => b.ptr + 4 * shift), n, h);
    return bench.buffers.map((b) => b.array.slice(shift, shift + n + 1));
  };
}

/** Inputs of a random length (and the lengths around the f32x4 tail that matter most) at a random alignment. */
export function kernelInputs(vectors: (n: number) => fc.Arbitrary<Float32Array[]>): fc.Arbitrary<KernelInputs> {
  const length = fc.oneof(fc.integer({ min: 0, max: MAX_N }), fc.constantFrom(0, 1, 3, 4, 5, 7, 8, 15, 16, 17, 1001));
  return length.chain((n) => fc.record({ shift: fc.integer({ min: 0, max: 3 }), vectors: vectors(n) }));
}

/** Index of the first element whose bits differ (NaN equals NaN, +0 differs from −0), or −1. */
export function firstDifference(a: Float32Array, b: Float32Array): number {
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i]) && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return i;
  return a.length === b.length ? -1 : a.length;
}

export interface KernelPropertyOptions<H, S> {
  /** Wide inputs for the bit-identity check; well-conditioned ones for the relaxed check. */
  inputs: (spec: S, wide: boolean) => fc.Arbitrary<KernelInputs>;
  /** Wide hyperparameters for the bit-identity check; well-conditioned ones for the relaxed check. */
  hyper: (wide: boolean) => fc.Arbitrary<H>;
  /** The relaxed build's error bound: this many ulps of the scale, plus the absolute rounding of subnormals. */
  ulps: number;
}

/** The bit-identity property: simd and scalar (running `tested`, the spec or a mutant) write the twin's bits. */
function exactProperty<H, S extends KernelSpec<H>>(
  runOn: KernelRunner, name: string, spec: S, tested: S, { inputs, hyper }: KernelPropertyOptions<H, S>,
) {
  return fc.property(inputs(spec, true), hyper(true), (input, h) => {
    const expected = runOn("js", spec, input, h);
    const n = input.vectors[0]!.length;
    const writes = spec.writes(h);
    expected.forEach((buf, j) => {
      expect(buf[n], `${name}: js wrote past the end of buffer ${j}`).toBe(SENTINEL);
      if (!writes.includes(j)) expect(firstDifference(buf.subarray(0, n), input.vectors[j]!), `js wrote buffer ${j}`).toBe(-1);
    });
    for (const backend of exactBackends) {
      const got = runOn(backend, tested, input, h);
      got.forEach((buf, j) => {
        const at = firstDifference(buf, expected[j]!);
        expect(at, `${backend}: buffer ${j} element ${at}: ${buf[at]} vs ${expected[j]![at]}`).toBe(-1);
      });
    }
  });
}

/** The relaxed property: relaxed-simd (running `tested`) stays within `ulps` of the scale of the twin's result. */
function relaxedProperty<H, S extends KernelSpec<H>>(
  runOn: KernelRunner, spec: S, tested: S, { inputs, hyper, ulps }: KernelPropertyOptions<H, S>,
) {
  return fc.property(inputs(spec, false), hyper(false), (input, h) => {
    const expected = runOn("js", spec, input, h);
    const got = runOn("relaxed-simd", tested, input, h);
    const n = input.vectors[0]!.length;
    for (let i = 0; i < n; i++) {
      const scales = spec.scale(input.vectors, expected, i, h);
      for (const j of spec.writes(h)) {
        const bound = ulps * 2 ** -23 * scales[j]! + 2 ** -126;
        const error = Math.abs(got[j]![i]! - expected[j]![i]!);
        expect(error, `buffer ${j} element ${i}: ${got[j]![i]} vs ${expected[j]![i]}`).toBeLessThanOrEqual(bound);
      }
    }
    got.forEach((buf) => expect(buf[n]).toBe(SENTINEL));
  });
}

/** For each kernel, the bit-identity test of simd and scalar and (where supported) the relaxed-simd bound test,
 * and for each of its mutants, a test that both fail on it. */
export function kernelPropertyTests<H, S extends KernelSpec<H>>(
  runOn: KernelRunner,
  specs: Record<string, S>,
  options: KernelPropertyOptions<H, S>,
): void {
  for (const [name, spec] of Object.entries(specs)) {
    it(`${name}: simd and scalar write the twin's bits and nothing else`, () => {
      fc.assert(exactProperty(runOn, name, spec, spec, options), { numRuns: 40 });
    });

    it.runIf(relaxed)(`${name}: relaxed-simd within rounding of the twin`, () => {
      fc.assert(relaxedProperty(runOn, spec, spec, options), { numRuns: 25 });
    });

    for (const [bug, mutate] of Object.entries(spec.mutants ?? {})) {
      // Four times the runs of the checks themselves: a mutant that only some draws expose (a term that vanishes
      // for weightDecay 0) must be caught under every seed, not most (FC_SEED=random once missed ASGD's in 25 runs).
      it(`${name}: both checks fail on a kernel that ${bug}`, () => {
        const wrong = mutated<H, S>(spec, mutate);
        expect(fc.check(exactProperty(runOn, name, spec, wrong, options), { numRuns: 160, endOnFailure: true }).failed, "bit identity").toBe(true);
        if (relaxed) expect(fc.check(relaxedProperty(runOn, spec, wrong, options), { numRuns: 100, endOnFailure: true }).failed, "relaxed bound").toBe(true);
      });
    }

    const written = [...new Set(fc.sample(options.hyper(true), { numRuns: 20, seed: 1 }).flatMap((h) => spec.writes(h)))].sort();
    it(`${name}: the bit-identity check fails on one ulp in any buffer the kernel writes (${written.join(", ")})`, () => {
      for (const j of written) {
        const perturbed: KernelRunner = (backend, s, input, h) => {
          const out = runOn(backend, s, input, h);
          const n = input.vectors[0]!.length;
          if (backend !== "js" && n > 0 && s.writes(h).includes(j)) out[j]![n >> 1] = ulpsAway(out[j]![n >> 1]!, 1);
          return out;
        };
        expect(fc.check(exactProperty(perturbed, name, spec, spec, options), { numRuns: 40, endOnFailure: true }).failed, `buffer ${j}`).toBe(true);
      }
    });
  }
}
