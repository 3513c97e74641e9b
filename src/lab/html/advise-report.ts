// The HTML report of advise(): the advice in words, the ranking, the loss against the learning rate for every
// optimizer (how wide its good band is), the LR range tests behind an automatic grid, and the optimizers' rules.
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import { lrFinderChart } from "../../report/lr-finder-chart.js";
import { seriesColor } from "../../report/palette.js";
import type { AdviceResult, OptimizerAdvice } from "../advise.js";
import { formatLoss, formatLr, plural } from "../format.js";
import { CARD_STYLE, formatSettings, optimizerCard, preBlock } from "./parts.js";
import { interval } from "./compare-summary.js";

/** Ranking rows: rank, optimizer, best lr, best loss, band, width in decades, steps to target. */
export function adviceRows(result: AdviceResult): { columns: string[]; rows: (string | number)[][] } {
  return {
    columns: [
      "rank", "optimizer", "best lr", "bracketed", "best loss", ...(result.seeds.length > 1 ? [`over ${result.seeds.length} seeds`] : []),
      `rates within ${Math.round(100 * result.tolerance)} %`, "decades", `steps to ${formatLoss(result.target)}`,
    ],
    rows: result.optimizers.map((a) => [
      a.rank, a.name, Number.isNaN(a.bestLr) ? "–" : formatLr(a.bestLr), a.bracketed ? "yes" : "no (edge)", Number.isNaN(a.bestLoss) ? "diverged" : a.bestLoss,
      ...(result.seeds.length > 1 ? [a.seedQuality ? interval(a.seedQuality, formatLoss) : "–"] : []),
      Number.isNaN(a.band.low) ? "–" : a.band.low === a.band.high ? formatLr(a.band.low) : `${formatLr(a.band.low)} – ${formatLr(a.band.high)}`,
      Number(a.band.decades.toFixed(1)), a.stepsToTarget ?? "–",
    ]),
  };
}

export async function adviseReport(
  result: AdviceResult,
  options: Record<string, Record<string, unknown>>,
  context: { dataDescription: string; model: string; batchSize: number; command?: string },
): Promise<string> {
  const sweep = await lineChart({
    series: result.optimizers.map((a, i) => ({ name: a.name, x: a.grid.map((p) => p.lr), y: a.grid.map((p) => (p.diverged ? NaN : p.loss)), color: seriesColor(i) })),
    title: "Best loss against the learning rate",
    subtitle: `after ${plural(result.epochs, "epoch")}; log scales; missing points diverged. Flat and wide = forgiving`,
    xLabel: "learning rate", yLabel: "best validation loss", logX: true, logY: true,
  });
  const finders = await Promise.all(
    result.optimizers.filter((a) => a.lrFind).map(async (a) => lrFinderChart({
      lr: a.lrFind!.lrs, loss: a.lrFind!.losses, smoothed: a.lrFind!.smoothed, suggestion: a.lrFind!.suggestion ?? undefined,
      title: `${a.name}: LR range test`, subtitle: `grid: ${a.grid.map((p) => formatLr(p.lr)).join(", ")}`, width: 380, height: 240,
    })),
  );
  const table = adviceRows(result);
  const sections: ReportSection[] = [
    { heading: "Advice", text: result.summary, table: { ...table, caption: "Ranked by the best loss over each optimizer's grid of learning rates" } },
    { heading: "How sensitive each optimizer is to its learning rate", charts: [sweep] },
    ...(finders.length
      ? [{ heading: "Where the grids came from", text: "Each grid is the 1-3-10 ladder from two decades below the LR range test's suggestion to one decade above.", charts: finders }]
      : []),
    {
      heading: "The optimizers",
      html: `${CARD_STYLE}<div class="lab-cards">${result.optimizers.map((a) => card(a, options[a.name] ?? {}, result.optimizers.indexOf(a))).join("\n")}</div>`,
    },
    {
      heading: "Setup",
      text: [`Data: ${context.dataDescription}. ${plural(result.epochs, "epoch")} per run, batch ${context.batchSize}, the same initial weights and batch order for every run. Time: ${result.seconds.toFixed(1)} s.`],
      html: preBlock(context.model) + (context.command ? preBlock(`$ ${context.command}`) : ""),
    },
  ];
  return renderReport({ title: "Which optimizer, and which learning rate?", subtitle: context.dataDescription, sections, footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC` });
}

function card(a: OptimizerAdvice, options: Record<string, unknown>, i: number): string {
  const { lr: _lr, ...rest } = options;
  return optimizerCard({
    name: a.name, color: seriesColor(i), settings: formatSettings(rest) || "defaults",
    explanation: explainOptimizer({ kind: a.label, paramGroups: [options] }),
    results: escapeHtml(Number.isNaN(a.bestLoss) ? "diverged at every rate" : `rank ${a.rank}: loss ${formatLoss(a.bestLoss)} at lr ${formatLr(a.bestLr)}`),
  });
}
