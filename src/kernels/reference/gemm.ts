// Plain TypeScript twins of assembly/linalg/gemm.ts: the readable specification.
//   f32_gemm_nn: C[m×n] (+)= A[m×k] · B[k×n]
//   f32_gemm_tn: C[m×n] (+)= A[k×m]ᵀ · B[k×n]
//   f32_gemm_nt: C[m×n] (+)= A[m×k] · B[n×k]ᵀ
//   C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p A[i,p]·B[p,j], summed in order p = 0, 1, ..., k-1
// The naive loop, rounding to float32 after each multiply and each add. The blocked SIMD kernel keeps the same
// order of additions for every C[i,j], so the simd and scalar builds match this twin bit for bit; the
// relaxed-SIMD build fuses each multiply-add (one rounding instead of two) and agrees only within a tolerance.
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** Floats of scratch the `pack` argument of the gemm kernels must point at (the module's GEMM_PACK_FLOATS; the
 * twins need none). */
export { GEMM_PACK_FLOATS } from "../kernels.js";

/** The kernels of assembly/linalg/gemm.ts, typed from the generated ABI. */
export type GemmKernels = KernelsFrom<"linalg/gemm">;

export function gemmReference(heap: Heap) {
  /** The naive product with C[i,j] at c + i·ldc + j, A[i,p] at a + i·aRow + p·aStep and B[p,j] at b + p·bStep + j·bCol (in floats). */
  const product = (c: number, a: number, b: number, m: number, n: number, k: number, accumulate: number, ldc: number, aRow: number, aStep: number, bStep: number, bCol: number) => {
    const x = heap.f32;
    c >>>= 2, a >>>= 2, b >>>= 2;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = accumulate ? x[c + i * ldc + j]! : 0;
        for (let p = 0; p < k; p++) s = f(s + f(x[a + i * aRow + p * aStep]! * x[b + p * bStep + j * bCol]!));
        x[c + i * ldc + j] = s;
      }
    }
  };
  return {
    f32_gemm_nn: (c, a, b, m, n, k, accumulate, _pack) => product(c, a, b, m, n, k, accumulate, n, k, 1, n, 1),
    f32_gemm_tn: (c, a, b, m, n, k, accumulate, _pack) => product(c, a, b, m, n, k, accumulate, n, 1, m, n, 1),
    f32_gemm_nt: (c, a, b, m, n, k, accumulate, _pack) => product(c, a, b, m, n, k, accumulate, n, k, 1, 1, k),
    f32_gemm_nn_ld: (c, a, b, m, n, k, accumulate, _pack, ldc, lda, ldb) => product(c, a, b, m, n, k, accumulate, ldc, lda, 1, ldb, 1),
    f32_gemm_tn_ld: (c, a, b, m, n, k, accumulate, _pack, ldc, lda, ldb) => product(c, a, b, m, n, k, accumulate, ldc, 1, lda, ldb, 1),
    f32_gemm_nt_ld: (c, a, b, m, n, k, accumulate, _pack, ldc, lda, ldb) => product(c, a, b, m, n, k, accumulate, ldc, lda, 1, 1, ldb),
    f32_add_bias_rows(c, bias, m, n) {
      const x = heap.f32;
      c >>>= 2, bias >>>= 2;
      for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) x[c + i * n + j] = f(x[c + i * n + j]! + x[bias + j]!);
    },
    f32_sum_rows(dst, src, m, n, accumulate) {
      const x = heap.f32;
      dst >>>= 2, src >>>= 2;
      for (let j = 0; j < n; j++) {
        let s = accumulate ? x[dst + j]! : 0;
        for (let i = 0; i < m; i++) s = f(s + x[src + i * n + j]!);
        x[dst + j] = s;
      }
    },
  } satisfies GemmKernels;
}
