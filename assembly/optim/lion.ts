// Lion (Chen et al. 2023, "Symbolic Discovery of Optimization Algorithms"; as optax.lion):
//
//   c = β1 m + (1 − β1) g
//   θ = θ (1 − γ λ) − γ sign(c)          (decay = 1 − γλ, computed in TypeScript)
//   m = β2 m + (1 − β2) g
//
// 1 − β1, 1 − β2 and decay come from TypeScript, computed in float64 as in Python.
import { at, madd, simdEnd } from "../simd";

/** One Lion step. sign(c) is −1, 0 or +1, and NaN for NaN, as torch.sign and jnp.sign. */
export function f32_lion(
  p: usize, g: usize, m: usize, n: i32, lr: f32, beta1: f32, beta2: f32, omb1: f32, omb2: f32, decay: f32,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1);
    const vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2);
    const vNegLr = f32x4.splat(-lr), vDecay = f32x4.splat(decay);
    for (let i = 0; i < end; i += 4) {
      const vg = v128.load(g + at(i));
      const vm = v128.load(m + at(i));
      const vc = madd(vB1, vm, f32x4.mul(vOmb1, vg));
      const vp = f32x4.mul(v128.load(p + at(i)), vDecay);
      v128.store(p + at(i), madd(vNegLr, signOf(vc), vp));
      v128.store(m + at(i), madd(vB2, vm, f32x4.mul(vOmb2, vg)));
    }
  }
  for (let i = end; i < n; i++) {
    const gi = load<f32>(g + at(i));
    const mi = load<f32>(m + at(i));
    const ci: f32 = beta1 * mi + omb1 * gi;
    const si: f32 = ci > 0 ? 1 : ci < 0 ? -1 : ci;
    store<f32>(p + at(i), -lr * si + load<f32>(p + at(i)) * decay);
    store<f32>(m + at(i), beta2 * mi + omb2 * gi);
  }
}

/** Lane-wise sign: ±1 where c is nonzero, c itself (±0 or NaN) elsewhere. */
// @ts-ignore: decorator
@inline function signOf(c: v128): v128 {
  const zero = f32x4.splat(0);
  const one = f32x4.splat(1);
  const signBit = i32x4.splat(0x80000000);
  const signedOne = v128.or(one, v128.and(c, signBit));
  const nonzero = v128.or(f32x4.gt(c, zero), f32x4.lt(c, zero));
  return v128.bitselect(signedOne, c, nonzero);
}
