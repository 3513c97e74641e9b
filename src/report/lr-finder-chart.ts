// The learning-rate range test: loss against the learning rate on a log axis, with a marker at the suggested lr.
// The loss usually explodes at the end of the range; the y axis stops at the first loss plus twice its drop
// (loss₀ + 2 (loss₀ − min)), so that the useful part of the curve fills the chart.
import type { TopLevelSpec } from "vega-lite";
import { title } from "./encoding.js";
import { SERIES_COLORS } from "./palette.js";
import { renderSvg } from "./render.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface LrFinderChartOptions {
  lr: ArrayLike<number>;
  loss: ArrayLike<number>;
  /** A smoothed loss (same length), drawn over the raw one. */
  smoothed?: ArrayLike<number>;
  /** The suggested learning rate, marked by a vertical rule. */
  suggestion?: number;
  title?: string;
  subtitle?: string;
  width?: number;
  height?: number;
}

export async function lrFinderChart(options: LrFinderChartOptions): Promise<string> {
  checkOptions("lrFinderChart", options, LR_FINDER_CHART_OPTIONS);
  const { lr, loss, smoothed, suggestion } = options;
  if (lr.length !== loss.length) throw new RangeError(`lrFinderChart: ${lr.length} lr values and ${loss.length} loss values`);
  if (smoothed && smoothed.length !== lr.length) throw new RangeError(`lrFinderChart: ${smoothed.length} smoothed values for ${lr.length} lr values`);
  const rows: { s: string; lr: number; loss: number }[] = [];
  const add = (s: string, values: ArrayLike<number>) => {
    for (let k = 0; k < lr.length; k++) {
      if (lr[k]! > 0 && Number.isFinite(lr[k]!) && Number.isFinite(values[k]!)) rows.push({ s, lr: lr[k]!, loss: values[k]! });
    }
  };
  add("loss", loss);
  if (smoothed) add("smoothed", smoothed);
  const main = smoothed ? "smoothed" : "loss";
  const curve = rows.filter((r) => r.s === main);
  const y = yDomain(curve.map((r) => r.loss));
  const layers: object[] = [
    {
      name: "curves",
      mark: { type: "line", clip: true, strokeWidth: 2 },
      encoding: {
        color: {
          field: "s", type: "nominal", title: null,
          scale: { domain: smoothed ? ["loss", "smoothed"] : ["loss"], range: smoothed ? ["#a0c4e4", SERIES_COLORS[0]] : [SERIES_COLORS[0]] },
          legend: smoothed ? { orient: "top-right", symbolType: "stroke" } : null,
        },
      },
    },
  ];
  if (suggestion !== undefined && suggestion > 0 && Number.isFinite(suggestion)) {
    const at = nearest(curve, suggestion);
    const label = `suggested lr ${formatLr(suggestion)}`;
    layers.push(
      { name: "suggestion", data: { values: [{ lr: suggestion }] }, mark: { type: "rule", color: SERIES_COLORS[2], strokeDash: [6, 4], strokeWidth: 2 }, encoding: { x: { field: "lr" } } },
      ...(at ? [{
        data: { values: [{ lr: suggestion, loss: at.loss, label }] },
        layer: [
          { mark: { type: "point", filled: true, size: 90, color: SERIES_COLORS[2] } },
          { mark: { type: "text", align: "left", dx: 8, dy: -10, fontSize: 12, fontWeight: 600, color: SERIES_COLORS[2] }, encoding: { text: { field: "label" } } },
        ],
      }] : []),
    );
  }
  const spec = {
    width: options.width ?? 520,
    height: options.height ?? 300,
    title: title(options.title ?? "Learning-rate range test", options.subtitle),
    data: { values: rows },
    encoding: {
      x: { field: "lr", type: "quantitative", title: "learning rate (log scale)", scale: { type: "log", nice: false }, axis: { format: "~e" } },
      y: { field: "loss", type: "quantitative", title: "loss", scale: { domain: y, zero: false, nice: false } },
    },
    layer: layers,
  } as TopLevelSpec;
  return renderSvg(spec);
}

function yDomain(losses: number[]): [number, number] {
  if (losses.length === 0) return [0, 1];
  // A loop, not Math.min(...losses): spreading a long array into a call overflows the stack.
  let min = Infinity, max = -Infinity;
  for (const l of losses) (min = Math.min(min, l)), (max = Math.max(max, l));
  const first = losses[0]!;
  const top = Math.min(max, first + 2 * Math.max(first - min, 0));
  const span = top - min || Math.abs(min) || 1;
  return [min - 0.05 * span, top + 0.05 * span];
}

function nearest<T extends { lr: number }>(rows: readonly T[], lr: number): T | undefined {
  let best: T | undefined;
  for (const r of rows) if (!best || Math.abs(Math.log(r.lr / lr)) < Math.abs(Math.log(best.lr / lr))) best = r;
  return best;
}

/** Two significant digits: 0.0032, 1e-7. */
function formatLr(lr: number): string {
  return String(Number(lr.toPrecision(2)));
}

/** The keys lrFinderChart accepts (tsc checks the list against LrFinderChartOptions). */
const LR_FINDER_CHART_OPTIONS = keysOf<LrFinderChartOptions>({ lr: 1, loss: 1, smoothed: 1, suggestion: 1, title: 1, subtitle: 1, width: 1, height: 1 });
