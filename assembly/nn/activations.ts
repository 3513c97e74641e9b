// Activation functions, forward and backward, element-wise over n values (PyTorch's definitions):
//
//   ReLU       y = max(x, 0)                      dx = dy · [x > 0]
//   LeakyReLU  y = x if x > 0, else a x           dx = dy if x > 0, else a dy
//   Sigmoid    y = 1 / (1 + exp(−x))              dx = dy · (1 − y) y
//   Tanh       y = tanh x                         dx = dy · (1 − y²)
//   GELU       y = x Φ(x)  (exact, erf form)      dx = dy · (Φ(x) + x φ(x)),   φ(x) = exp(−x²/2) / √(2π)
//
// y and x (dx and dy) may be the same buffer.
import { at, madd, simdEnd } from "../simd";
import { erfcFactor, erfcFactorV, expf32, expV, SQRT1_2, tanhf32, tanhV } from "./math";

/** y = max(x, 0). */
export function f32_relu(y: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < end; i += 4) v128.store(y + at(i), f32x4.max(v128.load(x + at(i)), zero));
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), max<f32>(load<f32>(x + at(i)), 0));
}

/** dx = dy where x > 0, else 0. */
export function f32_relu_backward(dx: usize, dy: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    for (let i = 0; i < end; i += 4) {
      v128.store(dx + at(i), v128.and(v128.load(dy + at(i)), f32x4.gt(v128.load(x + at(i)), zero)));
    }
  }
  for (let i = end; i < n; i++) store<f32>(dx + at(i), load<f32>(x + at(i)) > 0 ? load<f32>(dy + at(i)) : 0);
}

/** y = x where x > 0, else slope · x. */
export function f32_leaky_relu(y: usize, x: usize, n: i32, slope: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const vSlope = f32x4.splat(slope);
    for (let i = 0; i < end; i += 4) {
      const v = v128.load(x + at(i));
      v128.store(y + at(i), v128.bitselect(v, f32x4.mul(vSlope, v), f32x4.gt(v, zero)));
    }
  }
  for (let i = end; i < n; i++) {
    const v = load<f32>(x + at(i));
    store<f32>(y + at(i), v > 0 ? v : slope * v);
  }
}

/** dx = dy where x > 0, else slope · dy. */
export function f32_leaky_relu_backward(dx: usize, dy: usize, x: usize, n: i32, slope: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const zero = f32x4.splat(0);
    const vSlope = f32x4.splat(slope);
    for (let i = 0; i < end; i += 4) {
      const g = v128.load(dy + at(i));
      v128.store(dx + at(i), v128.bitselect(g, f32x4.mul(vSlope, g), f32x4.gt(v128.load(x + at(i)), zero)));
    }
  }
  for (let i = end; i < n; i++) {
    const g = load<f32>(dy + at(i));
    store<f32>(dx + at(i), load<f32>(x + at(i)) > 0 ? g : slope * g);
  }
}

/** y = 1 / (1 + exp(−x)). */
export function f32_sigmoid(y: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    for (let i = 0; i < end; i += 4) {
      v128.store(y + at(i), f32x4.div(one, f32x4.add(expV(f32x4.neg(v128.load(x + at(i)))), one)));
    }
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), 1 / (expf32(-load<f32>(x + at(i))) + 1));
}

/** dx = dy (1 − y) y, from the output y. */
export function f32_sigmoid_backward(dx: usize, dy: usize, y: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    for (let i = 0; i < end; i += 4) {
      const v = v128.load(y + at(i));
      v128.store(dx + at(i), f32x4.mul(v128.load(dy + at(i)), f32x4.mul(f32x4.sub(one, v), v)));
    }
  }
  for (let i = end; i < n; i++) {
    const v = load<f32>(y + at(i));
    store<f32>(dx + at(i), load<f32>(dy + at(i)) * ((1 - v) * v));
  }
}

/** y = tanh x. */
export function f32_tanh(y: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < end; i += 4) v128.store(y + at(i), tanhV(v128.load(x + at(i))));
  }
  for (let i = end; i < n; i++) store<f32>(y + at(i), tanhf32(load<f32>(x + at(i))));
}

/** dx = dy (1 − y²), from the output y. */
export function f32_tanh_backward(dx: usize, dy: usize, y: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const one = f32x4.splat(1);
    for (let i = 0; i < end; i += 4) {
      const v = v128.load(y + at(i));
      v128.store(dx + at(i), f32x4.mul(v128.load(dy + at(i)), madd(f32x4.neg(v), v, one)));
    }
  }
  for (let i = end; i < n; i++) {
    const v = load<f32>(y + at(i));
    store<f32>(dx + at(i), load<f32>(dy + at(i)) * (1 - v * v));
  }
}

const INV_SQRT_2PI: f32 = 0.398942280401432678;

/** y = x Φ(x) (exact GELU, erf form). */
export function f32_gelu(y: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < end; i += 4) {
      const v = v128.load(x + at(i));
      const z = f32x4.mul(f32x4.abs(v), f32x4.splat(SQRT1_2));
      const e = expV(f32x4.neg(f32x4.mul(z, z)));
      v128.store(y + at(i), f32x4.mul(v, cdfV(v, z, e)));
    }
  }
  for (let i = end; i < n; i++) {
    const v = load<f32>(x + at(i));
    const z = abs<f32>(v) * SQRT1_2;
    store<f32>(y + at(i), v * cdf(v, z, expf32(-(z * z))));
  }
}

/** dx = dy (Φ(x) + x φ(x)), from the input x. */
export function f32_gelu_backward(dx: usize, dy: usize, x: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < end; i += 4) {
      const v = v128.load(x + at(i));
      const z = f32x4.mul(f32x4.abs(v), f32x4.splat(SQRT1_2));
      const e = expV(f32x4.neg(f32x4.mul(z, z)));
      const pdf = f32x4.mul(f32x4.splat(INV_SQRT_2PI), e);
      v128.store(dx + at(i), f32x4.mul(v128.load(dy + at(i)), madd(v, pdf, cdfV(v, z, e))));
    }
  }
  for (let i = end; i < n; i++) {
    const v = load<f32>(x + at(i));
    const z = abs<f32>(v) * SQRT1_2;
    const e = expf32(-(z * z));
    const pdf = INV_SQRT_2PI * e;
    store<f32>(dx + at(i), load<f32>(dy + at(i)) * (v * pdf + cdf(v, z, e)));
  }
}

// Φ(x) from z = |x|/√2 and e = exp(−z²): ½ erfc(z) below zero, 1 − ½ erfc(z) above.
// @ts-ignore: decorator
@inline function cdf(x: f32, z: f32, e: f32): f32 {
  const h: f32 = 0.5 * (erfcFactor(z) * e);
  return x >= 0 ? 1 - h : h;
}

// @ts-ignore: decorator
@inline function cdfV(x: v128, z: v128, e: v128): v128 {
  const h = f32x4.mul(f32x4.splat(0.5), f32x4.mul(erfcFactorV(z), e));
  return v128.bitselect(f32x4.sub(f32x4.splat(1), h), h, f32x4.ge(x, f32x4.splat(0)));
}
