// The HTML report of learning-rate range tests: one chart per optimizer (raw and smoothed loss against the rate,
// the suggestion marked), a table of suggestions, and how to read it.
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { lrFinderChart } from "../../report/lr-finder-chart.js";
import { seriesColor } from "../../report/palette.js";
import { formatLoss, formatLr } from "../format.js";
import type { LrFindResult } from "../lr-find.js";
import { CARD_STYLE, formatSettings, optimizerCard, preBlock } from "./parts.js";

export interface LrFindEntry {
  name: string;
  label: string;
  options: Record<string, unknown>;
  result: LrFindResult;
}

export async function lrFindReport(entries: readonly LrFindEntry[], context: { dataDescription: string; model: string; batchSize: number; command?: string }): Promise<string> {
  const charts = await Promise.all(
    entries.map(async (e) => ({
      svg: await lrFinderChart({
        lr: e.result.lrs, loss: e.result.losses, smoothed: e.result.smoothed, suggestion: e.result.suggestion ?? undefined,
        title: e.name, subtitle: describeRun(e.result), width: 440,
      }),
    })),
  );
  const sections: ReportSection[] = [
    {
      heading: "Suggested learning rates",
      text: [
        "Each optimizer trained a fresh model for one step per batch while the learning rate grew exponentially. The loss first " +
          "barely moves (the rate is too small), then falls, then explodes (too large). The suggestion is where the smoothed loss " +
          "falls fastest: a good starting rate, usually a little below the one with the lowest loss.",
      ],
      table: {
        columns: ["optimizer", "suggested lr", "lowest loss", "at lr", "steps", "ended"],
        rows: entries.map((e) => [
          e.name, e.result.suggestion === null ? "–" : formatLr(e.result.suggestion), e.result.minLoss, formatLr(e.result.minLossLr), e.result.lrs.length,
          e.result.stopped === "diverged" ? `diverged at ${formatLr(e.result.lrs[e.result.lrs.length - 1]!)}` : `reached ${formatLr(e.result.endLr)}`,
        ]),
      },
    },
    { heading: "Loss against learning rate", charts },
    {
      heading: "The optimizers",
      html: `${CARD_STYLE}<div class="lab-cards">${entries.map((e, i) => optimizerCard({
        name: e.name, color: seriesColor(i), settings: formatSettings(e.options),
        explanation: explainOptimizer({ kind: e.label, paramGroups: [e.options] }),
        results: escapeHtml(e.result.suggestion === null ? "no suggestion (too few points)" : `suggested lr ${formatLr(e.result.suggestion)}`),
      })).join("\n")}</div>`,
    },
    {
      heading: "Setup",
      text: [`Data: ${context.dataDescription}. Batch ${context.batchSize}. Smoothing: exponential moving average (weight 0.05, bias-corrected).`],
      html: preBlock(context.model) + (context.command ? preBlock(`$ ${context.command}`) : ""),
    },
  ];
  return renderReport({ title: "Learning-rate range test", subtitle: context.dataDescription, sections, footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC` });
}

function describeRun(r: LrFindResult): string {
  return `${formatLr(r.startLr)} → ${formatLr(r.lrs[r.lrs.length - 1]!)} in ${r.lrs.length} steps; lowest smoothed loss ${formatLoss(r.minLoss)}`;
}
