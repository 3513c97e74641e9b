// Plain TypeScript twins of assembly/linalg/gemm.ts: the readable specification.
//   f32_gemm_nn: C[m×n] (+)= A[m×k] · B[k×n]
//   f32_gemm_tn: C[m×n] (+)= A[k×m]ᵀ · B[k×n]
//   f32_gemm_nt: C[m×n] (+)= A[m×k] · B[n×k]ᵀ
//   C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p A[i,p]·B[p,j], summed in order p = 0, 1, ..., k-1
// The naive loop, rounding to float32 after each multiply and each add. The blocked SIMD kernel keeps the same
// order of additions for every C[i,j], so the simd and scalar builds match this twin bit for bit; the
// relaxed-SIMD build fuses each multiply-add (one rounding instead of two) and agrees only within a tolerance.
import type { Heap } from "../heap.js";
import type { Kernels, KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** Floats of scratch the `pack` argument of the gemm kernels must point at (the module's GEMM_PACK_FLOATS; the
 * twins need none). */
export { GEMM_PACK_FLOATS } from "../kernels.js";

type Gemm = Kernels["f32_gemm_nn"];

/** The kernels of assembly/linalg/gemm.ts, typed from the generated ABI. */
export type GemmKernels = KernelsFrom<"linalg/gemm">;

export function gemmReference(heap: Heap) {
  /** The naive product with A[i,p] at a + i·aRow + p·aStep and B[p,j] at b + p·bStep + j·bCol (in floats). */
  const strided = (aRow: (m: number, k: number) => number, aStep: (m: number, k: number) => number, bStep: (n: number, k: number) => number, bCol: (n: number, k: number) => number): Gemm =>
    (c, a, b, m, n, k, accumulate) => {
      const x = heap.f32;
      c >>>= 2, a >>>= 2, b >>>= 2;
      const ai = aRow(m, k), ap = aStep(m, k), bp = bStep(n, k), bj = bCol(n, k);
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < n; j++) {
          let s = accumulate ? x[c + i * n + j]! : 0;
          for (let p = 0; p < k; p++) s = f(s + f(x[a + i * ai + p * ap]! * x[b + p * bp + j * bj]!));
          x[c + i * n + j] = s;
        }
      }
    };
  return {
    f32_gemm_nn: strided((_m, k) => k, () => 1, (n) => n, () => 1),
    f32_gemm_tn: strided(() => 1, (m) => m, (n) => n, () => 1),
    f32_gemm_nt: strided((_m, k) => k, () => 1, () => 1, (_n, k) => k),
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
