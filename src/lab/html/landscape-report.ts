// The HTML report of optimizers on 2-D landscapes: a contour chart per function with every optimizer's path, the
// table of steps to tolerance (or where each diverged), and each optimizer's rule and explanation.
import { explainOptimizer } from "../../report/explain.js";
import { escapeHtml, renderReport, type ReportSection } from "../../report/html.js";
import { landscapeChart } from "../../report/landscape-chart.js";
import { seriesColor } from "../../report/palette.js";
import type { LandscapeResult, LandscapeRun } from "../landscape.js";
import { curvatureAt, curvatureSentence, type Curvature } from "../landscape-curvature.js";
import type { Landscape } from "../landscapes.js";
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
    curvatureSection(results),
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

/** The Hessian's eigenvalues at the start and at the minimum nearest it (the saddle point where there is none). */
function curvatureSection(results: readonly LandscapeResult[]): ReportSection {
  const rows: string[][] = [];
  const text: string[] = [];
  for (const r of results) {
    const fn = r.landscape;
    const target = nearest(fn.minima.length ? fn.minima : fn.saddles ?? [], r.start);
    const points: [string, Curvature][] = [["start", curvatureAt(fn, r.start[0], r.start[1])]];
    if (target) points.push([fn.minima.length ? "minimum" : "saddle point", curvatureAt(fn, target[0], target[1])]);
    for (const [where, c] of points) {
      rows.push([fn.title, `${where} (${formatPoint(c.x)}, ${formatPoint(c.y)})`, formatLoss(c.eigenvalues[0]), formatLoss(c.eigenvalues[1]), c.condition === null ? "–" : formatLoss(c.condition), c.shape]);
    }
    text.push(`${fn.title}: at the start, ${lowerFirst(curvatureSentence(points[0]![1]))}` + (points[1] ? ` At the ${points[1][0]}, ${lowerFirst(curvatureSentence(points[1][1]))}` : ""));
  }
  return {
    heading: "Curvature: the Hessian's eigenvalues",
    text: [
      "The Hessian H is the matrix of second derivatives; its eigenvalues λ₁ ≤ λ₂ are the curvatures along its two eigenvectors. " +
        "Their ratio κ = λ₂/λ₁ (the condition number) is how much steeper the steepest direction is than the flattest: gradient descent " +
        "must keep its learning rate below 2/λ₂ and then crawls along the flat direction, while Newton's method, which divides the gradient " +
        "by the curvature (θ ← θ − H⁻¹g), takes the same stride in every direction and converges quadratically near a minimum. " +
        "Newton only knows stationary points, not minima: where an eigenvalue is negative it steps uphill along that direction.",
      ...text,
    ],
    table: { columns: ["landscape", "point", "λ₁", "λ₂", "κ = λ₂/λ₁", "shape"], rows },
  };
}

function nearest(points: Landscape["minima"], from: readonly [number, number]): readonly [number, number] | undefined {
  let best: readonly [number, number] | undefined;
  for (const p of points) if (!best || Math.hypot(p[0] - from[0], p[1] - from[1]) < Math.hypot(best[0] - from[0], best[1] - from[1])) best = p;
  return best;
}

function formatPoint(v: number): string {
  return String(Number(v.toPrecision(4)));
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
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
