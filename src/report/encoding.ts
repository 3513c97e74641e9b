// Pieces of Vega-Lite specs shared by the charts.
import { seriesColor } from "./palette.js";

/**
 * A colour per series name, in the given order, with a legend (names listed even for a series with no point): at
 * the right, or below the chart for more than six series or when `below` (charts side by side stay narrow).
 */
export function seriesColorEncoding(series: readonly { name: string; color?: string }[], legendTitle: string | null = null, below = false) {
  const bottom = below || series.length > 6;
  return {
    field: "s",
    type: "nominal",
    title: legendTitle,
    scale: { domain: series.map((s) => s.name), range: series.map((s, i) => s.color ?? seriesColor(i)) },
    legend: { orient: bottom ? "bottom" : "right", symbolType: "stroke", columns: series.length > 6 ? 3 : 1, ...(below ? { labelLimit: 150 } : {}) },
  };
}

/** A quantitative scale: log, or linear without forcing zero. */
export function scale(log: boolean) {
  return log ? { type: "log", nice: false } : { zero: false, nice: true };
}

export function title(text: string | undefined, subtitle: string | undefined) {
  if (!text && !subtitle) return undefined;
  return { text: text ?? "", subtitle };
}
