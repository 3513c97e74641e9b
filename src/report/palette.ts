// Colours for series: Tableau 10, distinct for the usual colour-vision deficiencies at the first few entries,
// assigned in the order the series are given, so the same list of optimizers gets the same colours in every chart.
export const SERIES_COLORS = [
  "#4e79a7", "#f28e2b", "#e15759", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#ff9da7", "#9c755f", "#79706e",
  "#1f3b73", "#a63603", "#5b1a8c", "#00695c",
] as const;

/** The colour of the i-th series (cycling after the list). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[i % SERIES_COLORS.length]!;
}
