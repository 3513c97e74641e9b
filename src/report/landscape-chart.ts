// A landscape's contour lines with the optimizers' paths over them. The function is sampled on a grid over its
// domain; levels are spaced geometrically above the minimum for functions ≥ 0 with detail at the bottom
// (contoured on log(f − f_min), where linear interpolation follows the lines better), evenly otherwise.
// Paths are thinned to the points that move at least 1/400 of the domain (contours 1/200), by larger steps where
// needed to keep at most 400 points per path and 8000 contour points; lines leaving the domain are clipped.
import type { TopLevelSpec } from "vega-lite";
import { contourLevels, isolines, sampleGrid, type Grid } from "./contour.js";
import { seriesColorEncoding, title } from "./encoding.js";
import { renderSvg } from "./render.js";
import { thinPath, thinPathTo, type Point } from "./thin.js";

/** What the chart needs of a 2-D function (the lab's Landscape has it all). */
export interface ChartedFunction {
  readonly title: string;
  readonly formula: string;
  f(x: number, y: number): number;
  readonly domain: { readonly x: readonly [number, number]; readonly y: readonly [number, number] };
  readonly minima: readonly (readonly [number, number])[];
  /** Contour levels spaced geometrically above the minimum, or evenly (for functions below 0). */
  readonly levels: "log" | "linear";
}

export interface LandscapeChartOptions {
  landscape: ChartedFunction;
  /** The paths: interleaved x0, y0, x1, y1, … (as runLandscape records them) or a list of [x, y]. */
  runs: readonly { name: string; path: ArrayLike<number> | readonly (readonly [number, number])[]; color?: string }[];
  title?: string;
  subtitle?: string;
  /** Plot width in pixels (default 440); the height follows the domain's aspect ratio within [240, 440]. */
  width?: number;
  /** Number of contour levels (default 14). */
  levels?: number;
  /** Grid points along x (default 140). */
  grid?: number;
  /** Extra curves drawn dashed in black under the paths (a constraint's boundary), as lists of [x, y]. */
  curves?: readonly (readonly (readonly [number, number])[])[];
}

const MARKERS = "○ start   ● end   ✚ minimum";
/** At most this many contour points in all (about 10 bytes each in the SVG). */
const CONTOUR_POINTS = 8000;
const MIN_LEVELS = 7;

export async function landscapeChart(options: LandscapeChartOptions): Promise<string> {
  const fn = options.landscape;
  const [x0, x1] = fn.domain.x;
  const [y0, y1] = fn.domain.y;
  const width = options.width ?? 440;
  const height = Math.round(Math.min(440, Math.max(240, (width * (y1 - y0)) / (x1 - x0))));
  const nx = options.grid ?? 140;
  const ny = Math.max(40, Math.round((nx * height) / width));

  const contours = contourRows(fn, nx, ny, options.levels ?? 14);
  const paths: { s: string; i: number; x: number; y: number }[] = [];
  const ends: { s: string; x: number; y: number }[] = [];
  const starts: { x: number; y: number }[] = [];
  for (const run of options.runs) {
    const points = toPoints(run.path);
    if (points.length === 0) continue;
    thinPathTo(points, 400, 1 / 400, x1 - x0, y1 - y0).forEach((p, i) => paths.push({ s: run.name, i, ...p }));
    ends.push({ s: run.name, ...points[points.length - 1]! });
    const first = points[0]!;
    if (!starts.some((p) => p.x === first.x && p.y === first.y)) starts.push(first);
  }
  const inside = (p: Point) => p.x >= x0 && p.x <= x1 && p.y >= y0 && p.y <= y1;
  const color = seriesColorEncoding(options.runs);
  const spec = {
    width,
    height,
    title: title(options.title ?? fn.title, options.subtitle ?? `f = ${fn.formula}    ${MARKERS}`),
    encoding: {
      x: { field: "x", type: "quantitative", title: "x", scale: { domain: [x0, x1], nice: false, zero: false }, axis: { grid: false } },
      y: { field: "y", type: "quantitative", title: "y", scale: { domain: [y0, y1], nice: false, zero: false }, axis: { grid: false } },
    },
    layer: [
      {
        name: "contours",
        data: { values: contours },
        mark: { type: "line", strokeWidth: 1, clip: true },
        encoding: {
          order: { field: "i" },
          color: { field: "level", type: "quantitative", legend: null, scale: { range: ["#707070", "#d6d6d6"] } },
        },
      },
      ...(options.curves?.length ? [{
        name: "curves",
        data: { values: options.curves.flatMap((curve, c) => curve.map(([x, y], i) => ({ c, i, x, y }))) },
        mark: { type: "line", strokeWidth: 2, strokeDash: [6, 4], color: "#111", clip: true },
        encoding: { detail: { field: "c" }, order: { field: "i" } },
      }] : []),
      {
        name: "paths",
        data: { values: paths },
        mark: { type: "line", strokeWidth: 2.5, clip: true, strokeJoin: "round", opacity: 0.95 },
        encoding: { color, order: { field: "i" } },
      },
      {
        name: "ends",
        data: { values: ends.filter(inside) },
        mark: { type: "point", filled: true, size: 70, stroke: "white", strokeWidth: 1.5, opacity: 1 },
        encoding: { color: { ...color, legend: null } },
      },
      {
        name: "minima",
        data: { values: fn.minima.map(([x, y]) => ({ x, y })).filter(inside) },
        mark: { type: "point", shape: "cross", filled: true, size: 110, color: "#111", stroke: "white", strokeWidth: 1, opacity: 1 },
      },
      {
        name: "starts",
        data: { values: starts.filter(inside) },
        mark: { type: "point", filled: false, size: 130, color: "#111", strokeWidth: 2, opacity: 1 },
      },
    ],
    resolve: { scale: { color: "independent" } },
  } as TopLevelSpec;
  return renderSvg(spec);
}

