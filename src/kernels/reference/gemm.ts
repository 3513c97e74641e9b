// Plain TypeScript twins of assembly/linalg/gemm.ts (naive placeholder: being replaced).
import type { Heap } from "../heap.js";

/** Floats of scratch the `pack` argument of the gemm kernels must point at. */
export const GEMM_PACK_FLOATS = 1 << 18;

type Gemm = (c: number, a: number, b: number, m: number, n: number, k: number, accumulate: number, pack: number) => void;

export interface GemmKernels {
  /** C[m×n] (+)= A[m×k] · B[k×n], row-major; accumulate 0 overwrites C, 1 adds. */
  f32_gemm_nn: Gemm;
  /** C[m×n] (+)= A[k×m]ᵀ · B[k×n]. */
  f32_gemm_tn: Gemm;
  /** C[m×n] (+)= A[m×k] · B[n×k]ᵀ. */
  f32_gemm_nt: Gemm;
}

export function gemmReference(heap: Heap): GemmKernels {
  const make = (aIndex: (i: number, p: number, m: number, k: number) => number, bIndex: (p: number, j: number, n: number, k: number) => number): Gemm =>
    (c, a, b, m, n, k, accumulate) => {
      const f = heap.f32;
      c >>= 2, a >>= 2, b >>= 2;
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = accumulate ? f[c + i * n + j]! : 0;
          for (let p = 0; p < k; p++) s = Math.fround(s + Math.fround(f[a + aIndex(i, p, m, k)]! * f[b + bIndex(p, j, n, k)]!));
          f[c + i * n + j] = s;
        }
      }
    };
  return {
    f32_gemm_nn: make((i, p, _m, k) => i * k + p, (p, j, n) => p * n + j),
    f32_gemm_tn: make((i, p, m) => p * m + i, (p, j, n) => p * n + j),
    f32_gemm_nt: make((i, p, _m, k) => i * k + p, (p, j, _n, k) => j * k + p),
  };
}
