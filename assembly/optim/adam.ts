// The Adam family (torch.optim.Adam, AdamW, Adamax, NAdam, RAdam), single-tensor operation order of PyTorch 2.x.
// Step-dependent factors (bias corrections, NAdam's momentum products, RAdam's rectification) come from
// TypeScript, computed in float64, and so do omb1 = 1 − β1 and omb2 = 1 − β2, as torch computes them in Python
// (1 − float32(0.999) would be off by 1.3e-5 relative). With g the gradient (negated when maximizing: gradSign = -1):
//
//   L2 weight decay        g = g + λ θ                  (Adam, Adamax, NAdam, RAdam: weightDecay)
//   decoupled weight decay θ = θ (1 − γ λ)              (AdamW, NAdam, RAdam: decay = 1 − γλ)
//   first moment           m = β1 m + (1 − β1) g
//   second moment          v = β2 v + (1 − β2) g²       (Adamax: u = max(β2 u, |g| + ε))
//
//   Adam    v̂ = max(v̂, v) if amsgrad, else v;   θ = θ − stepSize · m / (√v̂ · (1/√bc2) + ε)
//           (torch divides by √bc2; multiplying by its float64 reciprocal differs by an ulp and saves a division,
//           the bottleneck of this loop: ~15 % more parameters per second)
//   Adamax  θ = θ − stepSize · m / u
//   NAdam   d = √(v / bc2) + ε;   θ = θ + gradCoef · g / d + avgCoef · m / d
//   RAdam   rectified: θ = θ − stepSize · m / (√v + ε),   otherwise θ = θ − stepSize · m
import { at, madd, simdEnd } from "../simd";

/** Adam with L2 weight decay; `amsgrad` (0/1) keeps the running maximum of v in `vmax` (unused otherwise). */
export function f32_adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, stepSize: f32, invBc2Sqrt: f32,
  gradSign: f32, amsgrad: i32,
): void {
  if (amsgrad) {
    adamLoop(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign, true, false);
  } else {
    adamLoop(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign, false, false);
  }
}

/** AdamW: Adam with decoupled weight decay, θ = θ · decay (decay = 1 − lr · weightDecay) before the step. */
export function f32_adamw(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32,
  gradSign: f32, amsgrad: i32,
): void {
  if (amsgrad) {
    adamLoop(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign, true, true);
  } else {
    adamLoop(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign, false, true);
  }
}

// @ts-ignore: decorator
@inline function adamLoop(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32,
  gradSign: f32, amsgrad: bool, decoupled: bool,
): void {
  let i = 0;
  if (ASC_FEATURE_SIMD) {
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1);
    const vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2);
    const vEps = f32x4.splat(eps), vWd = f32x4.splat(weightDecay), vDecay = f32x4.splat(decay);
    const vNegStep = f32x4.splat(-stepSize), vInvBc2 = f32x4.splat(invBc2Sqrt), vSign = f32x4.splat(gradSign);
    // Two vectors per iteration: the divisions and square roots of the two overlap in the pipeline.
    for (; i + 8 <= n; i += 8) {
      adamVector(p, g, m, v, vmax, at(i), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2, vSign, amsgrad, decoupled);
      adamVector(p, g, m, v, vmax, at(i + 4), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2, vSign, amsgrad, decoupled);
    }
    for (; i + 4 <= n; i += 4) {
      adamVector(p, g, m, v, vmax, at(i), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2, vSign, amsgrad, decoupled);
    }
  }
  for (; i < n; i++) {
    let pi = load<f32>(p + at(i));
    let gi: f32 = gradSign * load<f32>(g + at(i));
    if (decoupled) pi = pi * decay;
    else gi = weightDecay * pi + gi;
    const mi: f32 = beta1 * load<f32>(m + at(i)) + omb1 * gi;
    let vi: f32 = omb2 * gi * gi + beta2 * load<f32>(v + at(i));
    store<f32>(m + at(i), mi);
    store<f32>(v + at(i), vi);
    if (amsgrad) {
      vi = max<f32>(load<f32>(vmax + at(i)), vi);
      store<f32>(vmax + at(i), vi);
    }
    const denom: f32 = sqrt<f32>(vi) * invBc2Sqrt + eps;
    store<f32>(p + at(i), -stepSize * (mi / denom) + pi);
  }
}

/** One f32x4 of Adam at byte offset o (called only inside `if (ASC_FEATURE_SIMD)`). */
// @ts-ignore: decorator
@inline function adamVector(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, o: usize,
  vB1: v128, vB2: v128, vOmb1: v128, vOmb2: v128, vEps: v128, vWd: v128, vDecay: v128, vNegStep: v128, vInvBc2: v128,
  vSign: v128, amsgrad: bool, decoupled: bool,
): void {
  let vp = v128.load(p + o);
  let vg = f32x4.mul(vSign, v128.load(g + o));
  if (decoupled) vp = f32x4.mul(vp, vDecay);
  else vg = madd(vWd, vp, vg);
  const vm = madd(vB1, v128.load(m + o), f32x4.mul(vOmb1, vg));
  let vv = madd(f32x4.mul(vOmb2, vg), vg, f32x4.mul(vB2, v128.load(v + o)));
  v128.store(m + o, vm);
  v128.store(v + o, vv);
  if (amsgrad) {
    vv = f32x4.max(v128.load(vmax + o), vv);
    v128.store(vmax + o, vv);
  }
  const denom = madd(f32x4.sqrt(vv), vInvBc2, vEps);
  v128.store(p + o, madd(vNegStep, f32x4.div(vm, denom), vp));
}

