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
