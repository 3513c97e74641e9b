// The matrix multiply kernels on every backend against a float64 reference, with the error bound of a float32
// sum of k products: |computed − exact| ≤ (k + 2)·2⁻²⁴·(|C₀| + Σ_p |A[i,p]·B[p,j]|). The blocked SIMD kernel adds
// the products of each C[i,j] in the same order as the naive JS twin, so simd, scalar and js also agree bit for
// bit; the relaxed-SIMD build fuses each multiply-add and is held to the bound only.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Backend, type Engine } from "../src/index.js";
import { GEMM_PACK_FLOATS } from "../src/kernels/reference/gemm.js";
import { Rng } from "../src/engine/rng.js";

type Form = "nn" | "tn" | "nt";
const forms: Form[] = ["nn", "tn", "nt"];
const backends = ["relaxed-simd", "simd", "scalar", "js"] as const satisfies readonly Backend[];
type B = (typeof backends)[number];
const SIZES = [1, 3, 4, 5, 8, 17, 31, 33, 129];
const GUARD = 64; // sentinel floats around C and after the pack scratch
const SENTINEL = -12345.5;
const WORK_FLOATS = 1 << 21;

interface Setup {
  engine: Engine;
  work: number; // byte offset of the workspace
  pack: number;
}
const setups = new Map<B, Setup>();

beforeAll(async () => {
  for (const backend of backends) {
    const engine = await createEngine({ backend });
    const work = engine.allocF32(WORK_FLOATS).ptr;
    const pack = engine.allocF32(GEMM_PACK_FLOATS + 1 + GUARD).ptr;
    setups.set(backend, { engine, work, pack });
  }
});

const heap = (s: Setup) => new Float32Array(s.engine.memory.buffer);

/** Row-major element (i, p) of A as the form stores it, and (p, j) of B. */
const aIndex = (form: Form, i: number, p: number, m: number, k: number) => (form === "tn" ? p * m + i : i * k + p);
const bIndex = (form: Form, p: number, j: number, n: number, k: number) => (form === "nt" ? j * k + p : p * n + j);

interface Problem {
  form: Form;
  m: number;
  n: number;
  k: number;
  accumulate: 0 | 1;
  a: Float32Array;
  b: Float32Array;
  c0: Float32Array;
}

function makeProblem(form: Form, m: number, n: number, k: number, accumulate: 0 | 1, seed: number): Problem {
  const rng = new Rng(seed);
  const fill = (len: number) => Float32Array.from({ length: len }, () => 2 * rng.uniform() - 1);
  return { form, m, n, k, accumulate, a: fill(m * k), b: fill(k * n), c0: fill(m * n) };
}

/** The exact product in float64, and the float32 error bound of each element. */
function reference({ form, m, n, k, accumulate, a, b, c0 }: Problem): { exact: Float64Array; bound: Float64Array } {
  const exact = new Float64Array(m * n);
  const bound = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = accumulate ? c0[i * n + j]! : 0;
      let mag = Math.abs(s);
      for (let p = 0; p < k; p++) {
        const t = a[aIndex(form, i, p, m, k)]! * b[bIndex(form, p, j, n, k)]!;
        s += t;
        mag += Math.abs(t);
      }
      exact[i * n + j] = s;
      bound[i * n + j] = (k + 2) * 2 ** -24 * mag;
    }
  }
  return { exact, bound };
}

/**
 * Runs the problem on one backend with C and the pack scratch one float past 64-byte alignment when `shift` is
 * set, and returns C; checks that the sentinels around C, A and B and after the pack scratch are untouched.
 */