/** Adamax: the second moment is an exponentially weighted infinity norm u; stepSize = lr / (1 − β1^t). */
export function f32_adamax(
  p: usize, g: usize, m: usize, u: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, eps: f32, weightDecay: f32, stepSize: f32, gradSign: f32,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1), vB2 = f32x4.splat(beta2);
    const vEps = f32x4.splat(eps), vWd = f32x4.splat(weightDecay);
    const vNegStep = f32x4.splat(-stepSize), vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vm = madd(vB1, v128.load(m + at(i)), f32x4.mul(vOmb1, vg));
      const vu = f32x4.max(f32x4.mul(vB2, v128.load(u + at(i))), f32x4.add(f32x4.abs(vg), vEps));
      v128.store(m + at(i), vm);
      v128.store(u + at(i), vu);
      v128.store(p + at(i), madd(vNegStep, f32x4.div(vm, vu), vp));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const mi: f32 = beta1 * load<f32>(m + at(i)) + omb1 * gi;
    const ui = max<f32>(beta2 * load<f32>(u + at(i)), abs<f32>(gi) + eps);
    store<f32>(m + at(i), mi);
    store<f32>(u + at(i), ui);
    store<f32>(p + at(i), -stepSize * (mi / ui) + pi);
  }
}

/** NAdam (PyTorch 2.x). Pass weightDecay = λ, decay = 1 for L2 decay; weightDecay = 0, decay = 1 − γλ for
 * decoupled decay. bc2 = 1 − β2^t; gradCoef = −γ(1 − μ_t)/(1 − Πμ_1..t);
 * avgCoef = −γ μ_{t+1}/(1 − Πμ_1..t+1). */
export function f32_nadam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, bc2: f32,
  gradCoef: f32, avgCoef: f32, gradSign: f32,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1);
    const vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2);
    const vEps = f32x4.splat(eps), vWd = f32x4.splat(weightDecay), vDecay = f32x4.splat(decay);
    const vBc2 = f32x4.splat(bc2), vGradCoef = f32x4.splat(gradCoef), vAvgCoef = f32x4.splat(avgCoef);
    const vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      let vp = f32x4.mul(v128.load(p + at(i)), vDecay);
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vm = madd(vB1, v128.load(m + at(i)), f32x4.mul(vOmb1, vg));
      const vv = madd(f32x4.mul(vOmb2, vg), vg, f32x4.mul(vB2, v128.load(v + at(i))));
      v128.store(m + at(i), vm);
      v128.store(v + at(i), vv);
      const denom = f32x4.add(f32x4.sqrt(f32x4.div(vv, vBc2)), vEps);
      vp = madd(vGradCoef, f32x4.div(vg, denom), vp);
      v128.store(p + at(i), madd(vAvgCoef, f32x4.div(vm, denom), vp));
    }
  }
  for (let i = end; i < n; i++) {
    let pi: f32 = load<f32>(p + at(i)) * decay;
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const mi: f32 = beta1 * load<f32>(m + at(i)) + omb1 * gi;
    const vi: f32 = omb2 * gi * gi + beta2 * load<f32>(v + at(i));
    store<f32>(m + at(i), mi);
    store<f32>(v + at(i), vi);
    const denom: f32 = sqrt<f32>(vi / bc2) + eps;
    pi = gradCoef * (gi / denom) + pi;
    store<f32>(p + at(i), avgCoef * (mi / denom) + pi);
  }
}

/** RAdam (PyTorch 2.x). Weight decay as in f32_nadam. `rectified` (0/1) picks the adaptive step, with
 * stepSize = γ r_t √(1 − β2^t) / (1 − β1^t); otherwise the SGD-like step, stepSize = γ / (1 − β1^t). */
export function f32_radam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32,
  rectified: i32, gradSign: f32,
): void {
  if (rectified) radamLoop(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, gradSign, true);
  else radamLoop(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, gradSign, false);
}

// @ts-ignore: decorator
@inline function radamLoop(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32,
  gradSign: f32, rectified: bool,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1);
    const vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2);
    const vEps = f32x4.splat(eps), vWd = f32x4.splat(weightDecay), vDecay = f32x4.splat(decay);
    const vNegStep = f32x4.splat(-stepSize), vSign = f32x4.splat(gradSign);
    for (let i = 0; i < end; i += 4) {
      const vp = f32x4.mul(v128.load(p + at(i)), vDecay);
      const vg = madd(vWd, vp, f32x4.mul(vSign, v128.load(g + at(i))));
      const vm = madd(vB1, v128.load(m + at(i)), f32x4.mul(vOmb1, vg));
      const vv = madd(f32x4.mul(vOmb2, vg), vg, f32x4.mul(vB2, v128.load(v + at(i))));
      v128.store(m + at(i), vm);
      v128.store(v + at(i), vv);
      const update = rectified ? f32x4.div(vm, f32x4.add(f32x4.sqrt(vv), vEps)) : vm;
      v128.store(p + at(i), madd(vNegStep, update, vp));
    }
  }
  for (let i = end; i < n; i++) {
    const pi: f32 = load<f32>(p + at(i)) * decay;
    const gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const mi: f32 = beta1 * load<f32>(m + at(i)) + omb1 * gi;
    const vi: f32 = omb2 * gi * gi + beta2 * load<f32>(v + at(i));
    store<f32>(m + at(i), mi);
    store<f32>(v + at(i), vi);
    const update: f32 = rectified ? mi / (sqrt<f32>(vi) + eps) : mi;
    store<f32>(p + at(i), -stepSize * update + pi);
  }
}
