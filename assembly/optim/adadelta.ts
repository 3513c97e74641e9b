// Adadelta (torch.optim.Adadelta), one step over n elements:
//
//   g_t  = ±∇f(θ_{t-1}) + λ θ_{t-1}                    (gradSign = -1 when maximizing; λ weight decay)
//   v_t  = ρ v_{t-1} + (1 − ρ) g_t²
//   Δx_t = √(u_{t-1} + ε) / √(v_t + ε) · g_t
//   u_t  = ρ u_{t-1} + (1 − ρ) Δx_t²
//   θ_t  = θ_{t-1} − γ Δx_t
import { at, madd, simdEnd } from "../simd";

/** One Adadelta step. `oneMinusRho` is 1 − rho computed in float64 by the caller, as torch does. */
export function f32_adadelta(
  p: usize, g: usize, squareAvg: usize, accDelta: usize, n: i32,
  lr: f32, rho: f32, oneMinusRho: f32, eps: f32, weightDecay: f32, gradSign: f32,
): void {
  const end = simdEnd(n);
  const negLr = -lr;
  if (ASC_FEATURE_SIMD) {
    const vNegLr = f32x4.splat(negLr);
    const vRho = f32x4.splat(rho);
    const vOmr = f32x4.splat(oneMinusRho);
    const vEps = f32x4.splat(eps);
    const vWd = f32x4.splat(weightDecay);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vv = madd(f32x4.mul(vOmr, vg), vg, f32x4.mul(v128.load(squareAvg + at(i)), vRho));
      v128.store(squareAvg + at(i), vv);
      const vStd = f32x4.sqrt(f32x4.add(vv, vEps));
      const vu = v128.load(accDelta + at(i));
      const vDelta = f32x4.mul(f32x4.div(f32x4.sqrt(f32x4.add(vu, vEps)), vStd), vg);
      v128.store(accDelta + at(i), madd(f32x4.mul(vOmr, vDelta), vDelta, f32x4.mul(vu, vRho)));
      v128.store(p + at(i), madd(vNegLr, vDelta, vp));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const vi: f32 = (oneMinusRho * gi) * gi + load<f32>(squareAvg + at(i)) * rho;
    store<f32>(squareAvg + at(i), vi);
    const ui = load<f32>(accDelta + at(i));
    const delta: f32 = (sqrt<f32>(ui + eps) / sqrt<f32>(vi + eps)) * gi;
    store<f32>(accDelta + at(i), (oneMinusRho * delta) * delta + ui * rho);
    store<f32>(p + at(i), negLr * delta + pi);
  }
}
