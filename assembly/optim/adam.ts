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
//
// bc2 = 1 − β2^t everywhere: NAdam's kernel takes bc2 itself, Adam's and AdamW's take invBc2Sqrt = 1 / √bc2.
//
// The five kernels run one loop (familyLoop): the moment updates and the weight decays are written once per lane
// type (familyVector for f32x4, familyScalar for the tail and the scalar build), and only the last line, the step
// of θ, depends on the algorithm. `kind` and the flags are constants at each call, so after inlining every kernel
// is its own loop without branches, as if written out by hand. When ε > 0, m and v (u) below 2^-126 are stored
// as 0 (./flush.ts: subnormals are slow, and flushing them changes θ by far less than an ulp).
import { at, madd } from "../simd";
import { flush, flushLanes, MIN_NORMAL } from "./flush";

const ADAM = 0; // Adam and AdamW
const ADAMAX = 1;
const NADAM = 2;
const RADAM = 3;

/** Adam with L2 weight decay; `amsgrad` (0/1) keeps the running maximum of v in `vmax` (unused otherwise).
 * stepSize = γ / (1 − β1^t); invBc2Sqrt = 1 / √(1 − β2^t). */
export function f32_adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, stepSize: f32, invBc2Sqrt: f32,
  gradSign: f32, amsgrad: i32,
): void {
  if (amsgrad) {
    familyLoop(ADAM, true, false, true, p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, 0, 0, 0, gradSign);
  } else {
    familyLoop(ADAM, false, false, true, p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, 0, 0, 0, gradSign);
  }
}

/** AdamW: Adam with decoupled weight decay, θ = θ · decay (decay = 1 − lr · weightDecay) before the step. */
export function f32_adamw(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32,
  gradSign: f32, amsgrad: i32,
): void {
  if (amsgrad) {
    familyLoop(ADAM, true, true, false, p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, 0, 0, 0, gradSign);
  } else {
    familyLoop(ADAM, false, true, false, p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, 0, 0, 0, gradSign);
  }
}

/** Adamax: the second moment is an exponentially weighted infinity norm u; stepSize = lr / (1 − β1^t). */
export function f32_adamax(
  p: usize, g: usize, m: usize, u: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, eps: f32, weightDecay: f32, stepSize: f32, gradSign: f32,
): void {
  familyLoop(ADAMAX, false, false, true, p, g, m, u, 0, n, beta1, beta2, omb1, 0, eps, weightDecay, 1, stepSize, 0, 0, 0, 0, gradSign);
}

/** NAdam (PyTorch 2.x). Pass weightDecay = λ, decay = 1 for L2 decay; weightDecay = 0, decay = 1 − γλ for
 * decoupled decay. bc2 = 1 − β2^t (not its square root); gradCoef = −γ(1 − μ_t)/(1 − Πμ_1..t);
 * avgCoef = −γ μ_{t+1}/(1 − Πμ_1..t+1). */
export function f32_nadam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, bc2: f32,
  gradCoef: f32, avgCoef: f32, gradSign: f32,
): void {
  familyLoop(NADAM, false, true, true, p, g, m, v, 0, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, 0, 0, bc2, gradCoef, avgCoef, gradSign);
}

/** RAdam (PyTorch 2.x). Weight decay as in f32_nadam. `rectified` (0/1) picks the adaptive step, with
 * stepSize = γ r_t √(1 − β2^t) / (1 − β1^t); otherwise the SGD-like step, stepSize = γ / (1 − β1^t). */
export function f32_radam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32,
  rectified: i32, gradSign: f32,
): void {
  if (rectified) {
    familyLoop(RADAM, true, true, true, p, g, m, v, 0, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, 0, 0, 0, 0, gradSign);
  } else {
    familyLoop(RADAM, false, true, true, p, g, m, v, 0, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, 0, 0, 0, 0, gradSign);
  }
}

/**
 * The loop of every kernel of the family. `flag` is amsgrad for ADAM and rectified for RADAM; `scaleByDecay`
 * multiplies θ by `decay` first (decoupled weight decay); `l2` adds weightDecay · θ to the gradient. `bc2`,
 * `gradCoef` and `avgCoef` are NAdam's, `invBc2Sqrt` Adam's; v is Adamax's u (and vmax only Adam's).
 */
// @ts-ignore: decorator
@inline function familyLoop(
  kind: i32, flag: bool, scaleByDecay: bool, l2: bool,
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32,
  invBc2Sqrt: f32, bc2: f32, gradCoef: f32, avgCoef: f32, gradSign: f32,
): void {
  let i = 0;
  const tiny: f32 = eps > 0 ? MIN_NORMAL : 0;
  if (ASC_FEATURE_SIMD) {
    const vTiny = f32x4.splat(tiny);
    const vB1 = f32x4.splat(beta1), vOmb1 = f32x4.splat(omb1);
    const vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2);
    const vEps = f32x4.splat(eps), vWd = f32x4.splat(weightDecay), vDecay = f32x4.splat(decay);
    const vNegStep = f32x4.splat(-stepSize), vInvBc2Sqrt = f32x4.splat(invBc2Sqrt), vSign = f32x4.splat(gradSign);
    const vBc2 = f32x4.splat(bc2), vGradCoef = f32x4.splat(gradCoef), vAvgCoef = f32x4.splat(avgCoef);
    if (kind == ADAM) {
      // Two vectors per iteration: the divisions and square roots of the two overlap in the pipeline.
      for (; i + 8 <= n; i += 8) {
        familyVector(kind, flag, scaleByDecay, l2, p, g, m, v, vmax, at(i), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2Sqrt, vBc2, vGradCoef, vAvgCoef, vSign, vTiny);
        familyVector(kind, flag, scaleByDecay, l2, p, g, m, v, vmax, at(i + 4), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2Sqrt, vBc2, vGradCoef, vAvgCoef, vSign, vTiny);
      }
    }
    for (; i + 4 <= n; i += 4) {
      familyVector(kind, flag, scaleByDecay, l2, p, g, m, v, vmax, at(i), vB1, vB2, vOmb1, vOmb2, vEps, vWd, vDecay, vNegStep, vInvBc2Sqrt, vBc2, vGradCoef, vAvgCoef, vSign, vTiny);
    }
  }
  for (; i < n; i++) {
    familyScalar(kind, flag, scaleByDecay, l2, p, g, m, v, vmax, at(i), beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, invBc2Sqrt, bc2, gradCoef, avgCoef, gradSign, tiny);
  }
}

