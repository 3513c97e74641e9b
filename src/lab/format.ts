// Number formats for tables and sentences: learning rates as people write them (3e-4, 0.01, 0.3), losses with
// four significant digits, times in s or ms, percentages.

/** 0.0003 → '3e-4', 0.01 → '0.01', 0.3 → '0.3', 1 → '1', 0.00316 → '3.2e-3'. */
export function formatLr(lr: number): string {
  if (!Number.isFinite(lr)) return String(lr);
  if (lr === 0) return "0";
  const exponent = Math.floor(Math.log10(Math.abs(lr)) + 1e-9);
  const mantissa = Number((lr / 10 ** exponent).toPrecision(2));
  if (exponent >= -2 && exponent <= 3) return String(Number(lr.toPrecision(2)));
  return `${mantissa}e${exponent}`;
}

/** Four significant digits, '–' for NaN. */
export function formatLoss(value: number): string {
  if (Number.isNaN(value)) return "–";
  if (!Number.isFinite(value)) return value > 0 ? "∞" : "−∞";
  if (value !== 0 && (Math.abs(value) < 1e-3 || Math.abs(value) >= 1e5)) return value.toExponential(2);
  return String(Number(value.toPrecision(4)));
}

/** 0.9543 → '95.4%', NaN → '–'. */
export function formatPercent(fraction: number): string {
  return Number.isNaN(fraction) ? "–" : `${(100 * fraction).toFixed(1)}%`;
}

/** 0.0421 → '42 ms', 3.21 → '3.2 s'. */
export function formatSeconds(seconds: number): string {
  if (Number.isNaN(seconds)) return "–";
  return seconds < 1 ? `${Math.round(seconds * 1000)} ms` : `${seconds.toFixed(seconds < 10 ? 2 : 1)} s`;
}

/** '1 epoch', '3 epochs'. */
export function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? "" : "s"}`;
}

/** 'mean ± half-width' with the half-width to two significant digits and the mean to the same decimal place:
 *  (0.11013, 0.08887) → '0.110 ± 0.089'. A zero half-width shows the mean as formatLoss does. */
export function formatPlusMinus(mean: number, halfWidth: number, unit = ""): string {
  if (Number.isNaN(mean)) return "–";
  if (!(halfWidth > 0) || !Number.isFinite(halfWidth)) return `${formatLoss(mean)}${unit} ± ${Number.isNaN(halfWidth) ? "–" : "0"}${unit}`;
  const decimals = Math.max(0, Math.min(12, 1 - Math.floor(Math.log10(halfWidth))));
  return `${mean.toFixed(decimals)}${unit} ± ${halfWidth.toFixed(decimals)}${unit}`;
}
