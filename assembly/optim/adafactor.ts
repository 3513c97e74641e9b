// Adafactor (torch.optim.Adafactor, PyTorch 2.5+; torch/optim/_adafactor.py, _single_tensor_adafactor), the
// element-wise parts of one step of one parameter (the norms and the step-dependent scalars are computed in
// TypeScript from f32_sum_squares, see src/optim/adafactor.ts):
//
//   factored (≥ 2-D, the last two dimensions rows × cols):
//     R_i ← lerp(R_i, mean_j G_ij², w)     C_j ← lerp(C_j, mean_i G_ij², w)          (f32_adafactor_factors)
//     U_ij = G_ij / √max(R_i C_j / m, ε1²),  m = max(mean_i R_i, ε1)                  (f32_adafactor_factored_dir)
//   vector (1-D):
//     V ← lerp(V, G², w);  U = G / √max(V, ε1²)                                      (f32_adafactor_vector_dir)
//   θ ← θ (1 − γλ) + s U,  s = −α / max(1, RMS(U) / d)                                (f32_axpby)
//
// w = t^τ (τ = beta2Decay) and 1 − w come from TypeScript in float64. lerp is torch's: self + w (end − self) for
// |w| < 0.5, end − (end − self)(1 − w) otherwise. G is the gradient times `gradSign` (−1 when maximizing).
import { at, simdEnd } from "../simd";
import { lerp1 as lerp, lerp4 } from "./lerp";


/** Row and column means of G² (summed in float64, in order) folded into the factors r[rows] and c[cols]. */
export function f32_adafactor_factors(g: usize, r: usize, c: usize, rows: i32, cols: i32, w: f32, omw: f32): void {
  for (let i = 0; i < rows; i++) {
    let s: f64 = 0;
    for (let j = 0; j < cols; j++) {
      const x = <f64>load<f32>(g + at(i * cols + j));
      s += x * x;
    }
    store<f32>(r + at(i), lerp(load<f32>(r + at(i)), <f32>(s / <f64>cols), w, omw));
  }
  for (let j = 0; j < cols; j++) {
    let s: f64 = 0;
    for (let i = 0; i < rows; i++) {
      const x = <f64>load<f32>(g + at(i * cols + j));
      s += x * x;
    }
    store<f32>(c + at(j), lerp(load<f32>(c + at(j)), <f32>(s / <f64>rows), w, omw));
  }
}

/** u ← gradSign · g / √max(r_i c_j / m, eps1Sq) over rows × cols (m = max(mean r, ε1), from TypeScript). */
export function f32_adafactor_factored_dir(
  u: usize, g: usize, r: usize, c: usize, rows: i32, cols: i32, m: f32, eps1Sq: f32, gradSign: f32,
): void {
  const end = simdEnd(cols);
  for (let i = 0; i < rows; i++) {
    const ri = load<f32>(r + at(i));
    const row = at(i * cols);
    if (ASC_FEATURE_SIMD) {
      const vr = f32x4.splat(ri), vm = f32x4.splat(m), vEps = f32x4.splat(eps1Sq);
      const vOne = f32x4.splat(1), vSign = f32x4.splat(gradSign);
      for (let j = 0; j < end; j += 4) {
        const v = f32x4.max(f32x4.div(f32x4.mul(vr, v128.load(c + at(j))), vm), vEps);
        const gj = f32x4.mul(v128.load(g + row + at(j)), vSign);
        v128.store(u + row + at(j), f32x4.mul(f32x4.div(vOne, f32x4.sqrt(v)), gj));
      }
    }
    for (let j = end; j < cols; j++) {
      const v = max<f32>((ri * load<f32>(c + at(j))) / m, eps1Sq);
      store<f32>(u + row + at(j), (<f32>1 / sqrt<f32>(v)) * (load<f32>(g + row + at(j)) * gradSign));
    }
  }
}

/** v ← lerp(v, g², w);  u ← gradSign · g / √max(v, eps1Sq). */
export function f32_adafactor_vector_dir(u: usize, g: usize, v: usize, n: i32, w: f32, omw: f32, eps1Sq: f32, gradSign: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vw = f32x4.splat(w), vOmw = f32x4.splat(omw), vEps = f32x4.splat(eps1Sq);
    const vOne = f32x4.splat(1), vSign = f32x4.splat(gradSign);
    const small = abs<f32>(w) < 0.5;
    for (let i = 0; i < end; i += 4) {
      const gi = f32x4.mul(v128.load(g + at(i)), vSign);
      const sq = f32x4.mul(gi, gi);
      const vi = lerp4(v128.load(v + at(i)), sq, small, vw, vOmw);
      v128.store(v + at(i), vi);
      v128.store(u + at(i), f32x4.mul(f32x4.div(vOne, f32x4.sqrt(f32x4.max(vi, vEps))), gi));
    }
  }
  for (let i = end; i < n; i++) {
    const gi = load<f32>(g + at(i)) * gradSign;
    const vi = lerp(load<f32>(v + at(i)), gi * gi, w, omw);
    store<f32>(v + at(i), vi);
    store<f32>(u + at(i), (<f32>1 / sqrt<f32>(max<f32>(vi, eps1Sq))) * gi);
  }
}
