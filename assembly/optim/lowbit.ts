// Low-bit optimizer state (stateDtype 'bf16' and 'int8') for Adam, AdamW and SGD with momentum. The update rule
// is the float32 one of ./adam.ts and ./sgd.ts, in the same operation order; only the storage of the moments
// differs: each kernel reads a state, dequantizes it, updates it in float32 and stores it quantized again, in one
// call.
//
// bf16: the high 16 bits of the float32, rounded to nearest, ties to even (NaN stays a quiet NaN).
//
// int8: bitsandbytes' blockwise dynamic quantization (Dettmers et al., 8-bit Optimizers via Block-wise
// Quantization, 2022; bitsandbytes/functional.py `create_dynamic_map`, csrc/kernels.cu
// `kOptimizerStatic8bit2StateBlockwise`). The state is cut into blocks of Q8_BLOCK = 256 values, each stored as
// one f32 absmax (the largest |value| of the block) and 256 byte codes into a 256-entry map of [−1, 1]: the value
// is map[code] · absmax. The first moment and SGD's momentum use the signed dynamic map, Adam's second moment
// (never negative) the unsigned one, as bitsandbytes does. Quantizing x = value / absmax takes the nearest map
// entry, a tie at a midpoint (computed in float32 as (a + b) · 0.5) going to the entry of even index: exactly
// what bitsandbytes' binary search (`quantize_2D`) returns. Then, as bitsandbytes, a negative first moment never
// becomes code 0's +0: it takes the smallest negative entry instead. x is value / absmax, rounded once (so
// |x| ≤ 1; bitsandbytes' __fdividef is an approximate division); a block of zeros (absmax 0) stores the code of 0
// (bitsandbytes divides 0 by 0 there and stores some code; any code times 0 dequantizes to 0).
//
// The search is a table lookup instead of bitsandbytes' eight dependent steps: |x|'s float32 bits >> 15 (the
// exponent and 8 bits of the mantissa) index a bucket holding the nearest entry to the bucket's lowest value;
// each bucket holds at most one midpoint (checked when the table is built, src/optim/qmap.ts), so one comparison
// with that entry's upper midpoint finishes the search. The signed map is symmetric (map[254 − k] = −map[k]), so
// a negative x is looked up as |x| and mirrored. Both steps are selects, not branches (their outcome is random).
//
// The absmax of a block is that of the updated values, so an int8 kernel goes over each block twice: the first
// pass computes the new moments for their absmax only, the second computes them again (the same operations, the
// same bits), steps θ and stores the codes. All of it is scalar code (the map lookups are gathers), the same in
// every build, so every backend writes the same bits. As in the float32 kernels, moments below 2^-126 are
// stored as 0 (./flush.ts).
import { at } from "../simd";
import { flush, MIN_NORMAL } from "./flush";

/** Values per int8 block (one f32 absmax each). */
export const Q8_BLOCK: i32 = 256;
/** Byte offsets inside one quantization map as src/optim/qmap.ts lays it out: the 256 f32 entries ascending, */
export const QMAP_CODE: i32 = 0;
/** the 256 f32 upper midpoints fl((map[k] + map[k+1]) · 0.5) (the last one +∞), */
export const QMAP_MID: i32 = 1024;
/** and one u8 per bucket of |x|: the nearest entry to the bucket's lowest value. */
export const QMAP_BUCKETS: i32 = 2048;
/** The first bucket is that of 2^-24 (bits >> 15 of 2^-24); every smaller |x| falls into it. */
export const QMAP_BUCKET_LOW: i32 = 103 << 8;
/** Buckets up to that of 1.0. */
export const QMAP_BUCKET_COUNT: i32 = (127 << 8) - QMAP_BUCKET_LOW + 1;
/** Bytes of one map; the unsigned map follows the signed one at this offset. */
export const QMAP_BYTES: i32 = (QMAP_BUCKETS + QMAP_BUCKET_COUNT + 15) & ~15;

/** Adam with L2 weight decay, bf16 state m, v (u16 each). Scalars as f32_adam; amsgrad is not supported. */
export function bf16_adam(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  bf16AdamLoop(false, p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign);
}

/** AdamW (decay = 1 − lr · weightDecay), bf16 state. */
export function bf16_adamw(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  bf16AdamLoop(true, p, g, m, v, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign);
}

/** Adam with L2 weight decay, int8 state: codes m, v (one byte each), `absmax` the f32 absmax of m's blocks then
 * of v's ((n + 255) >> 8 each), `qmap` the signed map followed by the unsigned one (src/optim/qmap.ts). */
export function q8_adam(
  p: usize, g: usize, m: usize, v: usize, absmax: usize, n: i32, qmap: usize,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  q8AdamLoop(false, p, g, m, v, absmax, n, qmap, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign);
}

