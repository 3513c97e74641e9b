// Small statistics over loss curves, shared by compare, lrFind and advise.
//
//   EMA with bias correction (as fastai's and torch-lr-finder's smoothed loss):
//     a_t = β a_{t−1} + (1 − β) x_t,  a_0 = 0,    s_t = a_t / (1 − β^t)          (β = 1 − smoothing)
//   the correction makes s_1 = x_1 and removes the pull towards 0 of the first steps.

/** The bias-corrected exponential moving average of `values`; `smoothing` is the weight of each new value. */
export function smoothEma(values: ArrayLike<number>, smoothing: number): Float64Array {
  if (!(smoothing > 0 && smoothing <= 1)) throw new RangeError(`Invalid smoothing: ${smoothing} (must be in (0, 1])`);
  const beta = 1 - smoothing;
  const out = new Float64Array(values.length);
  let avg = 0, power = 1;
  for (let t = 0; t < values.length; t++) {
    avg = beta * avg + (1 - beta) * values[t]!;
    power *= beta;
    out[t] = avg / (1 - power);
  }
  return out;
}

/** Population standard deviation of the last `k` values (all of them when fewer). NaN when empty. */
export function stdOfLast(values: ArrayLike<number>, k: number): number {
  const n = Math.min(k, values.length);
  if (n === 0) return NaN;
  let mean = 0;
  for (let i = values.length - n; i < values.length; i++) mean += values[i]!;
  mean /= n;
  let sq = 0;
  for (let i = values.length - n; i < values.length; i++) sq += (values[i]! - mean) ** 2;
  return Math.sqrt(sq / n);
}

/** The index of the first value ≤ target, or −1. */
export function firstAtOrBelow(values: ArrayLike<number>, target: number): number {
  for (let i = 0; i < values.length; i++) if (values[i]! <= target) return i;
  return -1;
}

export function median(values: readonly number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Rounds up to `digits` significant digits (a readable target loss: 0.2371 → 0.24). */
export function roundUpSignificant(value: number, digits = 2): number {
  if (!(value > 0) || !Number.isFinite(value)) return value;
  const scale = 10 ** (Math.floor(Math.log10(value)) - digits + 1);
  return Number((Math.ceil(value / scale - 1e-9) * scale).toPrecision(digits));
}

/**
 * The geometric counterpart of smoothEma for values shown on a log scale: the EMA of ln x, exponentiated. A value
 * that is not finite and positive (a step not measured) is skipped, and its point is NaN.
 */
export function smoothLogEma(values: ArrayLike<number>, smoothing: number): Float64Array {
  if (!(smoothing > 0 && smoothing <= 1)) throw new RangeError(`Invalid smoothing: ${smoothing} (must be in (0, 1])`);
  const beta = 1 - smoothing;
  const out = new Float64Array(values.length);
  let avg = 0, power = 1;
  for (let t = 0; t < values.length; t++) {
    const x = values[t]!;
    if (!(x > 0 && Number.isFinite(x))) {
      out[t] = NaN;
      continue;
    }
    avg = beta * avg + (1 - beta) * Math.log(x);
    power *= beta;
    out[t] = Math.exp(avg / (1 - power));
  }
  return out;
}
