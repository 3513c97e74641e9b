// Statistics over seeds. A run repeated over n seeds (initial weights and batch order) gives n values x_i of a
// metric:
//
//   mean  x̄ = Σ x_i / n
//   sd    s = √(Σ (x_i − x̄)² / (n − 1))                           (the sample standard deviation: the seed noise)
//   95 %  x̄ ± t(0.975; n − 1) · s / √n                            (Student t; no interval for n = 1)
//
// Two runs A and B over the same seeds are compared by their paired differences d_i = a_i − b_i (the same seed
// gives both the same initial weights and batches, so most of the seed noise cancels): the interval of the mean
// difference as above. A difference is larger than the seed noise when that interval excludes 0.
import { t975 } from "./student-t.js";

export interface Summary {
  n: number;
  mean: number;
  /** Sample standard deviation (NaN for n = 1). */
  sd: number;
  /** Half the width of the 95 % interval around the mean (NaN for n = 1). */
  halfWidth: number;
  low: number;
  high: number;
}

/** Mean, sd and 95 % interval of the finite values (NaN values are left out: a diverged run has no test loss). */
export function summarize(values: readonly number[]): Summary {
  const xs = values.filter((v) => Number.isFinite(v));
  const n = xs.length;
  if (n === 0) return { n, mean: NaN, sd: NaN, halfWidth: NaN, low: NaN, high: NaN };
  const mean = xs.reduce((a, b) => a + b, 0) / n;
  const sd = n > 1 ? Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (n - 1)) : NaN;
  const halfWidth = n > 1 ? (t975(n - 1) * sd) / Math.sqrt(n) : NaN;
  return { n, mean, sd, halfWidth, low: mean - halfWidth, high: mean + halfWidth };
}

export interface PairedDifference {
  /** The interval of the mean of a_i − b_i over the seeds where both are finite. */
  difference: Summary;
  /** Seeds where a < b, and where both were measured. */
  lower: number;
  pairs: number;
  /** The interval excludes 0 (needs at least two seeds). */
  significant: boolean;
}

export function pairedDifference(a: readonly number[], b: readonly number[]): PairedDifference {
  if (a.length !== b.length) throw new RangeError(`pairedDifference: ${a.length} values against ${b.length}`);
  const d: number[] = [];
  let lower = 0;
  a.forEach((x, i) => {
    const y = b[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) return;
    d.push(x - y);
    if (x < y) lower++;
  });
  const difference = summarize(d);
  // An interval of zero width around 0 (identical runs) excludes nothing.
  const significant = difference.n > 1 && (difference.low > 0 || difference.high < 0);
  return { difference, lower, pairs: d.length, significant };
}
