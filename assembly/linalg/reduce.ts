// Vector reductions and element-wise vector operations (norms for gradient clipping, dot products for L-BFGS).
//
//   f32_dot(a, b)          = Σ a_i b_i          f32_sum_squares(a) = Σ a_i²      f32_sum_abs(a) = Σ |a_i|
//   f32_max_abs(a)         = max |a_i|  (0 when n = 0, NaN when any a_i is NaN)
//   f32_scale: a ← s a     f32_axpy: y ← α x + y     f32_copy: dst ← src (may overlap)
//   f32_clamp: a ← min(max(a, lo), hi)               f32_all_finite(a) = 1 when no a_i is ±∞ or NaN, else 0
//
// Sums are accumulated in float64 in one fixed order, whatever the build: the vector is cut into chunks of
// REDUCE_CHUNK elements (the last one shorter), and the chunks' sums are added in order, starting from 0. In a
// chunk: four partial sums s_k over the elements i < len & ~3 with i mod 4 = k, combined as (s0 + s1) + (s2 + s3),
// then the remaining tail elements added in order. A product of two float32 values is exact in float64, so fusing
// would change nothing: the SIMD, relaxed-SIMD, scalar and JavaScript versions return the same bits. The chunks
// are what a threaded engine splits: each thread sums whole chunks and the caller adds the chunks' sums in the
// same order, so the result does not depend on the number of threads.
import { at, madd, simdEnd } from "../simd";

// The f32x4 at p, widened into float64 lanes (0, 1) and (2, 3).
// @ts-ignore: decorator
@inline function lowF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v);
}
// @ts-ignore: decorator
@inline function highF64(v: v128): v128 {
  return f64x2.promote_low_f32x4(v128.shuffle<f32>(v, v, 2, 3, 2, 3));
}

/** Elements per chunk of the sums (64 Ki: 256 KiB of float32). */
export const REDUCE_CHUNK: i32 = 65536;

// Kinds of summand, chosen at compile time in the inlined loop below.
const DOT = 0;
const SQUARES = 1;
const ABS = 2;

// @ts-ignore: decorator
@inline function chunkedSum(a: usize, b: usize, n: i32, kind: i32): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i += REDUCE_CHUNK) total += sumLoop(a + at(i), b + at(i), min(REDUCE_CHUNK, n - i), kind);
  return total;
}

// @ts-ignore: decorator
@inline function sumLoop(a: usize, b: usize, n: i32, kind: i32): f64 {
  const end = n & ~3;
  let s0: f64 = 0, s1: f64 = 0, s2: f64 = 0, s3: f64 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc01 = f64x2.splat(0);
    let acc23 = f64x2.splat(0);
    for (let i = 0; i < end; i += 4) {
      const va = v128.load(a + at(i));
      const lo = lowF64(va);
      const hi = highF64(va);
      if (kind == DOT) {
        const vb = v128.load(b + at(i));
        acc01 = f64x2.add(acc01, f64x2.mul(lo, lowF64(vb)));
        acc23 = f64x2.add(acc23, f64x2.mul(hi, highF64(vb)));
      } else if (kind == SQUARES) {
        acc01 = f64x2.add(acc01, f64x2.mul(lo, lo));
        acc23 = f64x2.add(acc23, f64x2.mul(hi, hi));
      } else {
        acc01 = f64x2.add(acc01, f64x2.abs(lo));
        acc23 = f64x2.add(acc23, f64x2.abs(hi));
      }
    }
    s0 = f64x2.extract_lane(acc01, 0);
    s1 = f64x2.extract_lane(acc01, 1);
    s2 = f64x2.extract_lane(acc23, 0);
    s3 = f64x2.extract_lane(acc23, 1);
  } else {
    for (let i = 0; i < end; i += 4) {
      s0 += summand(a, b, i, kind);
      s1 += summand(a, b, i + 1, kind);
      s2 += summand(a, b, i + 2, kind);
      s3 += summand(a, b, i + 3, kind);
    }
  }
  let total = (s0 + s1) + (s2 + s3);
  for (let i = end; i < n; i++) total += summand(a, b, i, kind);
  return total;
}

