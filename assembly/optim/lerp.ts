// torch's lerp (aten's lerp kernel: the formula depends on |w|, for accuracy near both ends), shared by the
// Adafactor, Muon and schedule-free kernels. Not kernels themselves: inlined helpers (assembly/index.ts does not
// export this file).

/** a + w (b − a) for |w| < 0.5, b − (b − a)(1 − w) otherwise (omw = 1 − w). */
// @ts-ignore: decorator
@inline export function lerp1(a: f32, b: f32, w: f32, omw: f32): f32 {
  return abs<f32>(w) < 0.5 ? a + w * (b - a) : b - (b - a) * omw;
}

/** lerp1 on f32x4 lanes; `small` is |w| < 0.5. Call only inside `if (ASC_FEATURE_SIMD)`. */
// @ts-ignore: decorator
@inline export function lerp4(a: v128, b: v128, small: bool, w: v128, omw: v128): v128 {
  const diff = f32x4.sub(b, a);
  return small ? f32x4.add(a, f32x4.mul(w, diff)) : f32x4.sub(b, f32x4.mul(diff, omw));
}