function run(backend: B, pr: Problem, shift = 0): Float32Array {
  const s = setups.get(backend)!;
  const { m, n, k } = pr;
  const f = heap(s);
  const base = s.work >> 2;
  const cAt = base + GUARD + shift;
  const aAt = cAt + m * n + GUARD;
  const bAt = aAt + m * k;
  const end = bAt + k * n;
  const pack = s.pack + 4 * shift;
  const packEnd = (pack >> 2) + GEMM_PACK_FLOATS;
  if (end + GUARD - base > WORK_FLOATS) throw new Error(`problem ${m}×${n}×${k} does not fit the test workspace`);
  f.fill(SENTINEL, base, end + GUARD);
  f.fill(SENTINEL, packEnd, packEnd + GUARD);
  f.set(pr.c0, cAt);
  f.set(pr.a, aAt);
  f.set(pr.b, bAt);
  s.engine.kernels[`f32_gemm_${pr.form}`](4 * cAt, 4 * aAt, 4 * bAt, m, n, k, pr.accumulate, pack);
  const where = `${backend} ${pr.form} ${m}×${n}×${k} accumulate ${pr.accumulate}`;
  const untouched = (from: number, to: number) => f.subarray(from, to).every((x) => x === SENTINEL);
  if (!untouched(base, cAt)) throw new Error(`${where}: wrote before C`);
  if (!untouched(cAt + m * n, aAt)) throw new Error(`${where}: wrote after C`);
  if (!untouched(end, end + GUARD)) throw new Error(`${where}: wrote after B`);
  if (!untouched(packEnd, packEnd + GUARD)) {
    throw new Error(`${where}: wrote past GEMM_PACK_FLOATS of pack scratch`);
  }
  if (!f.subarray(aAt, bAt).every((x, i) => x === pr.a[i]) || !f.subarray(bAt, end).every((x, i) => x === pr.b[i])) {
    throw new Error(`${where}: changed A or B`);
  }
  return f.slice(cAt, cAt + m * n);
}

/** Index of the first element outside the bound, or -1. */
function firstOutside(c: Float32Array, exact: Float64Array, bound: Float64Array): number {
  for (let i = 0; i < c.length; i++) if (!(Math.abs(c[i]! - exact[i]!) <= bound[i]!)) return i;
  return -1;
}

/** Runs a problem on all backends: each within the bound, simd and scalar bitwise equal to js. */
function checkAllBackends(pr: Problem, shift = 0): void {
  const { exact, bound } = reference(pr);
  const out = new Map<B, Float32Array>();
  for (const backend of backends) {
    const c = run(backend, pr, shift);
    const bad = firstOutside(c, exact, bound);
    if (bad >= 0) {
      const where = `${backend} ${pr.form} ${pr.m}×${pr.n}×${pr.k} accumulate ${pr.accumulate}`;
      expect.fail(`${where}: C[${bad}] = ${c[bad]}, exact ${exact[bad]} ± ${bound[bad]}`);
    }
    out.set(backend, c);
  }
  const js = out.get("js")!;
  for (const backend of ["simd", "scalar"] as const) {
    const c = out.get(backend)!;
    const i = c.findIndex((x, i) => !Object.is(x, js[i]));
    if (i >= 0) expect.fail(`${backend} ${pr.form} ${pr.m}×${pr.n}×${pr.k}: C[${i}] = ${c[i]}, js ${js[i]}`);
  }
}

describe.each(forms)("f32_gemm_%s", (form) => {
  it("matches float64 on every shape m, n, k ∈ {1, 3, 4, 5, 8, 17, 31, 33, 129}, accumulate 0 and 1", () => {
    let seed = 1;
    for (const m of SIZES) {
      for (const n of SIZES) {
        for (const k of SIZES) {
          for (const accumulate of [0, 1] as const) checkAllBackends(makeProblem(form, m, n, k, accumulate, seed++), seed & 1);
        }
      }
    }
  });

  it("matches float64 on 128×784×256 and 128×256×784, accumulate 0 and 1", () => {
    checkAllBackends(makeProblem(form, 128, 784, 256, 0, 7));
    checkAllBackends(makeProblem(form, 128, 256, 784, 1, 8), 1);
  });

  it("agrees across backends on random shapes (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 70 }),
        fc.integer({ min: 1, max: 300 }),
        fc.constantFrom<0 | 1>(0, 1),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (m, n, k, accumulate, shift, seed) => checkAllBackends(makeProblem(form, m, n, k, accumulate, seed), shift),
      ),
      { numRuns: 40 },
    );
  });

  it("overwrites C with zeros for k = 0 unless accumulating, and touches nothing for m = 0 or n = 0", () => {
    for (const backend of backends) {
      const zero = run(backend, makeProblem(form, 5, 7, 0, 0, 3));
      expect(Array.from(zero), backend).toEqual(new Array(35).fill(0));
      const kept = makeProblem(form, 5, 7, 0, 1, 3);
      expect(run(backend, kept), backend).toEqual(kept.c0);
      expect(run(backend, makeProblem(form, 0, 7, 3, 0, 3)).length).toBe(0); // run() checks the sentinels
      expect(run(backend, makeProblem(form, 5, 0, 3, 0, 3)).length).toBe(0);
    }
  });

  it("stays inside GEMM_PACK_FLOATS of pack scratch around the largest blocks (192×1024×256)", () => {
    for (const m of [191, 192, 193, 198, 199, 384]) {
      for (const n of [1024, 1025, 2048]) {
        for (const k of [256, 257]) {
          const pr: Problem = { form, m, n, k, accumulate: 0, a: new Float32Array(m * k).fill(0.5), b: new Float32Array(k * n).fill(0.25), c0: new Float32Array(m * n) };
          for (const backend of ["relaxed-simd", "simd"] as const) {
            const c = run(backend, pr, 1); // run() checks the guard after the scratch
            if (!c.every((x) => x === k / 8)) expect.fail(`${backend} ${m}×${n}×${k}: wrong product`);
          }
        }
      }
    }
  });
});

