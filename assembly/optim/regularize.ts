// Penalties on the weights (L1, L2, elastic net) and the proximal step of L1:
//
//   f32_l1_l2_grad:   g ← g + λ₁ sign(θ) + λ₂ θ      the gradient of λ₁ ‖θ‖₁ + ½ λ₂ ‖θ‖², sign(0) = 0 (torch.sign)
//                     computed as (λ₂ θ) + (g + λ₁ sign(θ)); λ₁ sign(θ) is exactly ±λ₁ or 0, so the only roundings are
//                     the product λ₂ θ and the two sums (the relaxed build fuses λ₂ θ + … into one rounding)
//   f32_sgd_prox_l1:  z = θ − γ g;  θ ← sign(z) max(|z| − t, 0)     (t = γ λ₁: one proximal-gradient / ISTA step)
//                     soft-thresholding sets every |z| ≤ t to exactly +0; NaN stays NaN
import { at, madd, simdEnd } from "../simd";

/** g += l1 * sign(p) + l2 * p over n elements (sign(0) = 0). */
export function f32_l1_l2_grad(p: usize, g: usize, n: i32, l1: f32, l2: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vL1 = f32x4.splat(l1);
    const vL2 = f32x4.splat(l2);
    const zero = f32x4.splat(0);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      // ±l1 where p > 0 / p < 0, 0 elsewhere (also for NaN): comparison masks select the bits of l1.
      const l1Sign = f32x4.sub(v128.and(f32x4.gt(vp, zero), vL1), v128.and(f32x4.lt(vp, zero), vL1));
      v128.store(g + at(i), madd(vL2, vp, f32x4.add(v128.load(g + at(i)), l1Sign)));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const l1Sign: f32 = (pi > 0 ? l1 : 0) - (pi < 0 ? l1 : 0); // as the masks above: +0, not −0, when l1 = 0
    store<f32>(g + at(i), l2 * pi + (load<f32>(g + at(i)) + l1Sign));
  }
}

/** One proximal SGD step for an L1 penalty: z = p − lr g, then p = sign(z) max(|z| − threshold, 0). */
export function f32_sgd_prox_l1(p: usize, g: usize, n: i32, lr: f32, threshold: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vNegLr = f32x4.splat(-lr);
    const vT = f32x4.splat(threshold);
    const zero = f32x4.splat(0);
    const signBit = i32x4.splat(0x80000000);
    for (let i = 0; i < end; i += 4) {
      const z = madd(vNegLr, v128.load(g + at(i)), v128.load(p + at(i)));
      const shrunk = f32x4.sub(f32x4.abs(z), vT);
      // Where |z| − t ≤ 0 the result is +0; elsewhere |z| − t with z's sign (NaN compares false and passes).
      const signed = v128.or(shrunk, v128.and(z, signBit));
      v128.store(p + at(i), v128.andnot(signed, f32x4.le(shrunk, zero)));
    }
  }
  for (let i = end; i < n; i++) {
    const z: f32 = -lr * load<f32>(g + at(i)) + load<f32>(p + at(i));
    const shrunk: f32 = abs<f32>(z) - threshold;
    store<f32>(p + at(i), shrunk <= 0 ? 0 : copysign<f32>(shrunk, z));
  }
}
