// The HTML report of a comparison: what happened in a few sentences and a table, the loss curves (per step, per
// wall-clock second, per epoch on the test set), the accuracy, the learning rates used, each optimizer's rule and
// explanation beside its own numbers, and the setup. Charts are SVG (vega), so this runs in Node (wasm-optim/node).
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { lineChart, scheduleChart } from "../../report/line-chart.js";
import { seriesColor } from "../../report/palette.js";
import type { CompareResult, CompareRun } from "../compare.js";
import { formatLoss, formatLr, formatPercent, formatSeconds, plural } from "../format.js";
import { describeComparison, summaryTable } from "./compare-summary.js";
import { CARD_STYLE, formatSettings, optimizerCard, preBlock } from "./parts.js";
import { compareGradientSection } from "./gradient-norm-charts.js";
import { checkOptions, keysOf } from "../../engine/options.js";

export interface CompareReportOptions {
  /** Default: 'Optimizer comparison'. */
  title?: string;
  /** What the data is, in a phrase. */
  dataDescription?: string;
  /** The command line that produced it, shown in the setup section. */
  command?: string;
}

/** Two charts side by side in the report's width. */
const CHART_WIDTH = 440;

export async function compareReport(result: CompareResult, options: CompareReportOptions = {}): Promise<string> {
  checkOptions("compareReport", options, COMPARE_REPORT_OPTIONS);
  const runs = result.runs;
  const hasTest = result.data.test !== null;
  const classification = runs.some((r) => r.history.epochs.some((e) => !Number.isNaN(e.accuracy)));
  const smoothing = `smoothed over about half an epoch`;
  const losses = (pick: (r: CompareRun) => ArrayLike<number>, x?: (r: CompareRun) => ArrayLike<number>) =>
    runs.map((r) => ({ name: r.name, y: pick(r), x: x?.(r) }));
  const epochs = (field: "loss" | "valLoss" | "accuracy" | "valAccuracy") =>
    runs.map((r) => ({ name: r.name, y: r.history.series(field).map((v) => (field.endsWith("ccuracy") ? 100 * v : v)) }));

  // Captions go in the section's text: a figure caption would widen its figure and stack the charts.
  const curveCharts = [
    await lineChart({ series: losses((r) => r.smoothedLosses), title: "Training loss per step", subtitle: `${smoothing}; log scale`, xLabel: "step", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
    await lineChart({ series: losses((r) => r.smoothedLosses, (r) => r.stepSeconds), title: "Training loss against wall time", subtitle: `${smoothing}; log scale`, xLabel: "seconds", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
  ];
  const curveText = [
    `Every optimizer saw the same batches in the same order. 'Steps to target' counts the steps until a curve first reaches ${formatLoss(result.target)}.`,
    "Against the clock (right), an optimizer with cheaper steps moves left.",
  ];
  const epochCharts = [
    ...(hasTest
      ? [await lineChart({ series: epochs("valLoss"), title: "Test loss per epoch", subtitle: "measured after each epoch; log scale", xLabel: "epoch", yLabel: "test loss", logY: true, width: CHART_WIDTH })]
      : [await lineChart({ series: epochs("loss"), title: "Training loss per epoch", subtitle: "mean over each epoch; log scale", xLabel: "epoch", yLabel: "training loss", logY: true, width: CHART_WIDTH })]),
    ...(classification
      ? [await lineChart({ series: epochs(hasTest ? "valAccuracy" : "accuracy"), title: `${hasTest ? "Test" : "Training"} accuracy per epoch`, subtitle: "percent correct", xLabel: "epoch", yLabel: "accuracy (%)", width: CHART_WIDTH })]
      : []),
  ];
  const lrs = runs.map((r) => Array.from(r.stepLrs));
  const positive = lrs.flat().filter((v) => v > 0);
  const varies = lrs.some((l) => l.some((v) => v !== l[0]));
  const lrSection: ReportSection = varies
    ? {
        heading: "Learning rates",
        text: `Each optimizer followed the schedule '${result.schedule ?? "custom"}' from its own base rate.`,
        charts: [await scheduleChart({
          schedules: runs.map((r, i) => ({ name: r.name, lr: lrs[i]! })),
          title: "Learning rate per step",
          logY: positive.reduce((a, b) => Math.max(a, b), -Infinity) / positive.reduce((a, b) => Math.min(a, b), Infinity) > 20, // no spread: steps × runs values
          width: CHART_WIDTH,
        })],
      }
    : { heading: "Learning rates", text: `No schedule: each optimizer kept a constant rate: ${runs.map((r, i) => `${r.name} ${formatLr(lrs[i]![0] ?? NaN)}`).join(", ")}.` };

  const sections: ReportSection[] = [
    { heading: "What happened", text: describeComparison(result), table: summaryTable(result) },
    { heading: "Loss during training", text: curveText, charts: curveCharts },
    ...[await compareGradientSection(runs, result.stepsPerEpoch, CHART_WIDTH)].filter((s) => s !== null),
    { heading: hasTest ? "On the test set" : "Per epoch", text: hasTest ? `Evaluated on ${result.data.testSamples} held-out samples after every epoch.` : undefined, charts: epochCharts },
    lrSection,
    {
      heading: "The optimizers",
      text: "What each update rule does, next to how it did here.",
      html: `${CARD_STYLE}<div class="lab-cards">${runs.map((r, i) => optimizerCard({
        name: r.name,
        color: seriesColor(i),
        settings: formatSettings(r.options),
        explanation: explainOptimizer({ kind: r.label, paramGroups: [r.options] }),
        results: cardResults(r, hasTest, classification),
      })).join("\n")}</div>`,
    },
    {
      heading: "Setup",
      text: [
        `Data: ${options.dataDescription ?? result.data.train}. ${result.data.trainSamples} training samples${hasTest ? `, ${result.data.testSamples} test samples` : ""}.`,
        `${plural(result.epochs, "epoch")} of ${plural(result.stepsPerEpoch, "step")} (batch ${result.batchSize}), loss ${result.loss}, seed ${result.seed}` +
          ` (the same initial weights and batch order for every optimizer), kernels: ${result.backend}. Total time ${formatSeconds(result.seconds)}.`,
        `Target loss ${formatLoss(result.target)}: ${result.targetRule === "given" ? "given" : "the median of the optimizers' lowest smoothed training losses, rounded up"}.` +
          ` Instability: the standard deviation of the last step losses (noise around the trend; lower is steadier).`,
      ],
      html: preBlock(result.model) + (options.command ? preBlock(`$ ${options.command}`) : ""),
    },
  ];
  return renderReport({
    title: options.title ?? `Optimizer comparison: ${result.data.train.replace(/ \(train\)$/, "")}`,
    subtitle: `${plural(runs.length, "optimizer")}, ${plural(result.epochs, "epoch")}, batch ${result.batchSize}, from the same initial weights and batch order`,
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · history.json and history.csv next to this file hold every number`,
  });
}

function cardResults(r: CompareRun, hasTest: boolean, classification: boolean): string {
  const s = r.summary;
  const parts: string[] = [];
  if (s.diverged) parts.push(`diverged at step ${s.divergedAt}`);
  if (hasTest) parts.push(`test loss ${formatLoss(s.finalTestLoss)}`);
  if (hasTest && classification) parts.push(`test accuracy ${formatPercent(s.finalTestAccuracy)}`);
  parts.push(`train loss ${formatLoss(s.finalLoss)}`);
  if (!s.diverged) parts.push(s.stepsToTarget === null ? "never reached the target" : `target in ${s.stepsToTarget} steps (${formatSeconds(s.secondsToTarget!)})`);
  return escapeHtml(parts.join(" · "));
}

/** The keys compareReport accepts (tsc checks the list against CompareReportOptions). */
const COMPARE_REPORT_OPTIONS = keysOf<CompareReportOptions>({ title: 1, dataDescription: 1, command: 1 });
