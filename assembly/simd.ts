// Shared helpers for the kernels. One source compiles into three builds: with SIMD (f32x4 loops plus a scalar
// tail), without (the scalar tail does all the work), and with relaxed SIMD, where madd fuses into one rounding.

/** Elements per f32x4 vector. */
export const LANES: i32 = 4;

/** a * b + c; fused (one rounding) in the relaxed-SIMD build, two roundings otherwise. Call only inside
 * `if (ASC_FEATURE_SIMD)`: SIMD code must sit in such a block to compile in the scalar build. */
// @ts-ignore: decorator
@inline export function madd(a: v128, b: v128, c: v128): v128 {
  if (ASC_FEATURE_RELAXED_SIMD) return f32x4.relaxed_madd(a, b, c);
  return f32x4.add(f32x4.mul(a, b), c);
}

/** Number of leading elements the f32x4 loop handles (0 in the scalar build): the rest is the scalar tail. */
// @ts-ignore: decorator
@inline export function simdEnd(n: i32): i32 {
  return ASC_FEATURE_SIMD ? n & ~3 : 0;
}

/** Byte offset of element i. */
// @ts-ignore: decorator
@inline export function at(i: i32): usize {
  return <usize>i << 2;
}
