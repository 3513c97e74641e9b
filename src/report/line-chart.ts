// Line charts: several named series against step, epoch or wall time (lineChart), and learning-rate schedules
// (scheduleChart). Long series are thinned (min and max of each bucket), non-finite points dropped, and on a log
// scale so are values ≤ 0, which it cannot show.
import type { TopLevelSpec } from "vega-lite";
import { scale, seriesColorEncoding, title } from "./encoding.js";
import { renderSvg } from "./render.js";
import { thinSeries, type Point } from "./thin.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface Series {
  name: string;
  y: ArrayLike<number>;
  /** Default: 1, 2, 3, … (the step or epoch number). */
  x?: ArrayLike<number>;
  /** Default: the palette colour of the series' position. */
  color?: string;
  /** A band around the line (e.g. a 95 % interval over seeds): its lower and upper edge at each x. */
  low?: ArrayLike<number>;
  high?: ArrayLike<number>;
}

export interface LineChartOptions {
  series: readonly Series[];
  title?: string;
  subtitle?: string;
  /** Axis titles (default 'step' and 'value'). */
  xLabel?: string;
  yLabel?: string;
  logX?: boolean;
  logY?: boolean;
  width?: number;
  height?: number;
  /** Points kept per series (default 500). */
  maxPoints?: number;
  /** The legend under the chart rather than at its right (default: under it only for more than six series). */
  legendBelow?: boolean;
}

export async function lineChart(options: LineChartOptions): Promise<string> {
  checkOptions("lineChart", options, LINE_CHART_OPTIONS);
  const { series, logX = false, logY = false, maxPoints = 500 } = options;
  if (series.length === 0) throw new RangeError("lineChart: series is empty");
  const names = new Set<string>();
  const rows: { s: string; i: number; x: number; y: number }[] = [];
  const bands: { s: string; x: number; lo: number; hi: number }[] = [];
  for (const s of series) {
    if (s.low || s.high) bands.push(...bandRows(s, logX, logY, maxPoints));
    if (names.has(s.name)) throw new RangeError(`lineChart: two series are named '${s.name}'`);
    names.add(s.name);
    if (s.x && s.x.length !== s.y.length) throw new RangeError(`lineChart: series '${s.name}' has ${s.x.length} x values and ${s.y.length} y values`);
    const points = seriesPoints(s, logX, logY);
    thinSeries(points, maxPoints).forEach((p, i) => rows.push({ s: s.name, i, x: p.x, y: p.y }));
  }
  const x = { field: "x", type: "quantitative", title: options.xLabel ?? "step", scale: scale(logX) };
  const y = { field: "y", type: "quantitative", title: options.yLabel ?? "value", scale: scale(logY) };
  const line = {
    data: { values: rows },
    name: "series",
    mark: { type: "line", strokeWidth: 2, clip: true, interpolate: "linear" },
    encoding: { x, y, color: seriesColorEncoding(series, null, options.legendBelow), order: { field: "i" } },
  };
  const frame = { width: options.width ?? 520, height: options.height ?? 300, title: title(options.title, options.subtitle) };
  if (bands.length === 0) return renderSvg({ ...frame, ...line } as TopLevelSpec);
  const area = {
    data: { values: bands },
    mark: { type: "area", opacity: 0.18, clip: true },
    encoding: { x, y: { ...y, field: "lo" }, y2: { field: "hi" }, color: { ...seriesColorEncoding(series, null, options.legendBelow), legend: null } },
  };
  // The legend is the lines' (solid strokes), not the bands' (faint areas).
  return renderSvg({ ...frame, layer: [area, line], resolve: { legend: { color: "independent" } } } as TopLevelSpec);
}

export interface ScheduleChartOptions {
  /** One or several schedules: the learning rate at each step. */
  schedules: readonly { name: string; lr: ArrayLike<number> }[];
  title?: string;
  xLabel?: string;
  logY?: boolean;
  width?: number;
  height?: number;
}

/** The learning rate against the step, one line per schedule. */
export function scheduleChart(options: ScheduleChartOptions): Promise<string> {
  checkOptions("scheduleChart", options, SCHEDULE_CHART_OPTIONS);
  return lineChart({
    series: options.schedules.map((s) => ({ name: s.name, y: s.lr })),
    title: options.title ?? "Learning-rate schedule",
    xLabel: options.xLabel ?? "step",
    yLabel: "learning rate",
    logY: options.logY,
    width: options.width,
    height: options.height,
  });
}

/** The band's edges, at most maxPoints of them (every k-th point: a band has no spikes to keep). */
function bandRows(s: Series, logX: boolean, logY: boolean, maxPoints: number): { s: string; x: number; lo: number; hi: number }[] {
  const { low, high } = s;
  if (!low || !high || low.length !== s.y.length || high.length !== s.y.length) {
    throw new RangeError(`lineChart: series '${s.name}' needs low and high of its length (${s.y.length}) for a band`);
  }
  const every = Math.max(1, Math.ceil(s.y.length / maxPoints));
  const out: { s: string; x: number; lo: number; hi: number }[] = [];
  for (let k = 0; k < s.y.length; k += every) {
    const x = s.x ? s.x[k]! : k + 1;
    const lo = low[k]!, hi = high[k]!;
    if (!Number.isFinite(x) || !Number.isFinite(lo) || !Number.isFinite(hi) || (logX && x <= 0) || (logY && lo <= 0)) continue;
    out.push({ s: s.name, x, lo, hi });
  }
  return out;
}

function seriesPoints(s: Series, logX: boolean, logY: boolean): Point[] {
  const points: Point[] = [];
  for (let k = 0; k < s.y.length; k++) {
    const x = s.x ? s.x[k]! : k + 1;
    const y = s.y[k]!;
    if (!Number.isFinite(x) || !Number.isFinite(y) || (logX && x <= 0) || (logY && y <= 0)) continue;
    points.push({ x, y });
  }
  return points;
}

/** The keys lineChart accepts (tsc checks the list against LineChartOptions). */
const LINE_CHART_OPTIONS = keysOf<LineChartOptions>({ series: 1, title: 1, subtitle: 1, xLabel: 1, yLabel: 1, logX: 1, logY: 1, width: 1, height: 1, maxPoints: 1, legendBelow: 1 });

/** The keys scheduleChart accepts (tsc checks the list against ScheduleChartOptions). */
const SCHEDULE_CHART_OPTIONS = keysOf<ScheduleChartOptions>({ schedules: 1, title: 1, xLabel: 1, logY: 1, width: 1, height: 1 });
