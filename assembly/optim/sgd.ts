// SGD with momentum, dampening, Nesterov, weight decay and maximize (torch.optim.SGD):
//
//   g_t = ±∇f(θ_{t-1})                      (minus when maximizing: gradSign = -1)
//   g_t = g_t + λ θ_{t-1}                   (weight decay λ)
//   b_t = g_t                               (first step)
//   b_t = μ b_{t-1} + (1 - τ) g_t           (later steps; μ momentum, τ dampening)
//   g_t = g_t + μ b_t   (Nesterov)   or   g_t = b_t
//   θ_t = θ_{t-1} - γ g_t
//
// A momentum buffer value below 2^-126 is stored as 0 (./flush.ts: subnormals are slow; θ moves by γ b, less
// than an ulp of θ).
import { at, madd, simdEnd } from "../simd";
import { flush, flushLanes, MIN_NORMAL } from "./flush";

/** Plain SGD step (no momentum): p -= lr * (gradSign * g + weightDecay * p). */
export function f32_sgd(p: usize, g: usize, n: i32, lr: f32, weightDecay: f32, gradSign: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vNegLr = f32x4.splat(-lr);
    const vWd = f32x4.splat(weightDecay);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      v128.store(p + at(i), madd(vNegLr, vg, vp));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi = weightDecay * pi + gradSign * load<f32>(g + at(i));
    store<f32>(p + at(i), -lr * gi + pi);
  }
}

/** SGD step with a momentum buffer b. `first` (0/1) marks the first step, where b is set to the gradient.
 * oneMinusDampening = 1 − τ comes from TypeScript in float64, as torch computes it in Python. */
export function f32_sgd_momentum(
  p: usize, g: usize, b: usize, n: i32,
  lr: f32, weightDecay: f32, momentum: f32, oneMinusDampening: f32, nesterov: i32, first: i32, gradSign: f32,
): void {
  // Branch once, outside the loop: each call below inlines a loop specialised for its flags.
  if (first) {
    if (nesterov) sgdMomentumLoop(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, gradSign, true, true);
    else sgdMomentumLoop(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, gradSign, true, false);
  } else {
    if (nesterov) sgdMomentumLoop(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, gradSign, false, true);
    else sgdMomentumLoop(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, gradSign, false, false);
  }
}

// @ts-ignore: decorator
@inline function sgdMomentumLoop(
  p: usize, g: usize, b: usize, n: i32,
  lr: f32, weightDecay: f32, momentum: f32, oneMinusDampening: f32, gradSign: f32, first: bool, nesterov: bool,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vNegLr = f32x4.splat(-lr);
    const vWd = f32x4.splat(weightDecay);
    const vSign = f32x4.splat(gradSign);
    const vMu = f32x4.splat(momentum);
    const vOmd = f32x4.splat(oneMinusDampening);
    const vTiny = f32x4.splat(MIN_NORMAL);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      let vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vb = flushLanes(first ? vg : madd(vOmd, vg, f32x4.mul(vMu, v128.load(b + at(i)))), vTiny);
      v128.store(b + at(i), vb);
      vg = nesterov ? madd(vMu, vb, vg) : vb;
      v128.store(p + at(i), madd(vNegLr, vg, vp));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    let gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const bi = flush(first ? gi : oneMinusDampening * gi + momentum * load<f32>(b + at(i)), MIN_NORMAL);
    store<f32>(b + at(i), bi);
    gi = nesterov ? momentum * bi + gi : bi;
    store<f32>(p + at(i), -lr * gi + pi);
  }
}