/** One f32x4 of the family at byte offset o (called only inside `if (ASC_FEATURE_SIMD)`). */
// @ts-ignore: decorator
@inline function familyVector(
  kind: i32, flag: bool, scaleByDecay: bool, l2: bool,
  p: usize, g: usize, m: usize, v: usize, vmax: usize, o: usize,
  vB1: v128, vB2: v128, vOmb1: v128, vOmb2: v128, vEps: v128, vWd: v128, vDecay: v128, vNegStep: v128,
  vInvBc2Sqrt: v128, vBc2: v128, vGradCoef: v128, vAvgCoef: v128, vSign: v128, vTiny: v128,
): void {
  let vp = v128.load(p + o);
  if (scaleByDecay) vp = f32x4.mul(vp, vDecay); //                            θ = θ (1 − γλ)
  let vg = f32x4.mul(vSign, v128.load(g + o));
  if (l2) vg = madd(vWd, vp, vg); //                                            g = g + λθ
  // Every load comes before the first store: the engine cannot move a load past a store that may alias it.
  const vm = flushLanes(madd(vB1, v128.load(m + o), f32x4.mul(vOmb1, vg)), vTiny); // m = β1 m + (1 − β1) g
  if (kind == ADAMAX) {
    const vu = flushLanes(f32x4.max(f32x4.mul(vB2, v128.load(v + o)), f32x4.add(f32x4.abs(vg), vEps)), vTiny); // u = max(β2 u, |g| + ε)
    v128.store(m + o, vm);
    v128.store(v + o, vu);
    v128.store(p + o, madd(vNegStep, f32x4.div(vm, vu), vp));
    return;
  }
  let vv = flushLanes(madd(f32x4.mul(vOmb2, vg), vg, f32x4.mul(vB2, v128.load(v + o))), vTiny); // v = β2 v + (1 − β2) g²
  v128.store(m + o, vm);
  v128.store(v + o, vv);
  if (kind == ADAM) {
    if (flag) {
      vv = f32x4.max(v128.load(vmax + o), vv);
      v128.store(vmax + o, vv);
    }
    const denom = madd(f32x4.sqrt(vv), vInvBc2Sqrt, vEps);
    v128.store(p + o, madd(vNegStep, f32x4.div(vm, denom), vp));
  } else if (kind == NADAM) {
    const denom = f32x4.add(f32x4.sqrt(f32x4.div(vv, vBc2)), vEps);
    vp = madd(vGradCoef, f32x4.div(vg, denom), vp);
    v128.store(p + o, madd(vAvgCoef, f32x4.div(vm, denom), vp));
  } else {
    const update = flag ? f32x4.div(vm, f32x4.add(f32x4.sqrt(vv), vEps)) : vm;
    v128.store(p + o, madd(vNegStep, update, vp));
  }
}

/** One element of the family at byte offset o: the same operations as familyVector, in float32. */
// @ts-ignore: decorator
@inline function familyScalar(
  kind: i32, flag: bool, scaleByDecay: bool, l2: bool,
  p: usize, g: usize, m: usize, v: usize, vmax: usize, o: usize,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32,
  invBc2Sqrt: f32, bc2: f32, gradCoef: f32, avgCoef: f32, gradSign: f32, tiny: f32,
): void {
  let pi = load<f32>(p + o);
  if (scaleByDecay) pi = pi * decay;
  let gi: f32 = gradSign * load<f32>(g + o);
  if (l2) gi = weightDecay * pi + gi;
  const mi = flush(beta1 * load<f32>(m + o) + omb1 * gi, tiny);
  store<f32>(m + o, mi);
  if (kind == ADAMAX) {
    const ui = flush(max<f32>(beta2 * load<f32>(v + o), abs<f32>(gi) + eps), tiny);
    store<f32>(v + o, ui);
    store<f32>(p + o, -stepSize * (mi / ui) + pi);
    return;
  }
  let vi = flush(omb2 * gi * gi + beta2 * load<f32>(v + o), tiny);
  store<f32>(v + o, vi);
  if (kind == ADAM) {
    if (flag) {
      vi = max<f32>(load<f32>(vmax + o), vi);
      store<f32>(vmax + o, vi);
    }
    const denom: f32 = sqrt<f32>(vi) * invBc2Sqrt + eps;
    store<f32>(p + o, -stepSize * (mi / denom) + pi);
  } else if (kind == NADAM) {
    const denom: f32 = sqrt<f32>(vi / bc2) + eps;
    pi = gradCoef * (gi / denom) + pi;
    store<f32>(p + o, avgCoef * (mi / denom) + pi);
  } else {
    const update: f32 = flag ? mi / (sqrt<f32>(vi) + eps) : mi;
    store<f32>(p + o, -stepSize * update + pi);
  }
}