/** AdamW (decay = 1 − lr · weightDecay), int8 state as q8_adam. */
export function q8_adamw(
  p: usize, g: usize, m: usize, v: usize, absmax: usize, n: i32, qmap: usize,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  q8AdamLoop(true, p, g, m, v, absmax, n, qmap, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign);
}

/** SGD with momentum, bf16 momentum buffer b. Scalars as f32_sgd_momentum. */
export function bf16_sgd_momentum(
  p: usize, g: usize, b: usize, n: i32,
  lr: f32, weightDecay: f32, momentum: f32, oneMinusDampening: f32, nesterov: i32, first: i32, gradSign: f32,
): void {
  for (let i = 0; i < n; i++) {
    const pi = load<f32>(p + at(i));
    let gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
    const bi = flush(first ? gi : oneMinusDampening * gi + momentum * bf16Load(b, i), MIN_NORMAL);
    store<u16>(b + (<usize>i << 1), bf16Round(bi));
    gi = nesterov ? momentum * bi + gi : bi;
    store<f32>(p + at(i), -lr * gi + pi);
  }
}

/** SGD with momentum, int8 momentum buffer: codes b, `absmax` one f32 per block, `qmap` the signed map. */
export function q8_sgd_momentum(
  p: usize, g: usize, b: usize, absmax: usize, n: i32, qmap: usize,
  lr: f32, weightDecay: f32, momentum: f32, oneMinusDampening: f32, nesterov: i32, first: i32, gradSign: f32,
): void {
  for (let start = 0; start < n; start += Q8_BLOCK) {
    const end = min(start + Q8_BLOCK, n);
    const a = absmax + (<usize>(start >> 8) << 2);
    const old = load<f32>(a);
    let top: f32 = 0;
    for (let i = start; i < end; i++) {
      const gi: f32 = weightDecay * load<f32>(p + at(i)) + gradSign * load<f32>(g + at(i));
      top = max<f32>(top, abs<f32>(flush(first ? gi : oneMinusDampening * gi + momentum * q8Load(qmap, b, i, old), MIN_NORMAL)));
    }
    for (let i = start; i < end; i++) {
      const pi = load<f32>(p + at(i));
      let gi: f32 = weightDecay * pi + gradSign * load<f32>(g + at(i));
      const bi = flush(first ? gi : oneMinusDampening * gi + momentum * q8Load(qmap, b, i, old), MIN_NORMAL);
      store<u8>(b + i, q8Signed(qmap, bi, top));
      gi = nesterov ? momentum * bi + gi : bi;
      store<f32>(p + at(i), -lr * gi + pi);
    }
    store<f32>(a, top);
  }
}

// @ts-ignore: decorator
@inline function bf16AdamLoop(
  decoupled: bool, p: usize, g: usize, m: usize, v: usize, n: i32,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  const tiny: f32 = eps > 0 ? MIN_NORMAL : 0;
  for (let i = 0; i < n; i++) {
    const pi = decayed(decoupled, p, i, decay);
    const gi = adamGrad(decoupled, g, i, pi, weightDecay, gradSign);
    const mi = flush(beta1 * bf16Load(m, i) + omb1 * gi, tiny); //   m = β1 m + (1 − β1) g
    const vi = flush(omb2 * gi * gi + beta2 * bf16Load(v, i), tiny); // v = β2 v + (1 − β2) g²
    store<u16>(m + (<usize>i << 1), bf16Round(mi));
    store<u16>(v + (<usize>i << 1), bf16Round(vi));
    store<f32>(p + at(i), adamStep(pi, mi, vi, eps, stepSize, invBc2Sqrt));
  }
}

