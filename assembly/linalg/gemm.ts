// Matrix multiply, row-major, three forms (naive placeholder: being replaced by the blocked SIMD microkernel):
//   f32_gemm_nn: C[m×n] (+)= A[m×k] · B[k×n]
//   f32_gemm_tn: C[m×n] (+)= A[k×m]ᵀ · B[k×n]     (weight gradients)
//   f32_gemm_nt: C[m×n] (+)= A[m×k] · B[n×k]ᵀ     (input gradients)
// accumulate = 0 overwrites C, 1 adds to it. pack points at GEMM_PACK_FLOATS floats of scratch.
import { at } from "../simd";

export function f32_gemm_nn(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = accumulate ? load<f32>(c + at(i * n + j)) : 0;
      for (let p = 0; p < k; p++) s += load<f32>(a + at(i * k + p)) * load<f32>(b + at(p * n + j));
      store<f32>(c + at(i * n + j), s);
    }
  }
}

export function f32_gemm_tn(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = accumulate ? load<f32>(c + at(i * n + j)) : 0;
      for (let p = 0; p < k; p++) s += load<f32>(a + at(p * m + i)) * load<f32>(b + at(p * n + j));
      store<f32>(c + at(i * n + j), s);
    }
  }
}

export function f32_gemm_nt(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s: f32 = accumulate ? load<f32>(c + at(i * n + j)) : 0;
      for (let p = 0; p < k; p++) s += load<f32>(a + at(i * k + p)) * load<f32>(b + at(j * k + p));
      store<f32>(c + at(i * n + j), s);
    }
  }
}
