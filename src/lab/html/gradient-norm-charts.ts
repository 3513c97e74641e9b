// The gradient-norm section of the train and compare reports (fit's recordGradientNorms): the L2 norm of each
// layer's gradient (its tensors together: √(‖∇W‖² + ‖∇b‖²)) at every step, before clipping, on a log scale,
// smoothed geometrically over about half an epoch as the loss curves are.
//
//   train:    one chart, one line per layer
//   compare:  one chart per layer (at most six, evenly spaced through the model), one line per optimizer
import type { ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import { seriesColor } from "../../report/palette.js";
import { layerNorms, type LayerNormSeries } from "../../train/gradient-norms.js";
import type { History } from "../../train/history.js";
import { formatLoss, plural } from "../format.js";
import { smoothLogEma } from "../stats.js";

const WHAT =
  "The L2 norm of each layer's gradient (weights and bias together), measured at every step before any clipping; log scale, " +
  "smoothed over about half an epoch. Layers are numbered as in the model summary under Setup.";
const HOW_TO_READ =
  "How to read it: lines orders of magnitude apart mean one learning rate moves some layers far more than others; " +
  "a first layer far below the last is a vanishing gradient; a norm that jumps by orders of magnitude is an exploding one.";

/** At most this many per-layer charts in a comparison. */
const MAX_LAYER_CHARTS = 6;

function smoothing(stepsPerEpoch: number): number {
  return 2 / (Math.min(20, Math.ceil(stepsPerEpoch / 2)) + 1);
}

/** "first layer 3.2e-4 × the last at the first step, 0.8 × at the last step", from the per-layer series. */
function firstToLast(layers: LayerNormSeries): string | null {
  const n = layers.values[0]?.length ?? 0;
  if (layers.names.length < 2 || n === 0) return null;
  const ratio = (i: number) => layers.values[0]![i]! / layers.values[layers.values.length - 1]![i]!;
  return `The first layer's gradient norm was ${formatLoss(ratio(0))} × the last layer's at the first step, and ${formatLoss(ratio(n - 1))} × at the last step.`;
}

export async function trainGradientSection(history: History, stepsPerEpoch: number, clip: number | undefined, width: number): Promise<ReportSection | null> {
  const norms = history.gradientNorms;
  if (!norms || norms.steps === 0) return null;
  const layers = layerNorms(norms);
  const s = smoothing(stepsPerEpoch);
  const chart = await lineChart({
    series: [
      ...layers.names.map((name, l) => ({ name: `layer ${name}`, y: smoothLogEma(layers.values[l]!, s) })),
      { name: "all layers (global norm)", y: smoothLogEma(layers.total, s), color: "#333333" },
    ],
    title: "Gradient norm per layer", subtitle: "before clipping, smoothed; log scale", xLabel: "step", yLabel: "gradient L2 norm", logY: true, width,
  });
  const text = [WHAT, ...(firstToLast(layers) ? [firstToLast(layers)!] : []), HOW_TO_READ];
  if (clip !== undefined) text.push(`Clipping at a global norm of ${clip} changed ${plural(history.clippedSteps, "step")} of ${history.steps}.`);
  return { heading: "Gradient norms", text, charts: [chart] };
}

export async function compareGradientSection(
  runs: readonly { name: string; history: History }[], stepsPerEpoch: number, width: number,
): Promise<ReportSection | null> {
  const recorded = runs.filter((r) => r.history.gradientNorms && r.history.gradientNorms.steps > 0);
  if (recorded.length === 0) return null;
  const perRun = recorded.map((r) => layerNorms(r.history.gradientNorms!));
  const names = perRun[0]!.names;
  const shown = names.length <= MAX_LAYER_CHARTS ? names.map((_, l) => l) : evenlySpaced(names.length, MAX_LAYER_CHARTS);
  const s = smoothing(stepsPerEpoch);
  const charts = [];
  for (const l of shown) {
    charts.push(await lineChart({
      series: recorded.map((r, i) => ({ name: r.name, y: smoothLogEma(perRun[i]!.values[l]!, s), color: seriesColor(runs.indexOf(r)) })),
      title: `Gradient norm of layer ${names[l]}`, subtitle: `${l === 0 ? "first layer; " : l === names.length - 1 ? "last layer; " : ""}smoothed; log scale`,
      xLabel: "step", yLabel: "gradient L2 norm", logY: true, width,
    }));
  }
  const text = [WHAT, ...(shown.length < names.length ? [`${names.length} layers: ${shown.length} of them, evenly spaced from the first to the last, are shown.`] : []), HOW_TO_READ];
  return { heading: "Gradient norms", text, charts };
}

/** Indices 0 … n−1, k of them, first and last included. */
function evenlySpaced(n: number, k: number): number[] {
  return [...new Set(Array.from({ length: k }, (_, i) => Math.round((i * (n - 1)) / (k - 1))))];
}
