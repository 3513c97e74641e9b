// The 97.5 % quantile of Student's t distribution, t(0.975; ν): the factor of a two-sided 95 % interval
// mean ± t · s / √n over n = ν + 1 seeds.
//
//   ν ≤ 30   a table, to four decimals (Abramowitz & Stegun, Handbook of Mathematical Functions, table 26.10)
//   ν > 30   the Cornish-Fisher expansion of A&S 26.7.5 around the normal quantile z = 1.959964:
//              t ≈ z + g1/ν + g2/ν² + g3/ν³,  g1 = (z³ + z)/4,  g2 = (5z⁵ + 16z³ + 3z)/96,
//              g3 = (3z⁷ + 19z⁵ + 17z³ − 15z)/384                    (error < 1e-5 for ν > 30)
// test/lab-stats.test.ts checks both against a numerical integral of the t density.

const T975 = [
  12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.306, 2.2622, 2.2281, 2.201, 2.1788, 2.1604, 2.1448, 2.1314,
  2.1199, 2.1098, 2.1009, 2.093, 2.086, 2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
];

const Z975 = 1.959963984540054;

/** t(0.975; ν) for ν ≥ 1 degrees of freedom. */
export function t975(df: number): number {
  if (!Number.isInteger(df) || df < 1) throw new RangeError(`t975: degrees of freedom must be a positive integer, got ${df}`);
  if (df <= T975.length) return T975[df - 1]!;
  const z = Z975;
  const g1 = (z ** 3 + z) / 4;
  const g2 = (5 * z ** 5 + 16 * z ** 3 + 3 * z) / 96;
  const g3 = (3 * z ** 7 + 19 * z ** 5 + 17 * z ** 3 - 15 * z) / 384;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3;
}
