// Float32 elementary functions written out in basic operations, so that the SIMD lanes, the scalar code and the
// JavaScript twins (src/kernels/reference/nn/math.ts) round identically (wasm has no exp, log or erf):
//
//   exp(x):  Cephes expf. x clamped to [-87.3, 88.3] (the result stays a normal float), n = nearest(x log2 e),
//            r = x − n ln 2 (ln 2 split in two for accuracy), exp(x) = 2ⁿ (1 + r + r² P(r)). Error ≤ 2 ulp.
//   log(x):  Cephes logf, for normal x > 0 (scalar only: the losses call it once per row or element).
//   tanh(x): Cephes tanhf: a polynomial for |x| ≤ 0.625, else 1 − 2 / (exp(2|x|) + 1) with the sign of x.
//   erfc(z): Abramowitz & Stegun 7.1.26 (|error| ≤ 1.5e-7, the form PyTorch's vectorized erf uses), for z ≥ 0;
//            GELU's normal CDF is ½ erfc(|x|/√2) for x < 0 and 1 − ½ erfc(x/√2) above, without cancellation.
import { madd } from "../simd";

const EXP_LO: f32 = -87.3;
const EXP_HI: f32 = 88.3;
const LOG2E: f32 = 1.44269504088896341;
const LN2_HI: f32 = 0.693359375;
const LN2_LO: f32 = -2.12194440e-4;
const E0: f32 = 1.9875691500e-4;
const E1: f32 = 1.3981999507e-3;
const E2: f32 = 8.3334519073e-3;
const E3: f32 = 4.1665795894e-2;
const E4: f32 = 1.6666665459e-1;
const E5: f32 = 5.0000001201e-1;

// @ts-ignore: decorator
@inline export function expf32(x: f32): f32 {
  x = min(max(x, EXP_LO), EXP_HI);
  const n = nearest<f32>(x * LOG2E);
  let r = x - n * LN2_HI;
  r = r - n * LN2_LO;
  const z = r * r;
  let p = E0 * r + E1;
  p = p * r + E2;
  p = p * r + E3;
  p = p * r + E4;
  p = p * r + E5;
  const y = p * z + r + 1;
  return y * reinterpret<f32>((<i32>n + 127) << 23);
}

