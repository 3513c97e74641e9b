// The kernels that split across threads give the bits of one thread on 1-4 threads and every backend: GEMM in all
// three forms on ragged shapes (split by rows of C and by columns, overwriting and accumulating), the row-wise
// kernels (batch gather, softmax, bias rows) and the sums, whose chunks must also add up alike on every backend.
import { describe, expect, it } from "vitest";
import { GEMM_PACK_FLOATS, type Engine } from "../src/index.js";
import { REDUCE_CHUNK } from "../src/engine/threads/pool.js";
import { MIN_WORK } from "../src/engine/threads/splits.js";
import { bitsOf, threadedEngine, THREAD_BACKENDS, THREAD_COUNTS, wave } from "./helpers/threads.js";

type Form = "nn" | "tn" | "nt";
/** [m, n, k]: more rows than columns (split by rows), more columns (by columns), edges of every micro-tile. */
const SHAPES = [[131, 77, 259], [37, 301, 100], [203, 197, 31], [6, 1030, 64]] as const;

/** Runs every split kernel once on fixed inputs in `engine`; the bits of each output, by name. */
function runKernels(engine: Engine): Record<string, string> {
  const k = engine.kernels;
  const out: Record<string, string> = {};
  const pack = engine.allocF32(GEMM_PACK_FLOATS).ptr;
  for (const [m, n, kk] of SHAPES) {
    expect(m * n * kk).toBeGreaterThan(MIN_WORK.gemm);
    for (const form of ["nn", "tn", "nt"] as Form[]) {
      for (const accumulate of [0, 1]) {
        const a = engine.tensor(wave(m * kk, m)), b = engine.tensor(wave(kk * n, n)), c = engine.tensor(wave(m * n, kk));
        k[`f32_gemm_${form}`](c.ptr, a.ptr, b.ptr, m, n, kk, accumulate, pack);
        out[`gemm_${form} ${m}×${n}×${kk} accumulate ${accumulate}`] = bitsOf(c.array);
      }
    }
  }
  // Row-wise: 300 rows of 785 (above MIN_WORK.streaming).
  const rows = 300, cols = 785;
  const idx = engine.allocI32(rows);
  idx.array.set(Array.from({ length: rows }, (_, i) => (i * 37) % rows));
  const bytes = engine.allocU8(rows * cols);
  bytes.array.set(Array.from({ length: rows * cols }, (_, i) => (i * 7) % 256));
  const floats = engine.tensor(wave(rows * cols, 5)), y = engine.tensor(rows * cols), dy = engine.tensor(wave(rows * cols, 6)), dx = engine.tensor(rows * cols);
  k.f32_gather_rows_u8(y.ptr, bytes.ptr, idx.ptr, rows, cols, 1 / 255, -0.5);
  out.gather_rows_u8 = bitsOf(y.array);
  k.f32_gather_rows_f32(y.ptr, floats.ptr, idx.ptr, rows, cols, 0.5, 0.25);
  out.gather_rows_f32 = bitsOf(y.array);
  k.f32_add_bias_rows(y.ptr, floats.ptr, rows, cols);
  out.add_bias_rows = bitsOf(y.array);
  k.f32_softmax_rows(y.ptr, floats.ptr, rows, cols);
  out.softmax_rows = bitsOf(y.array);
  k.f32_softmax_rows_backward(dx.ptr, dy.ptr, y.ptr, rows, cols);
  out.softmax_rows_backward = bitsOf(dx.array);
  // Sums over whole chunks and a ragged one; the ∞-norm and the finiteness check (with a NaN in the last range).
  const length = 3 * REDUCE_CHUNK + 13;
  const x = engine.tensor(wave(length, 7)), z = engine.tensor(wave(length, 8));
  out.sums = JSON.stringify([k.f32_sum_squares(x.ptr, length), k.f32_sum_abs(x.ptr, length), k.f32_dot(x.ptr, z.ptr, length), k.f32_max_abs(x.ptr, length)]);
  x.array[length - 3] = NaN;
  out.nan = JSON.stringify([k.f32_all_finite(x.ptr, length), k.f32_all_finite(x.ptr, length - 3), String(k.f32_max_abs(x.ptr, length))]);
  return out;
}

describe("split kernels on threads: the bits of one thread", () => {
  const single: Record<string, Record<string, string>> = {};
  for (const backend of THREAD_BACKENDS) {
    it(`GEMM, the row-wise kernels and the sums on ${backend}`, async () => {
      const one = await threadedEngine(backend, 1);
      single[backend] = runKernels(one);
      for (const threads of THREAD_COUNTS.slice(1)) {
        const engine = await threadedEngine(backend, threads);
        const many = runKernels(engine);
        engine.dispose();
        for (const [name, bits] of Object.entries(single[backend]!)) expect(many[name], `${name}, ${threads} threads`).toBe(bits);
      }
    });
  }

  it("the chunked sums give the same bits on every backend", () => {
    const sums = (b: string) => [single[b]!.sums, single[b]!.nan];
    for (const backend of THREAD_BACKENDS) expect(sums(backend), backend).toEqual(sums("simd"));
  });
});

describe("the _ld forms of GEMM", () => {
  for (const backend of THREAD_BACKENDS) {
    it(`compute a block of a larger product, bit for bit, on ${backend}`, async () => {
      const engine = await threadedEngine(backend, 1);
      const k = engine.kernels;
      const pack = engine.allocF32(GEMM_PACK_FLOATS).ptr;
      const [m, n, kk] = [29, 23, 37];
      const [i0, j0, h, w] = [5, 3, 17, 13]; // the block of C: rows i0..i0+h, columns j0..j0+w
      for (const form of ["nn", "tn", "nt"] as Form[]) {
        const a = engine.tensor(wave(m * kk, 1)), b = engine.tensor(wave(kk * n, 2));
        const whole = engine.tensor(wave(m * n, 3)), block = engine.tensor(wave(m * n, 3));
        k[`f32_gemm_${form}`](whole.ptr, a.ptr, b.ptr, m, n, kk, 1, pack);
        const aBlock = a.ptr + 4 * (form === "tn" ? i0 : i0 * kk);
        const bBlock = b.ptr + 4 * (form === "nt" ? j0 * kk : j0);
        k[`f32_gemm_${form}_ld`](block.ptr + 4 * (i0 * n + j0), aBlock, bBlock, h, w, kk, 1, pack, n, form === "tn" ? m : kk, form === "nt" ? kk : n);
        const expected = Float32Array.from(wave(m * n, 3));
        for (let i = i0; i < i0 + h; i++) for (let j = j0; j < j0 + w; j++) expected[i * n + j] = whole.array[i * n + j]!;
        expect(bitsOf(block.array), form).toBe(bitsOf(expected));
      }
    });
  }
});
