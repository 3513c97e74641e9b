// RMSprop (torch.optim.RMSprop), one step over n elements:
//
//   g_t = ±∇f(θ_{t-1}) + λ θ_{t-1}              (gradSign = -1 when maximizing; λ weight decay)
//   v_t = α v_{t-1} + (1 − α) g_t²
//   centered:  ḡ_t = α ḡ_{t-1} + (1 − α) g_t,   ṽ_t = v_t − ḡ_t²      (else ṽ_t = v_t)
//   momentum:  b_t = μ b_{t-1} + g_t / (√ṽ_t + ε),   θ_t = θ_{t-1} − γ b_t
//   else:      θ_t = θ_{t-1} − γ g_t / (√ṽ_t + ε)
import { at, madd, simdEnd } from "../simd";

/**
 * One RMSprop step. `gradAvg` is read only when `centered` is 1 and `buf` only when momentum > 0 (pass 0
 * otherwise). `oneMinusAlpha` is 1 − alpha computed in float64 by the caller, as torch does.
 */
export function f32_rmsprop(
  p: usize, g: usize, squareAvg: usize, gradAvg: usize, buf: usize, n: i32,
  lr: f32, alpha: f32, oneMinusAlpha: f32, eps: f32, weightDecay: f32, momentum: f32, centered: i32, gradSign: f32,
): void {
  // Branch once, outside the loop: each call below inlines a loop specialised for its flags.
  if (centered) {
    if (momentum > 0) rmspropLoop(p, g, squareAvg, gradAvg, buf, n, lr, alpha, oneMinusAlpha, eps, weightDecay, momentum, gradSign, true, true);
    else rmspropLoop(p, g, squareAvg, gradAvg, buf, n, lr, alpha, oneMinusAlpha, eps, weightDecay, momentum, gradSign, true, false);
  } else {
    if (momentum > 0) rmspropLoop(p, g, squareAvg, gradAvg, buf, n, lr, alpha, oneMinusAlpha, eps, weightDecay, momentum, gradSign, false, true);
    else rmspropLoop(p, g, squareAvg, gradAvg, buf, n, lr, alpha, oneMinusAlpha, eps, weightDecay, momentum, gradSign, false, false);
  }
}

// @ts-ignore: decorator
@inline function rmspropLoop(
  p: usize, g: usize, squareAvg: usize, gradAvg: usize, buf: usize, n: i32,
  lr: f32, alpha: f32, oneMinusAlpha: f32, eps: f32, weightDecay: f32, momentum: f32, gradSign: f32,
  centered: bool, withMomentum: bool,
): void {
  const end = simdEnd(n);
  const negLr = -lr;
  if (ASC_FEATURE_SIMD) {
    const vNegLr = f32x4.splat(negLr);
    const vAlpha = f32x4.splat(alpha);
    const vOma = f32x4.splat(oneMinusAlpha);
    const vEps = f32x4.splat(eps);
    const vWd = f32x4.splat(weightDecay);
    const vMu = f32x4.splat(momentum);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vv = madd(f32x4.mul(vOma, vg), vg, f32x4.mul(v128.load(squareAvg + at(i)), vAlpha));
      v128.store(squareAvg + at(i), vv);
      let vAvg: v128;
      if (centered) {
        const va = madd(vOma, vg, f32x4.mul(v128.load(gradAvg + at(i)), vAlpha));
        v128.store(gradAvg + at(i), va);
        vAvg = f32x4.add(f32x4.sqrt(f32x4.sub(vv, f32x4.mul(va, va))), vEps);
      } else {
        vAvg = f32x4.add(f32x4.sqrt(vv), vEps);
      }
      if (withMomentum) {
        const vb = f32x4.add(f32x4.mul(v128.load(buf + at(i)), vMu), f32x4.div(vg, vAvg));
        v128.store(buf + at(i), vb);
        v128.store(p + at(i), madd(vNegLr, vb, vp));
      } else {
        v128.store(p + at(i), f32x4.add(vp, f32x4.div(f32x4.mul(vNegLr, vg), vAvg)));
      }
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const vi: f32 = (oneMinusAlpha * gi) * gi + load<f32>(squareAvg + at(i)) * alpha;
    store<f32>(squareAvg + at(i), vi);
    let avg: f32;
    if (centered) {
      const ai: f32 = oneMinusAlpha * gi + load<f32>(gradAvg + at(i)) * alpha;
      store<f32>(gradAvg + at(i), ai);
      avg = sqrt<f32>(vi - ai * ai) + eps;
    } else {
      avg = sqrt<f32>(vi) + eps;
    }
    if (withMomentum) {
      const bi: f32 = load<f32>(buf + at(i)) * momentum + gi / avg;
      store<f32>(buf + at(i), bi);
      store<f32>(p + at(i), negLr * bi + pi);
    } else {
      store<f32>(p + at(i), pi + (negLr * gi) / avg);
    }
  }
}
