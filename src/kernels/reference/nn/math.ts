// Plain TypeScript twins of assembly/nn/math.ts: the same float32 operations in the same order, rounded with
// Math.fround after each one (a float64 operation on two float32 values, rounded once to float32, gives the
// float32 result), so they return the kernels' bits.
const f = Math.fround;

const EXP_LO = f(-87.3);
const EXP_HI = f(88.3);
const LOG2E = f(1.44269504088896341);
const LN2_HI = f(0.693359375);
const LN2_LO = f(-2.12194440e-4);
const E0 = f(1.9875691500e-4);
const E1 = f(1.3981999507e-3);
const E2 = f(8.3334519073e-3);
const E3 = f(4.1665795894e-2);
const E4 = f(1.6666665459e-1);
const E5 = f(5.0000001201e-1);

/** Rounds to the nearest integer, ties to even (wasm's f32.nearest). */
function nearest(x: number): number {
  const r = Math.round(x); // ties toward +∞
  return r - x === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

export function expf32(x: number): number {
  x = Math.min(Math.max(x, EXP_LO), EXP_HI);
  const n = nearest(f(x * LOG2E));
  let r = f(x - f(n * LN2_HI));
  r = f(r - f(n * LN2_LO));
  const z = f(r * r);
  let p = f(f(E0 * r) + E1);
  p = f(f(p * r) + E2);
  p = f(f(p * r) + E3);
  p = f(f(p * r) + E4);
  p = f(f(p * r) + E5);
  const y = f(f(f(p * z) + r) + 1);
  return f(y * 2 ** n);
}

const bits = new ArrayBuffer(4);
const asF32 = new Float32Array(bits);
const asI32 = new Int32Array(bits);

const SQRTHF = f(0.707106781186547524);
const L = [7.0376836292e-2, -1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
  2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1].map(f);

export function logf32(x: number): number {
  asF32[0] = x;
  const b = asI32[0]!;
  let e = (b >>> 23) - 126;
  asI32[0] = (b & 0x007fffff) | 0x3f000000;
  let m = asF32[0]!;
  if (m < SQRTHF) {
    e -= 1;
    m = f(f(m + m) - 1);
  } else {
    m = f(m - 1);
  }
  const z = f(m * m);
  let y = f(f(L[0]! * m) + L[1]!);
  for (let k = 2; k < 9; k++) y = f(f(y * m) + L[k]!);
  y = f(f(y * m) * z);
  y = f(y + f(e * LN2_LO));
  y = f(y - f(0.5 * z));
  const r = f(m + y);
  return f(r + f(e * LN2_HI));
}

const T = [-5.70498872745e-3, 2.06390887954e-2, -5.37397155531e-2, 1.33314422036e-1, -3.33332819422e-1].map(f);

export function tanhf32(x: number): number {
  const z = Math.abs(x);
  if (z > 0.625) {
    const t = f(1 - f(2 / f(expf32(f(z + z)) + 1)));
    return x < 0 ? -t : t;
  }
  const s = f(x * x);
  let p = f(f(T[0]! * s) + T[1]!);
  for (let k = 2; k < 5; k++) p = f(f(p * s) + T[k]!);
  return f(f(f(p * s) * x) + x);
}

export const SQRT1_2 = f(0.707106781186547524);
const AS_P = f(0.3275911);
const A = [1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592].map(f);

/** Abramowitz & Stegun 7.1.26: erfc(z) ≈ t P(t) exp(−z²), t = 1 / (1 + p z), z ≥ 0. Returns t P(t). */
export function erfcFactor(z: number): number {
  const t = f(1 / f(f(AS_P * z) + 1));
  let p = f(f(A[0]! * t) + A[1]!);
  for (let k = 2; k < 5; k++) p = f(f(p * t) + A[k]!);
  return f(p * t);
}

/** σ(x) = 1 / (exp(−x) + 1), as f32_sigmoid computes it. */
export function sigmoidf32(x: number): number {
  return f(1 / f(expf32(-x) + 1));
}
