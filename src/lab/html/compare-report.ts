// The HTML report of a comparison: what happened in a few sentences and a table, the loss curves (per step, per
// wall-clock second, per epoch on the test set), the accuracy, the learning rates used, each optimizer's rule and
// explanation beside its own numbers, and the setup. Charts are SVG (vega), so this runs in Node (wasm-optim/node).
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { lineChart, scheduleChart } from "../../report/line-chart.js";
import { seriesColor } from "../../report/palette.js";
import type { CompareResult, CompareRun } from "../compare.js";
import { formatLoss, formatLr, formatPercent, formatSeconds, plural } from "../format.js";
import { describeComparison, interval, summaryTable } from "./compare-summary.js";
import { band, type RunStatistics } from "../compare-seeds.js";
import { smoothEma } from "../stats.js";
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
  /** Sections before the comparison's own (an experiment's question and findings), and after them. */
  intro?: readonly ReportSection[];
  outro?: readonly ReportSection[];
  subtitle?: string;
  /** Show a card per optimizer with its rule and explanation (default true; off when every run is the same algorithm). */
  cards?: boolean;
  /** The data files written next to the report, named in the footer (default 'history.json and history.csv'). */
  dataFiles?: string;
}

/** Two charts side by side in the report's width. */
const CHART_WIDTH = 440;

