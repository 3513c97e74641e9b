// The HTML report of constrained optimization on 2-D problems: per problem, the KKT point, the contour chart with
// the constraint and each method's path, the multiplier's estimate over the iterations against μ*, and a table.
import { landscapeChart } from "../../report/landscape-chart.js";
import { lineChart } from "../../report/line-chart.js";
import { renderReport, type ReportSection } from "../../report/html.js";
import type { ConstrainedResult, ConstrainedRun } from "../constrained.js";
import { formatLoss } from "../format.js";
import { preBlock } from "./parts.js";

export async function constrainedReport(results: readonly ConstrainedResult[], context: { command?: string } = {}): Promise<string> {
  const sections: ReportSection[] = [{ heading: "What is compared", text: INTRODUCTION }];
  for (const result of results) sections.push(await problemSection(result));
  if (context.command) sections.push({ heading: "Setup", html: preBlock(`$ ${context.command}`) });
  return renderReport({
    title: "Constrained optimization: projection, penalty, augmented Lagrangian",
    subtitle: results.map((r) => r.problem.title).join(" · "),
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC`,
  });
}

const INTRODUCTION = [
  "Each problem minimizes f(x, y) subject to one constraint c(x, y) = 0 or c(x, y) ≤ 0. At the solution the gradient of f is " +
    "balanced by the constraint's: ∇f + μ∇c = 0 (the KKT conditions), and the Lagrange multiplier μ says how much f would drop per " +
    "unit the constraint were relaxed. μ* below is computed by Newton's method on the KKT equations, to float64 precision.",
  "Projected gradient takes a gradient step and jumps back to the nearest feasible point: always feasible, but as slow as gradient " +
    "descent. Its multiplier is read off the last gradient: μ ≈ −∇f·∇c/‖∇c‖².",
  "The penalty method minimizes f + (ρ/2)·c² (for an inequality, only the violation counts) for growing ρ: the answer is always " +
    "slightly infeasible, by about μ/ρ, and ρ·c estimates μ. Large ρ makes the problem ill-conditioned.",
  "The augmented Lagrangian adds the multiplier's term: it minimizes f + m·c + (ρ/2)·c² and then updates m ← m + ρ·c. Once m equals " +
    "μ the exact solution minimizes it, so ρ can stay moderate (here fixed) and both the point and m converge.",
];

async function problemSection({ problem, kkt, runs }: ConstrainedResult): Promise<ReportSection> {
  const chartFn = { ...problem.objective, minima: [[kkt.x, kkt.y] as const] };
  const contour = await landscapeChart({
    landscape: chartFn, runs: runs.map((r) => ({ name: r.name, path: r.path })), curves: [problem.constraint.boundary],
    title: problem.title, subtitle: `f = ${problem.objective.formula},  ${problem.constraint.formula}  (dashed)    ✚ KKT point`, width: 360,
  });
  const longest = Math.max(...runs.map((r) => r.multipliers.length));
  const series = runs.map((r) => ({ name: r.name, y: r.multipliers, x: r.multipliers.map((_, i) => i + 1) }));
  const values = await lineChart({
    series: [...series, { name: "μ* (KKT)", x: [1, longest], y: [kkt.multiplier, kkt.multiplier], color: "#111" }],
    title: "The multiplier's estimate", subtitle: "per step (projected gradient) or outer iteration (the others)", xLabel: "iteration", yLabel: "μ", logX: true, width: 330, height: 240,
  });
  const errors = await lineChart({
    series: series.map((s) => ({ ...s, y: s.y.map((m) => Math.abs(m - kkt.multiplier)) })),
    title: "|μ − μ*|", subtitle: "log scales: a straight falling line is linear convergence", xLabel: "iteration", yLabel: "|μ − μ*|", logX: true, logY: true, width: 330, height: 240,
  });
  return {
    heading: problem.title,
    text: [
      `KKT solution: x* = (${fmt(kkt.x)}, ${fmt(kkt.y)}), μ* = ${fmt(kkt.multiplier)}, f(x*) = ${fmt(kkt.value)}; start (${problem.start.join(", ")}).` +
        (problem.constraint.kind === "inequality" ? " The unconstrained minimum lies outside the feasible set, so the constraint is active (μ* > 0)." : ""),
      ...runs.map((r) => describeRun(r, kkt.multiplier)),
    ],
    charts: [contour, values, errors],
    table: {
      columns: ["method", "iterations", "final point", "violation", "distance to x*", "μ", "|μ − μ*|"],
      rows: runs.map((r) => [
        r.name, r.rhos.length ? `${r.rhos.length} outer, ${r.path.length / 2 - 1} Newton steps` : `${r.multipliers.length} steps`,
        `(${fmt(r.final.x)}, ${fmt(r.final.y)})`, formatLoss(r.final.violation), formatLoss(r.final.distance), fmt(r.final.multiplier), formatLoss(Math.abs(r.final.multiplier - kkt.multiplier)),
      ]),
    },
  };
}

function describeRun(r: ConstrainedRun, mu: number): string {
  const error = formatLoss(Math.abs(r.final.multiplier - mu));
  if (r.method === "projected-gradient") return `Projected gradient ended ${formatLoss(r.final.distance)} from x*, feasible (violation ${formatLoss(r.final.violation)}), with μ off by ${error}.`;
  if (r.method === "penalty") return `The penalty method, with ρ up to ${formatLoss(r.rhos.at(-1)!)}, ended ${formatLoss(r.final.distance)} from x* and still infeasible by ${formatLoss(r.final.violation)} (about μ*/ρ); ρ·c is off μ* by ${error}.`;
  return `The augmented Lagrangian, with ρ = ${formatLoss(r.rhos[0]!)} throughout, ended ${formatLoss(r.final.distance)} from x*, infeasible by only ${formatLoss(r.final.violation)}, with m off μ* by ${error}.`;
}

function fmt(v: number): string {
  return String(Number(v.toPrecision(6)));
}
