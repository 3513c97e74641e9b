// Batch normalization (torch.nn.BatchNorm1d / BatchNorm2d) over data laid out [N, C, L], per channel c:
//
//   train:  μ = mean_{n,l} x,   σ² = mean_{n,l} (x − μ)²   (biased; sums in float64, see channel.ts)
//           running_mean ← (1 − momentum) running_mean + momentum μ
//           running_var  ← (1 − momentum) running_var  + momentum σ² M / (M − 1)        (M = N·L)
//   eval:   μ = running_mean, σ² = running_var
//   y = γ (x − μ) / √(σ² + ε) + β  =  x · scale + shift,   scale = γ / √(σ² + ε),  shift = β − μ · scale
//
//   backward (x̂ = (x − μ) / √(σ² + ε)):
//           ∂β += Σ dy,   ∂γ += Σ dy x̂
//   train:  dx = scale · (dy − Σ dy / M − (x − μ) · k),   k = Σ dy (x − μ) / ((σ² + ε) M)
//   eval:   dx = scale · dy                               (gmean = k = 0)
import { at, madd, simdEnd } from "../simd";
import { channelSum, DOTDEV, pairSum, SQDEV, SUM } from "./channel";

/** Per-channel batch mean and biased variance of x [n, C, L] (float64 sums, stored as float32). */
export function f32_bn_stats(mean: usize, variance: usize, x: usize, n: i32, C: i32, L: i32): void {
  const count = <f64>n * <f64>L;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    if (L == 1) {
      const zero = f64x2.splat(0);
      for (; c + 2 <= C; c += 2) {
        const s = pairSum(x, x, n, C, c, zero, SUM);
        const m0 = f64x2.extract_lane(s, 0) / count;
        const m1 = f64x2.extract_lane(s, 1) / count;
        const q = pairSum(x, x, n, C, c, f64x2.replace_lane(f64x2.splat(m0), 1, m1), SQDEV);
        storeStats(mean, variance, c, m0, f64x2.extract_lane(q, 0) / count);
        storeStats(mean, variance, c + 1, m1, f64x2.extract_lane(q, 1) / count);
      }
    }
  }
  for (; c < C; c++) {
    const m = channelSum(x, x, n, C, L, c, 0, SUM) / count;
    storeStats(mean, variance, c, m, channelSum(x, x, n, C, L, c, m, SQDEV) / count);
  }
}

// @ts-ignore: decorator
@inline function storeStats(mean: usize, variance: usize, c: i32, m: f64, v: f64): void {
  store<f32>(mean + at(c), <f32>m);
  store<f32>(variance + at(c), <f32>v);
}

/** running ← (1 − momentum) running + momentum batch, for the mean and for the variance times `unbias` (M/(M−1)). */
export function f32_bn_update_running(
  runningMean: usize, runningVar: usize, mean: usize, variance: usize, C: i32, momentum: f64, unbias: f64,
): void {
  const keep = 1 - momentum;
  for (let c = 0; c < C; c++) {
    const rm = <f64>load<f32>(runningMean + at(c));
    const rv = <f64>load<f32>(runningVar + at(c));
    store<f32>(runningMean + at(c), <f32>(momentum * <f64>load<f32>(mean + at(c)) + keep * rm));
    store<f32>(runningVar + at(c), <f32>(momentum * (<f64>load<f32>(variance + at(c)) * unbias) + keep * rv));
  }
}

/** invstd = 1/√(σ² + ε), scale = γ · invstd, shift = β − μ · scale (float64, stored as float32). */
export function f32_bn_scale_shift(
  scale: usize, shift: usize, invstd: usize, mean: usize, variance: usize, gamma: usize, beta: usize, C: i32, eps: f64,
): void {
  for (let c = 0; c < C; c++) {
    const is = 1 / Math.sqrt(<f64>load<f32>(variance + at(c)) + eps);
    const s = <f64>load<f32>(gamma + at(c)) * is;
    store<f32>(invstd + at(c), <f32>is);
    store<f32>(scale + at(c), <f32>s);
    store<f32>(shift + at(c), <f32>(<f64>load<f32>(beta + at(c)) - <f64>load<f32>(mean + at(c)) * s));
  }
}

/** y = x · scale[c] + shift[c] over x [n, C, L] (fused in the relaxed-SIMD build). y may be x. */
export function f32_channel_affine(y: usize, x: usize, scale: usize, shift: usize, n: i32, C: i32, L: i32): void {
  if (L == 1) {
    // [n, C]: vectors run across channels.
    const end = simdEnd(C);
    for (let r = 0; r < n; r++) {
      const row = r * C;
      if (ASC_FEATURE_SIMD) {
        for (let c = 0; c < end; c += 4) {
          v128.store(y + at(row + c), madd(v128.load(x + at(row + c)), v128.load(scale + at(c)), v128.load(shift + at(c))));
        }
      }
      for (let c = end; c < C; c++) {
        store<f32>(y + at(row + c), load<f32>(x + at(row + c)) * load<f32>(scale + at(c)) + load<f32>(shift + at(c)));
      }
    }
    return;
  }
  const end = simdEnd(L);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < C; c++) {
      const row = (r * C + c) * L;
      const s = load<f32>(scale + at(c));
      const t = load<f32>(shift + at(c));
      if (ASC_FEATURE_SIMD) {
        const vs = f32x4.splat(s);
        const vt = f32x4.splat(t);
        for (let l = 0; l < end; l += 4) v128.store(y + at(row + l), madd(v128.load(x + at(row + l)), vs, vt));
      }
      for (let l = end; l < L; l++) store<f32>(y + at(row + l), load<f32>(x + at(row + l)) * s + t);
    }
  }
}

