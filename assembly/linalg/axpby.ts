// y ← α x + β y, element-wise: the last line of Adafactor's and Muon's steps (θ ← (1 − γλ) θ − s U), and
// Newton-Schulz's X ← a X + B X in Muon. Two roundings, fused into one in the relaxed-SIMD build.
import { at, madd, simdEnd } from "../simd";

/** y ← alpha · x + beta · y. */
export function f32_axpby(y: usize, x: usize, n: i32, alpha: f32, beta: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
    for (let i = 0; i < end; i += 4) {
      v128.store(y + at(i), madd(va, v128.load(x + at(i)), f32x4.mul(v128.load(y + at(i)), vb)));
    }
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), alpha * load<f32>(x + at(i)) + load<f32>(y + at(i)) * beta);
}
