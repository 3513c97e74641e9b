// The HTML report of one training run (wasm-optim train): loss per step, loss and accuracy per epoch, the
// learning rate per epoch, the optimizer's explanation and the setup.
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import { seriesColor } from "../../report/palette.js";
import { describeDivergence } from "../../train/divergence.js";
import type { History } from "../../train/history.js";
import { formatLoss, formatPercent, formatSeconds, plural } from "../format.js";
import { smoothEma } from "../stats.js";
import { CARD_STYLE, formatSettings, optimizerCard, preBlock } from "./parts.js";
import { trainGradientSection } from "./gradient-norm-charts.js";

export interface TrainReportInput {
  history: History;
  /** Display name and class name of the optimizer, and its hyperparameters. */
  optimizer: { name: string; label: string; options: Record<string, unknown> };
  stepsPerEpoch: number;
  dataDescription: string;
  model: string;
  command?: string;
  /** Where the run resumed (epochs already done), when it did. */
  resumedAt?: number;
  /** The clipGradNorm the run used, if any (the gradient-norm section counts the steps it clipped). */
  clip?: number;
}

/** Two charts side by side. */
const WIDTH = 400;

export async function trainReport(input: TrainReportInput): Promise<string> {
  const { history, optimizer, stepsPerEpoch } = input;
  const window = Math.min(20, Math.ceil(stepsPerEpoch / 2));
  const steps = Float64Array.from(history.stepLosses);
  const hasTest = history.epochs.some((e) => !Number.isNaN(e.valLoss));
  const hasAccuracy = history.epochs.some((e) => !Number.isNaN(e.accuracy));
  const series = (field: "loss" | "valLoss" | "accuracy" | "valAccuracy", name: string) => ({
    name,
    y: history.series(field).map((v) => (field.endsWith("ccuracy") ? 100 * v : v)),
  });
  const charts = [
    await lineChart({
      series: [{ name: "step loss", y: steps, color: "#b9cde0" }, { name: "smoothed", y: smoothEma(steps, 2 / (window + 1)), color: seriesColor(0) }],
      title: "Training loss per step", subtitle: "log scale", xLabel: "step", yLabel: "loss", logY: true, width: WIDTH,
    }),
    await lineChart({
      series: [series("loss", "train"), ...(hasTest ? [series("valLoss", "test")] : [])],
      title: "Loss per epoch", subtitle: "log scale", xLabel: "epoch", yLabel: "loss", logY: true, width: WIDTH,
    }),
    ...(hasAccuracy
      ? [await lineChart({ series: [series("accuracy", "train"), ...(hasTest ? [series("valAccuracy", "test")] : [])], title: "Accuracy per epoch", xLabel: "epoch", yLabel: "accuracy (%)", width: WIDTH })]
      : []),
    await lineChart({ series: [{ name: "lr", y: history.series("lr") }], title: "Learning rate per epoch", xLabel: "epoch", yLabel: "learning rate", width: WIDTH }),
  ];
  const last = history.last;
  const seconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  const headline = last
    ? `After ${plural(history.epochs.length, "epoch")} (${plural(history.steps, "step")}, ${formatSeconds(seconds)}): training loss ${formatLoss(last.loss)}` +
      (hasTest ? `, test loss ${formatLoss(last.valLoss)}` : "") +
      (hasTest && !Number.isNaN(last.valAccuracy) ? `, test accuracy ${formatPercent(last.valAccuracy)}` : !Number.isNaN(last.accuracy) ? `, training accuracy ${formatPercent(last.accuracy)}` : "") +
      "."
    : "No epoch completed.";
  const sections: ReportSection[] = [
    {
      heading: "Result",
      text: [
        ...(history.divergence ? [`The run diverged: ${describeDivergence(history.divergence)}; training stopped there. Try a smaller learning rate, a warm-up schedule or gradient clipping (--clip).`] : []),
        headline, ...(input.resumedAt ? [`Resumed from a checkpoint after epoch ${input.resumedAt}.`] : []), ...(history.stoppedEarly ? ["Stopped early."] : [])],
      table: {
        columns: ["epoch", "train loss", ...(hasAccuracy ? ["train acc"] : []), ...(hasTest ? ["test loss"] : []), ...(hasTest && hasAccuracy ? ["test acc"] : []), "lr", "time"],
        rows: history.epochs.map((e) => [
          e.epoch + 1, e.loss, ...(hasAccuracy ? [formatPercent(e.accuracy)] : []), ...(hasTest ? [e.valLoss] : []),
          ...(hasTest && hasAccuracy ? [formatPercent(e.valAccuracy)] : []), e.lr, formatSeconds(e.seconds),
        ]),
      },
    },
    { heading: "Curves", charts },
    ...[await trainGradientSection(history, stepsPerEpoch, input.clip, 2 * WIDTH)].filter((s) => s !== null),
    {
      heading: "Optimizer",
      html: `${CARD_STYLE}<div class="lab-cards">${optimizerCard({
        name: optimizer.name, color: seriesColor(0), settings: formatSettings(optimizer.options),
        explanation: explainOptimizer({ kind: optimizer.label, paramGroups: [optimizer.options] }),
        results: escapeHtml(headline),
      })}</div>`,
    },
    { heading: "Setup", text: [`Data: ${input.dataDescription}.`], html: preBlock(input.model) + (input.command ? preBlock(`$ ${input.command}`) : "") },
  ];
  return renderReport({ title: `Training run: ${optimizer.name}`, subtitle: input.dataDescription, sections, footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC` });
}