/**
 * The per-channel sums of the backward pass: ∂β += Σ dy, ∂γ += invstd Σ dy (x − μ), and the coefficients of the
 * input gradient: gmean = Σ dy / M, k = invstd² Σ dy (x − μ) / M in training, both 0 in eval mode.
 */
export function f32_bn_backward_reduce(
  dgamma: usize, dbeta: usize, gmean: usize, k: usize,
  dy: usize, x: usize, mean: usize, invstd: usize, n: i32, C: i32, L: i32, training: i32,
): void {
  const count = <f64>n * <f64>L;
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    if (L == 1) {
      for (; c + 2 <= C; c += 2) {
        const vm = f64x2.promote_low_f32x4(v128.load64_zero(mean + at(c)));
        const sdy = pairSum(dy, dy, n, C, c, vm, SUM);
        const dot = pairSum(x, dy, n, C, c, vm, DOTDEV);
        storeGrads(dgamma, dbeta, gmean, k, invstd, c, f64x2.extract_lane(sdy, 0), f64x2.extract_lane(dot, 0), count, training);
        storeGrads(dgamma, dbeta, gmean, k, invstd, c + 1, f64x2.extract_lane(sdy, 1), f64x2.extract_lane(dot, 1), count, training);
      }
    }
  }
  for (; c < C; c++) {
    const m = <f64>load<f32>(mean + at(c));
    const sdy = channelSum(dy, dy, n, C, L, c, m, SUM);
    storeGrads(dgamma, dbeta, gmean, k, invstd, c, sdy, channelSum(x, dy, n, C, L, c, m, DOTDEV), count, training);
  }
}

// @ts-ignore: decorator
@inline function storeGrads(
  dgamma: usize, dbeta: usize, gmean: usize, k: usize, invstd: usize, c: i32, sdy: f64, dot: f64, count: f64, training: i32,
): void {
  const is = <f64>load<f32>(invstd + at(c));
  store<f32>(dbeta + at(c), load<f32>(dbeta + at(c)) + <f32>sdy);
  store<f32>(dgamma + at(c), load<f32>(dgamma + at(c)) + <f32>(dot * is));
  store<f32>(gmean + at(c), training ? <f32>(sdy / count) : 0);
  store<f32>(k + at(c), training ? <f32>(dot * is * is / count) : 0);
}

/** dx = ((dy − gmean[c]) − (x − μ[c]) · k[c]) · scale[c] over [n, C, L]. */
export function f32_bn_backward_input(
  dx: usize, dy: usize, x: usize, mean: usize, gmean: usize, k: usize, scale: usize, n: i32, C: i32, L: i32,
): void {
  if (L == 1) {
    const end = simdEnd(C);
    for (let r = 0; r < n; r++) {
      const row = r * C;
      if (ASC_FEATURE_SIMD) {
        for (let c = 0; c < end; c += 4) {
          const vdev = f32x4.mul(f32x4.sub(v128.load(x + at(row + c)), v128.load(mean + at(c))), v128.load(k + at(c)));
          const vg = f32x4.sub(f32x4.sub(v128.load(dy + at(row + c)), v128.load(gmean + at(c))), vdev);
          v128.store(dx + at(row + c), f32x4.mul(vg, v128.load(scale + at(c))));
        }
      }
      for (let c = end; c < C; c++) {
        const dev = (load<f32>(x + at(row + c)) - load<f32>(mean + at(c))) * load<f32>(k + at(c));
        store<f32>(dx + at(row + c), (load<f32>(dy + at(row + c)) - load<f32>(gmean + at(c)) - dev) * load<f32>(scale + at(c)));
      }
    }
    return;
  }
  const end = simdEnd(L);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < C; c++) {
      const row = (r * C + c) * L;
      const m = load<f32>(mean + at(c));
      const g = load<f32>(gmean + at(c));
      const kc = load<f32>(k + at(c));
      const s = load<f32>(scale + at(c));
      if (ASC_FEATURE_SIMD) {
        const vm = f32x4.splat(m);
        const vgm = f32x4.splat(g);
        const vk = f32x4.splat(kc);
        const vs = f32x4.splat(s);
        for (let l = 0; l < end; l += 4) {
          const vdev = f32x4.mul(f32x4.sub(v128.load(x + at(row + l)), vm), vk);
          const vg = f32x4.sub(f32x4.sub(v128.load(dy + at(row + l)), vgm), vdev);
          v128.store(dx + at(row + l), f32x4.mul(vg, vs));
        }
      }
      for (let l = end; l < L; l++) {
        const dev = (load<f32>(x + at(row + l)) - m) * kc;
        store<f32>(dx + at(row + l), (load<f32>(dy + at(row + l)) - g - dev) * s);
      }
    }
  }
}
