// Dropout (inverted, as torch.nn.Dropout in training mode):
//
//   y_i = x_i · scale  if keep_i,  else 0           scale = 1 / (1 − p)
//   dx_i = dy_i · scale  if keep_i,  else 0
//
// keep_i is a counter-based hash of (seed, call counter, i): h = lowbias32(lowbias32(i ^ k) + k) with
// k = lowbias32(lowbias32(seed) ^ counter); keep_i = (h >>> 8) ≥ threshold, threshold = round(p · 2²⁴). The mask is
// recomputed in backward instead of stored, and is the same on every backend and for every batch split.
import { at, simdEnd } from "../simd";

// @ts-ignore: decorator
@inline function lowbias32(x: u32): u32 {
  x ^= x >>> 16;
  x *= 0x7feb352d;
  x ^= x >>> 15;
  x *= 0x846ca68b;
  x ^= x >>> 16;
  return x;
}

// @ts-ignore: decorator
@inline function lowbias32V(x: v128): v128 {
  x = v128.xor(x, i32x4.shr_u(x, 16));
  x = i32x4.mul(x, i32x4.splat(0x7feb352d));
  x = v128.xor(x, i32x4.shr_u(x, 15));
  x = i32x4.mul(x, i32x4.splat(0x846ca68b));
  x = v128.xor(x, i32x4.shr_u(x, 16));
  return x;
}

// @ts-ignore: decorator
@inline function keep(i: i32, key: u32, threshold: i32): bool {
  return <i32>(lowbias32(lowbias32(<u32>i ^ key) + key) >>> 8) >= threshold;
}

/** y = x · scale where kept, else 0. The same function makes dx from dy in backward. */
export function f32_dropout(y: usize, x: usize, n: i32, threshold: i32, scale: f32, seed: i32, counter: i32): void {
  const key = lowbias32(lowbias32(<u32>seed) ^ <u32>counter);
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vKey = i32x4.splat(key);
    const vThreshold = i32x4.splat(threshold);
    const vScale = f32x4.splat(scale);
    let index = i32x4(0, 1, 2, 3);
    const four = i32x4.splat(4);
    for (let i = 0; i < end; i += 4) {
      const h = lowbias32V(i32x4.add(lowbias32V(v128.xor(index, vKey)), vKey));
      const mask = i32x4.ge_s(i32x4.shr_u(h, 8), vThreshold);
      v128.store(y + at(i), v128.and(f32x4.mul(v128.load(x + at(i)), vScale), mask));
      index = i32x4.add(index, four);
    }
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), keep(i, key, threshold) ? load<f32>(x + at(i)) * scale : 0);
}
