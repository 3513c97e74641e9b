// The HTML report of Newton against gradient descent, L-BFGS and Hessian-free: ‖∇f‖ and f − f* on log scales
// against iterations and against wall time, a table of cost and memory, and what the curves show.
import { lineChart } from "../../report/line-chart.js";
import { renderReport, type ReportSection } from "../../report/html.js";
import { formatLoss, formatSeconds } from "../format.js";
import type { NewtonComparison } from "../newton.js";
import { preBlock } from "./parts.js";

export async function newtonReport(result: NewtonComparison, context: { dataDescription: string; command?: string }): Promise<string> {
  const { runs, best } = result;
  const gap = (v: number) => Math.max(v - best, 1e-16);
  const charts = await Promise.all([
    lineChart({ series: runs.map((r) => ({ name: r.name, y: r.gradientNorms, x: r.gradientNorms.map((_, i) => i + 1) })), title: "‖∇f‖ per iteration", subtitle: "log–log: Newton's few iterations plunge (quadratic); gradient descent creeps (linear)", xLabel: "iteration + 1", yLabel: "‖∇f‖", logY: true, logX: true, width: 460, height: 280 }),
    lineChart({ series: runs.map((r) => ({ name: r.name, y: r.values.map(gap), x: r.seconds.map((s) => Math.max(s, 1e-4)) })), title: "f − f* against wall time", subtitle: "log–log: what an iteration costs matters as much as how many", xLabel: "seconds", yLabel: "f − f*", logY: true, logX: true, width: 460, height: 280 }),
  ]);
  const newton = runs.find((r) => r.method === "newton");
  const gd = runs.find((r) => r.method === "gradient-descent")!;
  const n = result.parameters;
  const sections: ReportSection[] = [
    {
      heading: "Quadratic against linear convergence",
      text: [
        `Every method minimized the same function from the same weights: the mean loss over all ${result.samples} training samples plus ` +
          `½·${result.l2}·‖θ‖² (which makes a single Linear layer strongly convex), in float64, until ‖∇f‖ ≤ ${result.tolerance}.`,
        newton
          ? `Newton's method divides the gradient by the exact curvature and took ${newton.values.length - 1} iterations; gradient descent, whose ` +
            `error shrinks by a constant factor per step (a straight line on the log scale), ${gd.converged ? `needed ${gd.values.length - 1}` : `had not converged after ${gd.values.length - 1}`}. ` +
            "Near the minimum Newton's error is squared at every step: the number of correct digits doubles, which is the curve that plunges at the end."
          : `Newton's method did not run: ${result.skipped}.`,
        "L-BFGS builds a curvature estimate from the last few gradient differences (superlinear: faster than linear, slower than " +
          "quadratic) at the price of a gradient per iteration. Hessian-free (truncated Newton) solves the Newton system approximately " +
          "by conjugate gradients, using only exact Hessian-vector products (R-operator), so it never stores H.",
        newton
          ? `Why nobody uses exact Newton on a network: this model has n = ${n} parameters, so the Hessian holds n² = ${n * n} float64 values ` +
            `(${formatBytes(8 * n * n)}) and each step factors it in about n³/3 = ${(n ** 3 / 3).toExponential(1)} operations. A network with 10⁶ weights ` +
            "would need 8 TB for H alone; L-BFGS and Hessian-free need a few vectors of n."
          : "",
        fastestLine(runs),
      ].filter(Boolean),
      charts,
      table: {
        columns: ["method", "converged", "iterations", "gradient evaluations", "H v products", "seconds", "final f", "memory beyond θ, ∇f"],
        rows: runs.map((r) => [r.name, r.converged ? "yes" : "no", r.values.length - 1, r.gradients.at(-1)!, r.hessianVectors.at(-1)!, formatSeconds(r.seconds.at(-1)!), formatLoss(r.values.at(-1)!), r.memoryFloats ? `${r.memoryFloats} floats (${formatBytes(8 * r.memoryFloats)})` : "–"]),
      },
    },
    {
      heading: "Setup",
      text: [
        `Data: ${context.dataDescription}. Gradient descent's step is 1/λmax of the Hessian at the start (power iteration), the largest safe ` +
          "fixed step. Newton, L-BFGS and Hessian-free use a backtracking (Armijo) line search. Newton's Hessian is assembled as one " +
          "weighted Gram matrix per pair of outputs and factored by Cholesky, in TypeScript float64.",
      ],
      html: preBlock(result.modelSummary) + (context.command ? preBlock(`$ ${context.command}`) : ""),
    },
  ];
  return renderReport({ title: "Newton's method: quadratic convergence, and its cost", subtitle: context.dataDescription, sections, footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC` });
}

/** Which run reached the tolerance first in wall time, and the others' times. */
function fastestLine(runs: NewtonComparison["runs"]): string {
  const done = runs.filter((r) => r.converged).sort((a, b) => a.seconds.at(-1)! - b.seconds.at(-1)!);
  if (!done.length) return "No method reached the tolerance.";
  return `By wall time ${done[0]!.name} reached the tolerance first (${formatSeconds(done[0]!.seconds.at(-1)!)})` +
    (done.length > 1 ? `, then ${done.slice(1).map((r) => `${r.name} (${formatSeconds(r.seconds.at(-1)!)})`).join(", ")}` : "") +
    ": few iterations do not make a fast method when each one assembles and factors a Hessian or runs many H v products.";
}

function formatBytes(bytes: number): string {
  return bytes >= 2 ** 20 ? `${(bytes / 2 ** 20).toFixed(1)} MiB` : `${(bytes / 1024).toFixed(1)} KiB`;
}
