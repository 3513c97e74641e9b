// A histogram: bars over [x0, x1) intervals (gaps allowed, e.g. a separate bar for a special value), some drawn
// dark, with a symmetric-log count axis by default so that a tall spike and thin tails show on one chart.
import type { TopLevelSpec } from "vega-lite";
import { title } from "./encoding.js";
import { renderSvg } from "./render.js";

export interface HistogramBar {
  x0: number;
  x1: number;
  count: number;
  /** Drawn dark (a special bin: exact zeros). */
  dark?: boolean;
}

export interface HistogramChartOptions {
  bars: readonly HistogramBar[];
  title?: string;
  subtitle?: string;
  xLabel?: string;
  color?: string;
  /** A symlog count axis (default true). */
  symlog?: boolean;
  /** The same count axis maximum for several charts (default: this histogram's largest count). */
  maxCount?: number;
  width?: number;
  height?: number;
}

export function histogramChart(options: HistogramChartOptions): Promise<string> {
  const { bars, symlog = true } = options;
  if (bars.length === 0) throw new RangeError("histogramChart: no bars");
  const rows = bars.map((b) => ({ x0: b.x0, x1: b.x1, count: b.count, dark: b.dark === true }));
  const spec = {
    width: options.width ?? 260,
    height: options.height ?? 150,
    title: title(options.title, options.subtitle),
    data: { values: rows },
    mark: { type: "rect", stroke: "white", strokeWidth: 0.5 },
    encoding: {
      x: { field: "x0", type: "quantitative", title: options.xLabel ?? "value", scale: { domain: [Math.min(...bars.map((b) => b.x0)), Math.max(...bars.map((b) => b.x1))], nice: false, zero: false } },
      x2: { field: "x1" },
      y: { field: "count", type: "quantitative", title: "count", scale: { type: symlog ? "symlog" : "linear", domain: [0, options.maxCount ?? Math.max(1, ...bars.map((b) => b.count))] } },
      y2: { datum: 0 },
      color: { condition: { test: "datum.dark", value: "#1d2125" }, value: options.color ?? "#4e79a7" },
    },
  } as TopLevelSpec;
  return renderSvg(spec);
}