// @ts-ignore: decorator
@inline function summand(a: usize, b: usize, i: i32, kind: i32): f64 {
  const x = <f64>load<f32>(a + at(i));
  if (kind == DOT) return x * <f64>load<f32>(b + at(i));
  if (kind == SQUARES) return x * x;
  return abs<f64>(x);
}

/** Σ a_i b_i in float64. */
export function f32_dot(a: usize, b: usize, n: i32): f64 {
  return chunkedSum(a, b, n, DOT);
}

/** Σ a_i² in float64 (the squared 2-norm). */
export function f32_sum_squares(a: usize, n: i32): f64 {
  return chunkedSum(a, a, n, SQUARES);
}

/** Σ |a_i| in float64 (the 1-norm). */
export function f32_sum_abs(a: usize, n: i32): f64 {
  return chunkedSum(a, a, n, ABS);
}

/** max |a_i| (the ∞-norm): 0 for n = 0, NaN when some a_i is NaN. */
export function f32_max_abs(a: usize, n: i32): f32 {
  const end = simdEnd(n);
  let m: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let vm = f32x4.splat(0);
    for (let i = 0; i < end; i += 4) vm = f32x4.max(vm, f32x4.abs(v128.load(a + at(i))));
    m = max(max(f32x4.extract_lane(vm, 0), f32x4.extract_lane(vm, 1)), max(f32x4.extract_lane(vm, 2), f32x4.extract_lane(vm, 3)));
  }
  for (let i = end; i < n; i++) m = max(m, abs<f32>(load<f32>(a + at(i))));
  return m;
}

/** a ← s a. */
export function f32_scale(a: usize, n: i32, s: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vs = f32x4.splat(s);
    for (let i = 0; i < end; i += 4) v128.store(a + at(i), f32x4.mul(v128.load(a + at(i)), vs));
  }
  for (let i = end; i < n; i++) store<f32>(a + at(i), load<f32>(a + at(i)) * s);
}

/** y ← α x + y (fused in the relaxed-SIMD build). */
export function f32_axpy(y: usize, x: usize, n: i32, alpha: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const va = f32x4.splat(alpha);
    for (let i = 0; i < end; i += 4) v128.store(y + at(i), madd(va, v128.load(x + at(i)), v128.load(y + at(i))));
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), alpha * load<f32>(x + at(i)) + load<f32>(y + at(i)));
}

/** dst ← src, n floats; the ranges may overlap. */
export function f32_copy(dst: usize, src: usize, n: i32): void {
  memory.copy(dst, src, at(n));
}

/** a ← min(max(a, lo), hi), as torch.clamp (NaN stays NaN; hi wins when lo > hi). */
export function f32_clamp(a: usize, n: i32, lo: f32, hi: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vlo = f32x4.splat(lo);
    const vhi = f32x4.splat(hi);
    for (let i = 0; i < end; i += 4) v128.store(a + at(i), f32x4.min(f32x4.max(v128.load(a + at(i)), vlo), vhi));
  }
  for (let i = end; i < n; i++) store<f32>(a + at(i), min(max(load<f32>(a + at(i)), lo), hi));
}

/** 1 when every a_i is finite, 0 when some is ±∞ or NaN (all exponent bits set). */
export function f32_all_finite(a: usize, n: i32): i32 {
  const EXP: u32 = 0x7f800000;
  const end = simdEnd(n);
  let bad = false;
  if (ASC_FEATURE_SIMD) {
    const vexp = i32x4.splat(EXP);
    let any = i32x4.splat(0);
    for (let i = 0; i < end; i += 4) any = v128.or(any, i32x4.eq(v128.and(v128.load(a + at(i)), vexp), vexp));
    bad = v128.any_true(any);
  }
  for (let i = end; i < n; i++) bad = bad || (load<u32>(a + at(i)) & EXP) == EXP;
  return bad ? 0 : 1;
}