/** expf32 on four lanes. Call only inside `if (ASC_FEATURE_SIMD)`. */
// @ts-ignore: decorator
@inline export function expV(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(EXP_LO)), f32x4.splat(EXP_HI));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(LOG2E)));
  let r = madd(n, f32x4.splat(-LN2_HI), x);
  r = madd(n, f32x4.splat(-LN2_LO), r);
  const z = f32x4.mul(r, r);
  let p = madd(f32x4.splat(E0), r, f32x4.splat(E1));
  p = madd(p, r, f32x4.splat(E2));
  p = madd(p, r, f32x4.splat(E3));
  p = madd(p, r, f32x4.splat(E4));
  p = madd(p, r, f32x4.splat(E5));
  const y = f32x4.add(madd(p, z, r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(y, scale);
}

const SQRTHF: f32 = 0.707106781186547524;
const L0: f32 = 7.0376836292e-2;
const L1: f32 = -1.1514610310e-1;
const L2: f32 = 1.1676998740e-1;
const L3: f32 = -1.2420140846e-1;
const L4: f32 = 1.4249322787e-1;
const L5: f32 = -1.6668057665e-1;
const L6: f32 = 2.0000714765e-1;
const L7: f32 = -2.4999993993e-1;
const L8: f32 = 3.3333331174e-1;

// @ts-ignore: decorator
@inline export function logf32(x: f32): f32 {
  const bits = reinterpret<i32>(x);
  let e = (bits >>> 23) - 126; // x = m 2^e with m in [0.5, 1)
  let m = reinterpret<f32>((bits & 0x007fffff) | 0x3f000000);
  if (m < SQRTHF) {
    e -= 1;
    m = m + m - 1;
  } else {
    m = m - 1;
  }
  const z = m * m;
  let y = L0 * m + L1;
  y = y * m + L2;
  y = y * m + L3;
  y = y * m + L4;
  y = y * m + L5;
  y = y * m + L6;
  y = y * m + L7;
  y = y * m + L8;
  y = y * m * z;
  const fe = <f32>e;
  y = y + fe * LN2_LO;
  y = y - 0.5 * z;
  const r = m + y;
  return r + fe * LN2_HI;
}

const TANH_SMALL: f32 = 0.625;
const T0: f32 = -5.70498872745e-3;
const T1: f32 = 2.06390887954e-2;
const T2: f32 = -5.37397155531e-2;
const T3: f32 = 1.33314422036e-1;
const T4: f32 = -3.33332819422e-1;

// @ts-ignore: decorator
@inline export function tanhf32(x: f32): f32 {
  const z = abs<f32>(x);
  if (z > TANH_SMALL) {
    const t: f32 = 1 - 2 / (expf32(z + z) + 1);
    return copysign<f32>(t, x);
  }
  const s = x * x;
  let p = T0 * s + T1;
  p = p * s + T2;
  p = p * s + T3;
  p = p * s + T4;
  return p * s * x + x;
}

/** tanhf32 on four lanes: both branches, then a select. Call only inside `if (ASC_FEATURE_SIMD)`. */
// @ts-ignore: decorator
@inline export function tanhV(x: v128): v128 {
  const z = f32x4.abs(x);
  const zz = f32x4.add(z, z);
  const big = f32x4.sub(f32x4.splat(1), f32x4.div(f32x4.splat(2), f32x4.add(expV(zz), f32x4.splat(1))));
  const signed = v128.or(big, v128.and(x, i32x4.splat(0x80000000)));
  const s = f32x4.mul(x, x);
  let p = madd(f32x4.splat(T0), s, f32x4.splat(T1));
  p = madd(p, s, f32x4.splat(T2));
  p = madd(p, s, f32x4.splat(T3));
  p = madd(p, s, f32x4.splat(T4));
  const small = madd(f32x4.mul(p, s), x, x);
  return v128.bitselect(signed, small, f32x4.gt(z, f32x4.splat(TANH_SMALL)));
}

export const SQRT1_2: f32 = 0.707106781186547524;
const AS_P: f32 = 0.3275911;
const A1: f32 = 0.254829592;
const A2: f32 = -0.284496736;
const A3: f32 = 1.421413741;
const A4: f32 = -1.453152027;
const A5: f32 = 1.061405429;

/** Abramowitz & Stegun 7.1.26: erfc(z) ≈ t P(t) exp(−z²) with t = 1 / (1 + p z), for z ≥ 0. Returns t P(t). */
// @ts-ignore: decorator
@inline export function erfcFactor(z: f32): f32 {
  const t: f32 = 1 / (AS_P * z + 1);
  let p = A5 * t + A4;
  p = p * t + A3;
  p = p * t + A2;
  p = p * t + A1;
  return p * t;
}

/** erfcFactor on four lanes. Call only inside `if (ASC_FEATURE_SIMD)`. */
// @ts-ignore: decorator
@inline export function erfcFactorV(z: v128): v128 {
  const t = f32x4.div(f32x4.splat(1), madd(f32x4.splat(AS_P), z, f32x4.splat(1)));
  let p = madd(f32x4.splat(A5), t, f32x4.splat(A4));
  p = madd(p, t, f32x4.splat(A3));
  p = madd(p, t, f32x4.splat(A2));
  p = madd(p, t, f32x4.splat(A1));
  return f32x4.mul(p, t);
}

/** σ(x) = 1 / (exp(−x) + 1), as f32_sigmoid computes it. */
// @ts-ignore: decorator
@inline export function sigmoidf32(x: f32): f32 {
  return 1 / (expf32(-x) + 1);
}

/** sigmoidf32 on four lanes. Call only inside `if (ASC_FEATURE_SIMD)`. */
// @ts-ignore: decorator
@inline export function sigmoidV(x: v128): v128 {
  const one = f32x4.splat(1);
  return f32x4.div(one, f32x4.add(expV(f32x4.neg(x)), one));
}
