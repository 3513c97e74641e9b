// A heatmap: a value per (column, row) cell, coloured on a log or linear scale and written in the cell.
import type { TopLevelSpec } from "vega-lite";
import { checkOptions, keysOf } from "../engine/options.js";
import { renderSvg } from "./render.js";
import { title } from "./encoding.js";

export interface HeatmapOptions {
  /** Column and row labels, in display order. */
  columns: readonly string[];
  rows: readonly string[];
  /** values[r][c]; NaN shows as an empty cell with `missing` written in it. */
  values: readonly (readonly number[])[];
  /** A cell's text (default: 3 significant digits). */
  format?: (value: number) => string;
  missing?: string;
  title?: string;
  subtitle?: string;
  xLabel?: string;
  yLabel?: string;
  valueLabel?: string;
  logColor?: boolean;
  /** Cells outlined in black (e.g. each row's best). */
  marked?: readonly (readonly [number, number])[];
  cellSize?: number;
}

export function heatmap(options: HeatmapOptions): Promise<string> {
  checkOptions("heatmap", options, HEATMAP_OPTIONS);
  const { columns, rows, values } = options;
  if (values.length !== rows.length || values.some((r) => r.length !== columns.length)) {
    throw new RangeError(`heatmap: values must be ${rows.length} rows of ${columns.length} numbers`);
  }
  const format = options.format ?? ((v: number) => String(Number(v.toPrecision(3))));
  const marked = new Set((options.marked ?? []).map(([r, c]) => `${r},${c}`));
  const ok = (v: number) => Number.isFinite(v) && (!options.logColor || v > 0);
  const shown = values.flat().filter(ok).map((v) => (options.logColor ? Math.log(v) : v));
  // The colour scale runs from yellow (low) to dark purple (high): text in the upper half of the range is white.
  const middle = (Math.min(...shown) + Math.max(...shown)) / 2;
  const cells = rows.flatMap((row, r) => columns.map((column, c) => {
    const v = values[r]![c]!;
    const dark = ok(v) && (options.logColor ? Math.log(v) : v) > middle;
    return { column, row, v: ok(v) ? v : null, text: ok(v) ? format(v) : (options.missing ?? "–"), mark: marked.has(`${r},${c}`), dark };
  }));
  const size = options.cellSize ?? 80;
  const x = { field: "column", type: "ordinal", sort: columns, title: options.xLabel ?? null, axis: { labelAngle: 0 } };
  const y = { field: "row", type: "ordinal", sort: rows, title: options.yLabel ?? null };
  const spec = {
    width: size * columns.length,
    height: (size * rows.length) / 1.6,
    title: title(options.title, options.subtitle),
    data: { values: cells },
    layer: [
      {
        mark: { type: "rect", stroke: "white", strokeWidth: 1 },
        encoding: { x, y, color: { field: "v", type: "quantitative", title: options.valueLabel ?? null, scale: { type: options.logColor ? "log" : "linear", scheme: "viridis", reverse: true } } },
      },
      { transform: [{ filter: "datum.mark" }], mark: { type: "rect", fill: null, stroke: "#e4572e", strokeWidth: 4 }, encoding: { x, y } },
      { mark: { type: "text", fontSize: 12 }, encoding: { x, y, text: { field: "text" }, color: { condition: { test: "datum.dark", value: "white" }, value: "#111" } } },
    ],
  } as TopLevelSpec;
  return renderSvg(spec);
}

const HEATMAP_OPTIONS = keysOf<HeatmapOptions>({
  columns: 1, rows: 1, values: 1, format: 1, missing: 1, title: 1, subtitle: 1, xLabel: 1, yLabel: 1, valueLabel: 1, logColor: 1, marked: 1, cellSize: 1,
});
