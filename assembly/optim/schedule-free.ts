// Schedule-free SGD and AdamW (Defazio et al. 2024, "The Road Less Scheduled"; facebookresearch/schedule_free,
// schedulefree/sgd_schedulefree.py and adamw_schedulefree.py, the for-loop branch of step()). The parameters hold
// y, the point where the gradient is taken; z is the SGD (or Adam) iterate; x, the average that is evaluated, is
// never stored during training: y = (1 − β) z + β x. One step, element-wise:
//
//   ĝ = g + λ y                                              (SGD)
//   v ← β2 v + (1 − β2) g²;  ĝ = g / (√(v / (1 − β2^t)) + ε) + λ y                   (AdamW; inner momentum:
//        m ← μ m + (1 − μ) g and m / (1 − μ^t) in place of g)
//   y ← lerp(y, z, c);  y ← y + γ (β (1 − c) − 1) ĝ;  z ← z − γ ĝ
//
// c = ckp1 (the averaging weight), yStep = γ (β (1 − c) − 1) and the bias corrections come from TypeScript in
// float64. lerp is torch's (see f32_lerp). train()/eval() move the parameters between y and x with f32_lerp.
import { at, madd, simdEnd } from "../simd";
import { lerp1, lerp4 } from "./lerp";


// The last three lines of the step, on vectors; `small` is |w| < 0.5 (torch's lerp picks its formula by it).
// @ts-ignore: decorator
@inline function averageAndStep(y: usize, z: usize, i: i32, gn: v128, small: bool, vc: v128, vOmc: v128, vYStep: v128, vNegLr: v128): void {
  const vz = v128.load(z + at(i));
  v128.store(y + at(i), madd(vYStep, gn, lerp4(v128.load(y + at(i)), vz, small, vc, vOmc)));
  v128.store(z + at(i), madd(vNegLr, gn, vz));
}

// @ts-ignore: decorator
@inline function averageAndStep1(y: usize, z: usize, i: i32, gn: f32, c: f32, omc: f32, yStep: f32, lr: f32): void {
  const zi = load<f32>(z + at(i));
  store<f32>(y + at(i), yStep * gn + lerp1(load<f32>(y + at(i)), zi, c, omc));
  store<f32>(z + at(i), -lr * gn + zi);
}

/** One schedule-free SGD step over y (the parameters), g and z. */
export function f32_sgd_schedule_free(
  y: usize, g: usize, z: usize, n: i32, ckp1: f32, omCkp1: f32, yStep: f32, lr: f32, weightDecay: f32,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(ckp1), vOmc = f32x4.splat(omCkp1), vYStep = f32x4.splat(yStep), vNegLr = f32x4.splat(-lr);
    const vWd = f32x4.splat(weightDecay);
    const small = abs<f32>(ckp1) < 0.5;
    for (let i = 0; i < end; i += 4) {
      const gn = madd(vWd, v128.load(y + at(i)), v128.load(g + at(i)));
      averageAndStep(y, z, i, gn, small, vc, vOmc, vYStep, vNegLr);
    }
  }
  for (let i = end; i < n; i++) {
    const gn = weightDecay * load<f32>(y + at(i)) + load<f32>(g + at(i));
    averageAndStep1(y, z, i, gn, ckp1, omCkp1, yStep, lr);
  }
}

/**
 * One schedule-free AdamW step over y, g, z, v (exp_avg_sq) and m (exp_avg, read only when innerMomentum ≠ 0);
 * bc2 = 1 − β2^t, invBc1 = 1 / (1 − μ^t).
 */
export function f32_adamw_schedule_free(
  y: usize, g: usize, z: usize, v: usize, m: usize, n: i32, beta2: f32, omb2: f32, bc2: f32, eps: f32,
  innerMomentum: f32, omInner: f32, invBc1: f32, ckp1: f32, omCkp1: f32, yStep: f32, lr: f32, weightDecay: f32,
): void {
  const inner = innerMomentum != 0;
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(ckp1), vOmc = f32x4.splat(omCkp1), vYStep = f32x4.splat(yStep), vNegLr = f32x4.splat(-lr);
    const vWd = f32x4.splat(weightDecay), vB2 = f32x4.splat(beta2), vOmb2 = f32x4.splat(omb2), vBc2 = f32x4.splat(bc2);
    const vEps = f32x4.splat(eps), vMu = f32x4.splat(innerMomentum), vOmMu = f32x4.splat(omInner), vInvBc1 = f32x4.splat(invBc1);
    const small = abs<f32>(ckp1) < 0.5;
    for (let i = 0; i < end; i += 4) {
      const vg = v128.load(g + at(i));
      const vv = f32x4.add(f32x4.mul(v128.load(v + at(i)), vB2), f32x4.mul(vOmb2, f32x4.mul(vg, vg)));
      v128.store(v + at(i), vv);
      const denom = f32x4.add(f32x4.sqrt(f32x4.div(vv, vBc2)), vEps);
      let num = vg;
      if (inner) {
        const vm = f32x4.add(f32x4.mul(v128.load(m + at(i)), vMu), f32x4.mul(vOmMu, vg));
        v128.store(m + at(i), vm);
        num = f32x4.mul(vm, vInvBc1);
      }
      const gn = madd(vWd, v128.load(y + at(i)), f32x4.div(num, denom));
      averageAndStep(y, z, i, gn, small, vc, vOmc, vYStep, vNegLr);
    }
  }
  for (let i = end; i < n; i++) {
    const gi = load<f32>(g + at(i));
    const vi = load<f32>(v + at(i)) * beta2 + omb2 * (gi * gi);
    store<f32>(v + at(i), vi);
    const denom = sqrt<f32>(vi / bc2) + eps;
    let num = gi;
    if (inner) {
      const mi = load<f32>(m + at(i)) * innerMomentum + omInner * gi;
      store<f32>(m + at(i), mi);
      num = mi * invBc1;
    }
    const gn = weightDecay * load<f32>(y + at(i)) + num / denom;
    averageAndStep1(y, z, i, gn, ckp1, omCkp1, yStep, lr);
  }
}

/** a ← lerp(a, b, w), torch's: a + w (b − a) for |w| < 0.5, b − (b − a)(1 − w) otherwise (omw = 1 − w). */
export function f32_lerp(a: usize, b: usize, n: i32, w: f32, omw: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vw = f32x4.splat(w), vOmw = f32x4.splat(omw);
    const small = abs<f32>(w) < 0.5;
    for (let i = 0; i < end; i += 4) {
      v128.store(a + at(i), lerp4(v128.load(a + at(i)), v128.load(b + at(i)), small, vw, vOmw));
    }
  }
  for (let i = end; i < n; i++) store<f32>(a + at(i), lerp1(load<f32>(a + at(i)), load<f32>(b + at(i)), w, omw));
}
