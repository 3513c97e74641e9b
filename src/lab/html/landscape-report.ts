// The HTML report of optimizers on 2-D landscapes: a contour chart per function with every optimizer's path, the
// table of steps to tolerance (or where each diverged), and each optimizer's rule and explanation.
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { landscapeChart } from "../../report/landscape-chart.js";
import { seriesColor } from "../../report/palette.js";
import type { LandscapeResult, LandscapeRun } from "../landscape.js";
import { formatLoss } from "../format.js";
import { CARD_STYLE, formatSettings, optimizerCard, preBlock } from "./parts.js";

export interface LandscapeReportOptimizer {
  name: string;
  label: string;
  options: Record<string, unknown>;
}

/** 'converged in 123 steps', 'diverged at step 17', 'not converged (distance 0.53)'. */
export function describeLandscapeRun(run: LandscapeRun): string {
  if (run.status === "converged") return `${run.reachedAt}`;
  if (run.status === "diverged") return `diverged @ ${run.divergedAt}`;
  return Number.isFinite(run.final.distance) ? `– (${formatLoss(run.final.distance)} away)` : `– (f = ${formatLoss(run.final.value)})`;
}

export async function landscapeReport(
  results: readonly LandscapeResult[],
  optimizers: readonly LandscapeReportOptimizer[],
  context: { steps: number; command?: string },
): Promise<string> {
  // No figure captions: they would widen the figures and stack the charts one per row.
  // The markers are explained once in the text, so each subtitle is just the formula and two charts fit a row.
  const charts = await Promise.all(
    results.map((r) => landscapeChart({ landscape: r.landscape, runs: r.runs.map((run) => ({ name: run.name, path: run.path })), subtitle: `f = ${r.landscape.formula}`, width: 380 })),
  );
  const sections: ReportSection[] = [
    {
      heading: "Steps to a minimum",
      text: [
        `Each optimizer started from the landscape's starting point and took up to ${context.steps} steps with its real kernels on the exact gradient` +
          `${results[0] && results[0].noise > 0 ? ` plus Gaussian noise (σ = ${results[0].noise})` : ""}. ` +
          "A number is the step from which it stayed within the tolerance of a minimum; 'diverged @ n' means it left the plot's box " +
          "(or overflowed) at step n; '–' means it had not settled by the end (its final distance to the nearest minimum in brackets; " +
          "for the saddle, which has no minimum, the final f: about 0 means stuck on the saddle point, negative means it escaped). " +
          "One L-BFGS step runs up to 20 iterations with a line search, so its step counts are not comparable one for one.",
      ],
      table: {
        columns: ["optimizer", ...results.map((r) => `${r.landscape.title} (tol ${r.tolerance})`)],
        rows: optimizers.map((o, i) => [o.name, ...results.map((r) => describeLandscapeRun(r.runs[i]!))]),
      },
    },
    {
      heading: "Paths",
      text: ["○ start, ● end, ✚ minimum; the lines are contours of f.", ...results.map((r) => `${r.landscape.title}, from (${r.start.join(", ")}): ${summaryLine(r)}`)],
      charts,
    },
    {
      heading: "The optimizers",
      html: `${CARD_STYLE}<div class="lab-cards">${optimizers.map((o, i) => optimizerCard({
        name: o.name, color: seriesColor(i), settings: formatSettings(o.options),
        explanation: explainOptimizer({ kind: o.label, paramGroups: [o.options] }),
        results: escapeHtml(`converged on ${results.filter((r) => r.runs[i]!.status === "converged").length} of ${results.length} landscapes`),
      })).join("\n")}</div>`,
    },
    ...(context.command ? [{ heading: "Setup", html: preBlock(`$ ${context.command}`) }] : []),
  ];
  return renderReport({
    title: "Optimizers on 2-D landscapes",
    subtitle: results.map((r) => r.landscape.title).join(" · "),
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  });
}

function summaryLine(r: LandscapeResult): string {
  const converged = r.runs.filter((x) => x.status === "converged").sort((a, b) => a.reachedAt! - b.reachedAt!);
  const diverged = r.runs.filter((x) => x.status === "diverged").map((x) => x.name);
  const steps = (n: number) => `${n} step${n === 1 ? "" : "s"}`;
  const parts = [
    converged.length
      ? `reached by ${converged.map((x, i) => (i === 0 ? `${x.name} (${steps(x.reachedAt!)})` : `${x.name} (${x.reachedAt})`)).join(", ")}`
      : `no optimizer settled within ${r.tolerance} of ${r.landscape.minima.length ? "a minimum" : "anything: it has no minimum"}`,
  ];
  if (diverged.length) parts.push(`diverged: ${diverged.join(", ")}`);
  return `${parts.join("; ")}.`;
}