function contourRows(fn: LandscapeChartOptions["landscape"], nx: number, ny: number, count: number) {
  const { grid, levels } = contourGrid(fn, nx, ny);
  const xSpan = fn.domain.x[1] - fn.domain.x[0];
  const ySpan = fn.domain.y[1] - fn.domain.y[0];
  const trace = (n: number, step: number) =>
    levels(n)
      .flatMap((level, k) => isolines(grid, level).map((line) => ({ k, points: thinPath(line, step, xSpan, ySpan) })))
      .filter((line) => line.points.length >= 3); // a line thinned down to a dot
  const size = (lines: { points: Point[] }[]) => lines.reduce((sum, l) => sum + l.points.length, 0);
  // Within the budget of points: fewer levels first (down to 7), then coarser lines (Rastrigin has hundreds of loops).
  let n = count;
  let step = 1 / 200;
  let lines = trace(n, step);
  while (size(lines) > CONTOUR_POINTS && n > MIN_LEVELS) lines = trace((n = Math.max(MIN_LEVELS, n - 3)), step);
  while (size(lines) > CONTOUR_POINTS) lines = trace(n, (step *= 1.25));
  // One path per level: its lines joined by null points, where Vega breaks the path (far fewer SVG elements than
  // a path per line).
  const rows: { i: number; x: number | null; y: number | null; level: number }[] = [];
  for (const { k, points } of lines) {
    for (const p of points) rows.push({ i: rows.length, x: p.x, y: p.y, level: k });
    rows.push({ i: rows.length, x: null, y: null, level: k });
  }
  return rows;
}

/** The sampled grid (of log(f − f_min) for log levels) and the levels, in the grid's units, for a count. */
function contourGrid(fn: LandscapeChartOptions["landscape"], nx: number, ny: number): { grid: Grid; levels: (count: number) => number[] } {
  const grid = sampleGrid(fn.f, fn.domain.x, fn.domain.y, nx, ny);
  if (fn.levels === "linear") return { grid, levels: (count) => contourLevels(grid.values, "linear", count) };
  let fmin = Infinity;
  for (const v of grid.values) if (v < fmin) fmin = v;
  for (const [x, y] of fn.minima) fmin = Math.min(fmin, fn.f(x, y));
  const above = grid.values.map((v) => v - fmin);
  const floor = contourLevels(above, "log", 2)[0]! * 1e-3;
  grid.values = above.map((v) => Math.log(Math.max(v, floor)));
  return { grid, levels: (count) => contourLevels(above, "log", count).map(Math.log) };
}

function toPoints(path: ArrayLike<number> | readonly (readonly [number, number])[]): Point[] {
  const points: Point[] = [];
  const pairs = path.length > 0 && Array.isArray(path[0]);
  const n = pairs ? path.length : Math.floor(path.length / 2);
  for (let k = 0; k < n; k++) {
    const [x, y] = pairs ? (path as readonly (readonly [number, number])[])[k]! : [(path as ArrayLike<number>)[2 * k]!, (path as ArrayLike<number>)[2 * k + 1]!];
    if (Number.isFinite(x) && Number.isFinite(y)) points.push({ x: x!, y: y! });
  }
  return points;
}
