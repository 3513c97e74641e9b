// Adagrad (torch.optim.Adagrad), one step over n elements:
//
//   g_t = ±∇f(θ_{t-1}) + λ θ_{t-1}            (gradSign = -1 when maximizing; λ weight decay)
//   s_t = s_{t-1} + g_t²                       (s_0 = initialAccumulatorValue, filled on the TypeScript side)
//   θ_t = θ_{t-1} − γ̃ g_t / (√s_t + ε)        (γ̃ = γ / (1 + (t − 1) η), computed in TypeScript)
import { at, madd, simdEnd } from "../simd";

/** One Adagrad step: sum += g²; p += (−clr · g) / (√sum + eps), with g = gradSign·grad + weightDecay·p. */
export function f32_adagrad(p: usize, g: usize, sum: usize, n: i32, clr: f32, eps: f32, weightDecay: f32, gradSign: f32): void {
  const end = simdEnd(n);
  const negClr = -clr;
  if (ASC_FEATURE_SIMD) {
    const vNegClr = f32x4.splat(negClr);
    const vEps = f32x4.splat(eps);
    const vWd = f32x4.splat(weightDecay);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vs = madd(vg, vg, v128.load(sum + at(i)));
      v128.store(sum + at(i), vs);
      const vStd = f32x4.add(f32x4.sqrt(vs), vEps);
      v128.store(p + at(i), f32x4.add(vp, f32x4.div(f32x4.mul(vNegClr, vg), vStd)));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const si: f32 = gi * gi + load<f32>(sum + at(i));
    store<f32>(sum + at(i), si);
    store<f32>(p + at(i), pi + (negClr * gi) / (sqrt<f32>(si) + eps));
  }
}