describe("f32_add_bias_rows and f32_sum_rows", () => {
  const shapes: [number, number][] = [];
  for (const m of [0, 1, 3, 7]) for (const n of [0, 1, 3, 4, 5, 15, 16, 17, 33, 1000]) shapes.push([m, n]);

  /** Runs `call` on each backend over src[m×n] and a row vector v[n] with sentinels after both; returns them. */
  function runRows(backend: B, m: number, n: number, seed: number, call: (s: Setup, src: number, v: number) => void) {
    const s = setups.get(backend)!;
    const f = heap(s);
    const rng = new Rng(seed);
    const src = (s.work >> 2) + 1;
    const v = src + m * n + GUARD;
    f.fill(SENTINEL, src - 1, v + n + GUARD);
    for (let i = 0; i < m * n; i++) f[src + i] = 2 * rng.uniform() - 1;
    for (let j = 0; j < n; j++) f[v + j] = 2 * rng.uniform() - 1;
    const before = { src: f.slice(src, src + m * n), v: f.slice(v, v + n) };
    call(s, 4 * src, 4 * v);
    for (const at of [src - 1, ...Array.from({ length: GUARD }, (_, g) => [src + m * n + g, v + n + g]).flat()]) {
      if (f[at] !== SENTINEL) throw new Error(`${backend} ${m}×${n}: wrote outside its arrays`);
    }
    return { before, src: f.slice(src, src + m * n), v: f.slice(v, v + n) };
  }

  it("f32_add_bias_rows adds the bias to every row, exactly as float32 adds", () => {
    for (const [m, n] of shapes) {
      for (const backend of backends) {
        const r = runRows(backend, m, n, m * 100 + n, (s, c, bias) => s.engine.kernels.f32_add_bias_rows(c, bias, m, n));
        const expected = r.before.src.map((x, i) => Math.fround(x + r.before.v[i % n]!));
        expect(r.src, `${backend} ${m}×${n}`).toEqual(expected);
        expect(r.v).toEqual(r.before.v);
      }
    }
  });

  it("f32_sum_rows sums the rows within the float32 bound, bitwise equal across simd, scalar and js", () => {
    for (const [m, n] of shapes) {
      for (const accumulate of [0, 1]) {
        const outs: Float32Array[] = [];
        for (const backend of backends) {
          const r = runRows(backend, m, n, m * 100 + n, (s, src, dst) => s.engine.kernels.f32_sum_rows(dst, src, m, n, accumulate));
          for (let j = 0; j < n; j++) {
            let exact = accumulate ? r.before.v[j]! : 0;
            let mag = Math.abs(exact);
            for (let i = 0; i < m; i++) exact += r.before.src[i * n + j]!, (mag += Math.abs(r.before.src[i * n + j]!));
            const err = Math.abs(r.v[j]! - exact);
            if (!(err <= (m + 1) * 2 ** -24 * mag)) expect.fail(`${backend} ${m}×${n} accumulate ${accumulate}: dst[${j}] = ${r.v[j]}, exact ${exact}`);
          }
          expect(r.src).toEqual(r.before.src);
          outs.push(r.v);
        }
        expect(outs[1], `simd ${m}×${n}`).toEqual(outs[3]);
        expect(outs[2], `scalar ${m}×${n}`).toEqual(outs[3]);
        expect(outs[0], `relaxed-simd ${m}×${n}`).toEqual(outs[3]); // no multiply to fuse
      }
    }
  });
});
