// The problem of the optimizer reference trajectories, the same as scripts/reference/common.py: 37 parameters
// and a gradient that depends on them, g = a (p − c) + 0.5 sin(3p), computed in float64, stored as float32.
export const N = 37;

export function initialParams(): Float32Array {
  return Float32Array.from({ length: N }, (_, i) => Math.sin(i * 1.3) * 2);
}
const a = Array.from({ length: N }, (_, i) => 0.5 + (i % 7) / 4);
const c = Array.from({ length: N }, (_, i) => Math.cos(i * 0.7));

/** Writes the gradient at `p` into `g`. */
export function gradient(p: Float32Array, g: Float32Array): void {
  for (let i = 0; i < N; i++) g[i] = a[i]! * (p[i]! - c[i]!) + 0.5 * Math.sin(3 * p[i]!);
}

/** The function whose gradient that is (for closure-based optimizers such as LBFGS). */
export function loss(p: Float32Array): number {
  let s = 0;
  for (let i = 0; i < N; i++) s += 0.5 * a[i]! * (p[i]! - c[i]!) ** 2 - Math.cos(3 * p[i]!) / 6;
  return s;
}
