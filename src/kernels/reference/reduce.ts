// Plain TypeScript twins of assembly/linalg/reduce.ts. The sums follow the kernels' fixed order in float64 (the
// chunks of REDUCE_CHUNK elements summed in order; in each, four partial sums by i mod 4 over i < len & ~3,
// combined as (s0 + s1) + (s2 + s3), then the tail in order), so they return the same bits; element-wise
// operations round to float32 after each operation.
import type { Heap } from "../heap.js";
import { WASM_CONSTANTS, type KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/linalg/reduce.ts, typed from the generated ABI. */
export type ReduceKernels = KernelsFrom<"linalg/reduce">;

/** The fixed-order float64 sum of term(i) for i < n: chunk by chunk. */
function orderedSum(n: number, term: (i: number) => number): number {
  let total = 0;
  for (let i = 0; i < n; i += WASM_CONSTANTS.REDUCE_CHUNK) total += chunkSum(i, Math.min(n, i + WASM_CONSTANTS.REDUCE_CHUNK), term);
  return total;
}

/** The sum of term(i) for start ≤ i < stop, in the kernels' order within a chunk. */
function chunkSum(start: number, stop: number, term: (i: number) => number): number {
  const end = start + ((stop - start) & ~3);
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = start; i < end; i += 4) {
    s0 += term(i);
    s1 += term(i + 1);
    s2 += term(i + 2);
    s3 += term(i + 3);
  }
  let total = (s0 + s1) + (s2 + s3);
  for (let i = end; i < stop; i++) total += term(i);
  return total;
}

export function reduceReference(heap: Heap) {
  return {
    f32_dot(a, b, n) {
      const m = heap.f32;
      a >>>= 2, b >>>= 2;
      return orderedSum(n, (i) => m[a + i]! * m[b + i]!);
    },
    f32_sum_squares(a, n) {
      const m = heap.f32;
      a >>>= 2;
      return orderedSum(n, (i) => m[a + i]! * m[a + i]!);
    },
    f32_sum_abs(a, n) {
      const m = heap.f32;
      a >>>= 2;
      return orderedSum(n, (i) => Math.abs(m[a + i]!));
    },
    f32_max_abs(a, n) {
      const m = heap.f32;
      a >>>= 2;
      let best = 0;
      for (let i = 0; i < n; i++) best = Math.max(best, Math.abs(m[a + i]!));
      return best;
    },
    f32_scale(a, n, s) {
      const m = heap.f32;
      const fs = f(s);
      a >>>= 2;
      for (let i = 0; i < n; i++) m[a + i] = m[a + i]! * fs;
    },
    f32_axpy(y, x, n, alpha) {
      const m = heap.f32;
      const fa = f(alpha);
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) m[y + i] = f(fa * m[x + i]!) + m[y + i]!;
    },
    f32_copy(dst, src, n) {
      const m = heap.f32;
      m.copyWithin(dst >>> 2, src >>> 2, (src >>> 2) + n);
    },
    f32_clamp(a, n, lo, hi) {
      const m = heap.f32;
      const flo = f(lo), fhi = f(hi);
      a >>>= 2;
      for (let i = 0; i < n; i++) m[a + i] = Math.min(Math.max(m[a + i]!, flo), fhi);
    },
    f32_all_finite(a, n) {
      const m = heap.f32;
      a >>>= 2;
      for (let i = 0; i < n; i++) if (!Number.isFinite(m[a + i]!)) return 0;
      return 1;
    },
  } satisfies ReduceKernels;
}