export async function compareReport(result: CompareResult, options: CompareReportOptions = {}): Promise<string> {
  checkOptions("compareReport", options, COMPARE_REPORT_OPTIONS);
  const runs = result.runs;
  const hasTest = result.data.test !== null;
  const classification = runs.some((r) => r.history.epochs.some((e) => !Number.isNaN(e.accuracy)));
  const smoothing = `smoothed over about half an epoch${result.seeds.length > 1 ? `; mean of ${result.seeds.length} seeds, band: 95 % interval` : ""}`;
  const seeded = result.seeds.length > 1;
  const stats = result.statistics;
  // Over seeds: the mean curve and its 95 % band (as long as the shortest seed's run); else the one run's.
  const losses = (pick: (r: CompareRun) => ArrayLike<number>, x?: (r: CompareRun) => ArrayLike<number>) =>
    runs.map((r, i) => {
      if (!seeded) return { name: r.name, y: pick(r), x: x?.(r) };
      const b = stats[i]!.stepLoss;
      return { name: r.name, y: b.mean, low: b.low, high: b.high, x: x && Array.from(x(r)).slice(0, b.mean.length) };
    });
  const epochs = (field: "loss" | "valLoss" | "accuracy" | "valAccuracy") =>
    runs.map((r, i) => {
      const percent = field.endsWith("ccuracy");
      const scaled = (v: ArrayLike<number>) => Array.from(v, (x) => (percent ? 100 * x : x));
      if (!seeded) return { name: r.name, y: scaled(r.history.series(field)) };
      const b = percent ? stats[i]!.epochAccuracy : stats[i]!.epochLoss;
      return { name: r.name, y: scaled(b.mean), low: scaled(b.low), high: scaled(b.high) };
    });
  const mixedBatches = new Set(runs.map((r) => r.batchSize)).size > 1;
  // Per epoch, runs of different batch sizes are smoothed over the same share of an epoch (a tenth), not the same
  // number of steps: else a run of single samples looks ten times noisier than its trend.
  const perEpoch = () =>
    runs.map((r, i) => {
      const w = Math.max(1, Math.ceil(r.stepsPerEpoch / 10));
      const curves = result.replicates.map((seedRuns) => smoothEma(seedRuns[i]!.stepLosses, 2 / (w + 1)));
      const b = band(curves);
      const x = Array.from(b.mean, (_, k) => (k + 1) / r.stepsPerEpoch);
      return seeded ? { name: r.name, y: b.mean, low: b.low, high: b.high, x } : { name: r.name, y: b.mean, x };
    });

  // Captions go in the section's text: a figure caption would widen its figure and stack the charts.
  const tenth = `smoothed over a tenth of an epoch${seeded ? `; mean of ${result.seeds.length} seeds, band: 95 % interval` : ""}; log scale`;
  const curveCharts = mixedBatches
    ? [
        await lineChart({ series: perEpoch(), title: "Training loss against epochs (samples seen)", subtitle: tenth, xLabel: "epoch", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
        await lineChart({
          series: perEpoch().map((p, i) => ({ ...p, x: Array.from(runs[i]!.stepSeconds).slice(0, p.y.length) })),
          title: "Training loss against wall time", subtitle: tenth, xLabel: "seconds", yLabel: "training loss", logY: true, width: CHART_WIDTH,
        }),
        await lineChart({ series: losses((r) => r.smoothedLosses), title: "Training loss per step", subtitle: `${smoothing}; log scale`, xLabel: "step", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
      ]
    : [
        await lineChart({ series: losses((r) => r.smoothedLosses), title: "Training loss per step", subtitle: `${smoothing}; log scale`, xLabel: "step", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
        await lineChart({ series: losses((r) => r.smoothedLosses, (r) => r.stepSeconds), title: "Training loss against wall time", subtitle: `${smoothing}; log scale`, xLabel: "seconds", yLabel: "training loss", logY: true, width: CHART_WIDTH }),
      ];
  const curveText = [
    mixedBatches
      ? `The runs use different batch sizes (${runs.map((r) => `${r.name}: ${r.batchSize}`).join(", ")}): a step of a larger batch sees more samples, so the first chart compares them per epoch (the same number of samples seen), the second per second, the third per step. Runs with the same batch size saw the same batches in the same order.`
      : "Every optimizer saw the same batches in the same order.",
    `'Steps to target' counts the steps until a curve first reaches ${formatLoss(result.target)}.`,
    mixedBatches ? "Against the clock, a run whose epochs take less time moves left." : "Against the clock (right), an optimizer with cheaper steps moves left.",
    ...(seeded ? [`Each line is the mean over ${result.seeds.length} seeds; the shaded band is the 95 % interval of that mean: where two bands overlap, the seeds cannot tell those runs apart.`] : []),
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

  const tuning: ReportSection[] = result.tuning
    ? [{
        heading: "How each learning rate was chosen",
        text: [
          "Before the comparison, each run got its own short learning-rate search (--tune lr): a few epochs at each rate of a 1-3-10 ladder around its own rate, " +
            "fitted on 80 % of the training set and scored on the other 20 % (the test set was not looked at). When the best rate sat on an edge of the rates tried, " +
            "the search tried the next rate beyond it, until the validation loss turned up: a rate is only called best when a worse one lies on each side.",
        ],
        table: {
          columns: ["run", "given lr", "rates tried", "validation loss at each", "chosen lr", "bracketed"],
          rows: result.tuning.map((t) => [
            t.name, formatLr(t.initialLr), t.search.points.map((p) => formatLr(p.lr)).join(", "),
            t.search.points.map((p) => (p.diverged ? "diverged" : formatLoss(p.loss))).join(", "), formatLr(t.lr), t.search.bracketed ? "yes" : "no (edge)",
          ]),
        },
      }]
    : [];
  const sections: ReportSection[] = [
    ...(options.intro ?? []),
    { heading: options.intro ? "The runs in numbers" : "What happened", text: describeComparison(result), table: summaryTable(result) },
    ...tuning,
    { heading: "Loss during training", text: curveText, charts: curveCharts },
    ...[await compareGradientSection(runs, result.stepsPerEpoch, CHART_WIDTH)].filter((s) => s !== null),
    { heading: hasTest ? "On the test set" : "Per epoch", text: hasTest ? `Evaluated on ${result.data.testSamples} held-out samples after every epoch.` : undefined, charts: epochCharts },
    lrSection,
    ...(options.cards === false ? [] : [{
      heading: "The optimizers",
      text: seeded ? `What each update rule does, next to how it did here (means over the ${result.seeds.length} seeds).` : "What each update rule does, next to how it did here.",
      html: `${CARD_STYLE}<div class="lab-cards">${runs.map((r, i) => optimizerCard({
        name: r.name,
        color: seriesColor(i),
        settings: formatSettings(r.options),
        explanation: explainOptimizer({ kind: r.label, paramGroups: [r.options] }),
        results: seeded ? seedCardResults(stats[i]!, hasTest, classification) : cardResults(r, hasTest, classification),
      })).join("\n")}</div>`,
    }]),
    {
      heading: "Setup",
      text: [
        `Data: ${options.dataDescription ?? result.data.train}. ${result.data.trainSamples} training samples${hasTest ? `, ${result.data.testSamples} test samples` : ""}.`,
        `${plural(result.epochs, "epoch")} of ${plural(result.stepsPerEpoch, "step")} (batch ${result.batchSize}) unless a run sets its own, loss ${result.loss}, ${result.seeds.length > 1 ? `seeds ${result.seeds.join(", ")}` : `seed ${result.seed}`}` +
          ` (the same initial weights and batch order for every optimizer), kernels: ${result.backend}. Total time ${formatSeconds(result.seconds)}.`,
        `Target loss ${formatLoss(result.target)}: ${result.targetRule === "given" ? "given" : "the median of the optimizers' lowest smoothed training losses, rounded up"}.` +
          ` Instability: the standard deviation of the last step losses (noise around the trend; lower is steadier).`,
      ],
      html: preBlock(result.model) + (options.command ? preBlock(`$ ${options.command}`) : ""),
    },
    ...(options.outro ?? []),
  ];
  return renderReport({
    title: options.title ?? `Optimizer comparison: ${result.data.train.replace(/ \(train\)$/, "")}`,
    subtitle: options.subtitle ?? `${plural(runs.length, "run")}, ${plural(result.epochs, "epoch")}, batch ${result.batchSize}${result.seeds.length > 1 ? `, ${result.seeds.length} seeds` : ""}, from the same initial weights and batch order`,
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · ${options.dataFiles ?? "history.json and history.csv"} next to this file hold every number`,
  });
}

function seedCardResults(s: RunStatistics, hasTest: boolean, classification: boolean): string {
  const m = s.metrics;
  const parts: string[] = [];
  if (s.diverged) parts.push(`diverged in ${s.diverged} of ${m.seconds.n} seeds`);
  if (hasTest) parts.push(`test loss ${interval(m.finalTestLoss, formatLoss)}`);
  if (hasTest && classification) parts.push(`test accuracy ${interval(m.finalTestAccuracy, formatPercent)}`);
  parts.push(`train loss ${interval(m.finalLoss, formatLoss)}`);
  return escapeHtml(parts.join(" · "));
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
const COMPARE_REPORT_OPTIONS = keysOf<CompareReportOptions>({ title: 1, dataDescription: 1, command: 1, intro: 1, outro: 1, subtitle: 1, cards: 1, dataFiles: 1 });
