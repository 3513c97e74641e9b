// ASGD, averaged SGD (torch.optim.ASGD), one step over n elements:
//
//   g_t  = ±∇f(θ_{t-1}) + λ_wd θ_{t-1}          (gradSign = -1 when maximizing; λ_wd weight decay)
//   θ_t  = θ_{t-1} (1 − λ η_t) − η_t g_t
//   ax_t = ax_{t-1} + μ_t (θ_t − ax_{t-1})      (ax_t = θ_t while μ_t = 1)
//   η_{t+1} = γ / (1 + λ γ t)^α,  μ_{t+1} = 1 / max(1, t − t0)   (per-group scalars, updated in TypeScript)
import { at, madd, simdEnd } from "../simd";

/**
 * One ASGD step. `decay` is 1 − lambd·eta (computed in float64 by the caller); `average` is 0 while mu = 1,
 * where torch copies the parameters into ax instead of averaging.
 */
export function f32_asgd(
  p: usize, g: usize, ax: usize, n: i32,
  eta: f32, decay: f32, weightDecay: f32, mu: f32, average: i32, gradSign: f32,
): void {
  if (average) asgdLoop(p, g, ax, n, eta, decay, weightDecay, mu, gradSign, true);
  else asgdLoop(p, g, ax, n, eta, decay, weightDecay, mu, gradSign, false);
}

// @ts-ignore: decorator
@inline function asgdLoop(
  p: usize, g: usize, ax: usize, n: i32,
  eta: f32, decay: f32, weightDecay: f32, mu: f32, gradSign: f32, average: bool,
): void {
  const end = simdEnd(n);
  const negEta = -eta;
  if (ASC_FEATURE_SIMD) {
    const vNegEta = f32x4.splat(negEta);
    const vDecay = f32x4.splat(decay);
    const vWd = f32x4.splat(weightDecay);
    const vMu = f32x4.splat(mu);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vNew = madd(vNegEta, vg, f32x4.mul(vp, vDecay));
      v128.store(p + at(i), vNew);
      if (average) {
        const va = v128.load(ax + at(i));
        v128.store(ax + at(i), madd(f32x4.sub(vNew, va), vMu, va));
      } else {
        v128.store(ax + at(i), vNew);
      }
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const next: f32 = negEta * gi + pi * decay;
    store<f32>(p + at(i), next);
    if (average) {
      const ai = load<f32>(ax + at(i));
      store<f32>(ax + at(i), (next - ai) * mu + ai);
    } else {
      store<f32>(ax + at(i), next);
    }
  }
}