// @ts-ignore: decorator
@inline function q8AdamLoop(
  decoupled: bool, p: usize, g: usize, m: usize, v: usize, absmax: usize, n: i32, qmap: usize,
  beta1: f32, beta2: f32, omb1: f32, omb2: f32, eps: f32, weightDecay: f32, decay: f32, stepSize: f32, invBc2Sqrt: f32, gradSign: f32,
): void {
  const tiny: f32 = eps > 0 ? MIN_NORMAL : 0;
  const umap = qmap + QMAP_BYTES;
  const blocks = (n + Q8_BLOCK - 1) >> 8;
  for (let start = 0; start < n; start += Q8_BLOCK) {
    const end = min(start + Q8_BLOCK, n);
    const am = absmax + (<usize>(start >> 8) << 2);
    const av = am + (<usize>blocks << 2);
    const oldM = load<f32>(am), oldV = load<f32>(av);
    let topM: f32 = 0, topV: f32 = 0;
    for (let i = start; i < end; i++) { // the new moments' absmax
      const gi = adamGrad(decoupled, g, i, decayed(decoupled, p, i, decay), weightDecay, gradSign);
      topM = max<f32>(topM, abs<f32>(flush(beta1 * q8Load(qmap, m, i, oldM) + omb1 * gi, tiny)));
      topV = max<f32>(topV, flush(omb2 * gi * gi + beta2 * q8Load(umap, v, i, oldV), tiny));
    }
    for (let i = start; i < end; i++) { // the same moments again: step θ, store their codes
      const pi = decayed(decoupled, p, i, decay);
      const gi = adamGrad(decoupled, g, i, pi, weightDecay, gradSign);
      const mi = flush(beta1 * q8Load(qmap, m, i, oldM) + omb1 * gi, tiny);
      const vi = flush(omb2 * gi * gi + beta2 * q8Load(umap, v, i, oldV), tiny);
      store<u8>(m + i, q8Signed(qmap, mi, topM));
      store<u8>(v + i, <u8>q8Nearest(umap, scaled(vi, topV)));
      store<f32>(p + at(i), adamStep(pi, mi, vi, eps, stepSize, invBc2Sqrt));
    }
    store<f32>(am, topM);
    store<f32>(av, topV);
  }
}

/** θ, times decay for decoupled weight decay. */
// @ts-ignore: decorator
@inline function decayed(decoupled: bool, p: usize, i: i32, decay: f32): f32 {
  const pi = load<f32>(p + at(i));
  return decoupled ? pi * decay : pi;
}

/** The gradient (negated when maximizing), plus λθ for L2 weight decay. */
// @ts-ignore: decorator
@inline function adamGrad(decoupled: bool, g: usize, i: i32, pi: f32, weightDecay: f32, gradSign: f32): f32 {
  const gi: f32 = gradSign * load<f32>(g + at(i));
  return decoupled ? gi : weightDecay * pi + gi;
}

/** θ − stepSize · m / (√v · (1/√bc2) + ε), as f32_adam. */
// @ts-ignore: decorator
@inline function adamStep(pi: f32, mi: f32, vi: f32, eps: f32, stepSize: f32, invBc2Sqrt: f32): f32 {
  const denom: f32 = sqrt<f32>(vi) * invBc2Sqrt + eps;
  return -stepSize * (mi / denom) + pi;
}

/** Element i of a bf16 array as f32. */
// @ts-ignore: decorator
@inline function bf16Load(s: usize, i: i32): f32 {
  return reinterpret<f32>(<u32>load<u16>(s + (<usize>i << 1)) << 16);
}

/** x rounded to bf16, to nearest with ties to even; a NaN stays a (quiet) NaN. */
// @ts-ignore: decorator
@inline function bf16Round(x: f32): u16 {
  const bits = reinterpret<u32>(x);
  if (x != x) return <u16>((bits >> 16) | 0x40);
  return <u16>((bits + 0x7fff + ((bits >> 16) & 1)) >> 16);
}

/** Element i of an int8 state: map[code] · absmax. */
// @ts-ignore: decorator
@inline function q8Load(map: usize, codes: usize, i: i32, absmax: f32): f32 {
  return load<f32>(map + QMAP_CODE + (<usize>load<u8>(codes + i) << 2)) * absmax;
}

/** s / absmax, or 0 in a block of zeros. */
// @ts-ignore: decorator
@inline function scaled(s: f32, top: f32): f32 {
  return select<f32>(s / top, 0, top > 0);
}

/** The code of value s on the signed map, in a block of absmax `top`. */
// @ts-ignore: decorator
@inline function q8Signed(map: usize, s: f32, top: f32): u8 {
  const x = scaled(s, top);
  let k = q8Nearest(map, abs<f32>(x));
  k = select<i32>(max(0, 254 - k), k, x < 0); // the map is symmetric: mirror |x|'s entry
  k -= <i32>(k == 127) & <i32>(reinterpret<u32>(s) >> 31); // a negative moment keeps its sign (bitsandbytes)
  return <u8>k;
}

/** Index of the entry nearest to a ∈ [0, 1] (ties to the even index), by the bucket table. */
// @ts-ignore: decorator
@inline function q8Nearest(map: usize, a: f32): i32 {
  const b = min(max(<i32>(reinterpret<u32>(a) >> 15) - QMAP_BUCKET_LOW, 0), QMAP_BUCKET_COUNT - 1);
  let k = <i32>load<u8>(map + QMAP_BUCKETS + b);
  const mid = load<f32>(map + QMAP_MID + (<usize>k << 2));
  return k + (<i32>(a > mid) | (<i32>(a == mid) & k & 1));
}
