// Float64 formulas the nn kernels are checked against (independent of the kernels' float32 arithmetic).

/** erf in float64: the all-positive series erf(x) = 2/√π e^(−x²) Σ_n 2ⁿ x^(2n+1) / (1·3·…·(2n+1)), ±1 beyond |x| = 6. */
export function erf64(x: number): number {
  const a = Math.abs(x);
  if (a > 6) return Math.sign(x);
  let term = a;
  let sum = a;
  for (let n = 1; term > 1e-17 * sum; n++) {
    term *= (2 * a * a) / (2 * n + 1);
    sum += term;
  }
  return Math.sign(x) * Math.min(1, (2 / Math.sqrt(Math.PI)) * Math.exp(-a * a) * sum);
}

export const sigmoid64 = (x: number): number => 1 / (1 + Math.exp(-x));
export const gelu64 = (x: number): number => 0.5 * x * (1 + erf64(x / Math.SQRT2));
export const geluGrad64 = (x: number): number => 0.5 * (1 + erf64(x / Math.SQRT2)) + (x * Math.exp(-0.5 * x * x)) / Math.sqrt(2 * Math.PI);

/** log Σ exp(x_j), stable. */
export function logSumExp64(row: ArrayLike<number>): number {
  let m = -Infinity;
  for (let j = 0; j < row.length; j++) m = Math.max(m, row[j]!);
  let s = 0;
  for (let j = 0; j < row.length; j++) s += Math.exp(row[j]! - m);
  return m + Math.log(s);
}

/** max over i of |x − y| / (atol + rtol |y|): at most 1 when x is within tolerance of y (NaN → Infinity). */
export function worstError(x: ArrayLike<number>, y: ArrayLike<number>, rtol: number, atol: number): number {
  let worst = 0;
  for (let i = 0; i < y.length; i++) {
    if (Object.is(x[i], y[i])) continue;
    const e = Math.abs(x[i]! - y[i]!) / (atol + rtol * Math.abs(y[i]!));
    worst = Number.isNaN(e) ? Infinity : Math.max(worst, e);
  }
  return worst;
}
