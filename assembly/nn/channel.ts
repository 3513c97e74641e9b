// Per-channel sums over batched data laid out [N, C, L] (NCHW with L = H·W; BatchNorm1d's [N, C] is L = 1):
//
//   SUM:    Σ_{n,l} a[n,c,l]          SQDEV:  Σ_{n,l} (a[n,c,l] − m)²          DOTDEV:  Σ_{n,l} b[n,c,l] (a[n,c,l] − m)
//
// Accumulated in float64 in one fixed order, whatever the build (as in linalg/reduce.ts), so that the SIMD,
// relaxed-SIMD, scalar and JavaScript versions return the same bits: per channel, four partial sums s_k over the
// elements l < L & ~3 with l mod 4 = k of every row n (rows in order), a tail sum t over the remaining elements
// of every row (in order), total = ((s0 + s1) + (s2 + s3)) + t. With L = 1 this is the plain sum over n in order,
// which the SIMD build computes for two channels at a time (pairSum).
import { at } from "../simd";

export const SUM = 0;
export const SQDEV = 1;
export const DOTDEV = 2;

// @ts-ignore: decorator
@inline function summand(a: usize, b: usize, i: i32, m: f64, kind: i32): f64 {
  const x = <f64>load<f32>(a + at(i));
  if (kind == SUM) return x;
  const d = x - m;
  if (kind == SQDEV) return d * d;
  return <f64>load<f32>(b + at(i)) * d;
}

// @ts-ignore: decorator
@inline function vsummand(va: v128, vb: v128, vm: v128, kind: i32): v128 {
  if (kind == SUM) return va;
  const d = f64x2.sub(va, vm);
  if (kind == SQDEV) return f64x2.mul(d, d);
  return f64x2.mul(vb, d);
}

/** The sum of `kind` over channel c of a (and b) [n, C, L], m the channel's centre, in the order above. */
// @ts-ignore: decorator
@inline export function channelSum(a: usize, b: usize, n: i32, C: i32, L: i32, c: i32, m: f64, kind: i32): f64 {
  const end = L & ~3;
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0, t: f64 = 0;
  if (end > 0) {
    if (ASC_FEATURE_SIMD) {
      let acc01 = f64x2.splat(0);
      let acc23 = f64x2.splat(0);
      const vm = f64x2.splat(m);
      for (let r = 0; r < n; r++) {
        const row = (r * C + c) * L;
        for (let l = 0; l < end; l += 4) {
          const va = v128.load(a + at(row + l));
          const vb = kind == DOTDEV ? v128.load(b + at(row + l)) : va;
          const vbHigh = v128.shuffle<f32>(vb, vb, 2, 3, 2, 3);
          acc01 = f64x2.add(acc01, vsummand(f64x2.promote_low_f32x4(va), f64x2.promote_low_f32x4(vb), vm, kind));
          acc23 = f64x2.add(acc23, vsummand(f64x2.promote_low_f32x4(v128.shuffle<f32>(va, va, 2, 3, 2, 3)), f64x2.promote_low_f32x4(vbHigh), vm, kind));
        }
      }
      s0 = f64x2.extract_lane(acc01, 0);
      s1 = f64x2.extract_lane(acc01, 1);
      s2 = f64x2.extract_lane(acc23, 0);
      s3 = f64x2.extract_lane(acc23, 1);
    } else {
      for (let r = 0; r < n; r++) {
        const row = (r * C + c) * L;
        for (let l = 0; l < end; l += 4) {
          s0 += summand(a, b, row + l, m, kind);
          s1 += summand(a, b, row + l + 1, m, kind);
          s2 += summand(a, b, row + l + 2, m, kind);
          s3 += summand(a, b, row + l + 3, m, kind);
        }
      }
    }
  }
  for (let r = 0; r < n; r++) {
    const row = (r * C + c) * L;
    for (let l = end; l < L; l++) t += summand(a, b, row + l, m, kind);
  }
  return ((s0 + s1) + (s2 + s3)) + t;
}

/** For L = 1 (a is [n, C]): the sums of channels c and c + 1 as float64 lanes, m their centres. SIMD only. */
// @ts-ignore: decorator
@inline export function pairSum(a: usize, b: usize, n: i32, C: i32, c: i32, m: v128, kind: i32): v128 {
  let acc = f64x2.splat(0);
  for (let r = 0; r < n; r++) {
    const va = f64x2.promote_low_f32x4(v128.load64_zero(a + at(r * C + c)));
    const vb = kind == DOTDEV ? f64x2.promote_low_f32x4(v128.load64_zero(b + at(r * C + c))) : va;
    acc = f64x2.add(acc, vsummand(va, vb, m, kind));
  }
  return acc;
}
