// The HTML report of the regularization experiment: a table of accuracy, exact zeros and norms per penalty, the
// weight histograms side by side, and what each penalty does to the update and to the weights.
import { histogramChart } from "../../report/histogram-chart.js";
import { renderReport, type ReportSection } from "../../report/html.js";
import { seriesColor } from "../../report/palette.js";
import { formatLoss, formatPercent } from "../format.js";
import type { RegularizationResult, RegularizationRun } from "../regularization.js";
import { preBlock } from "./parts.js";

export async function regularizationReport(result: RegularizationResult, context: { dataDescription: string; command?: string }): Promise<string> {
  const { runs, edges, settings } = result;
  const width = edges[1]! - edges[0]!;
  // Exact zeros get their own dark bar left of the axis' first bin, one bin-width apart.
  const bars = (r: RegularizationRun) => [
    { x0: edges[0]! - 2 * width, x1: edges[0]! - width, count: Math.round(r.zeros * r.weights), dark: true },
    ...r.histogram.map((count, i) => ({ x0: edges[i]!, x1: edges[i + 1]!, count })),
  ];
  const maxCount = Math.max(...runs.flatMap((r) => bars(r).map((b) => b.count)));
  const charts = await Promise.all(runs.map((r, i) => histogramChart({
    bars: bars(r), maxCount, color: seriesColor(i), xLabel: "log₁₀ |w|   (dark bar: w exactly 0)", title: r.name,
    subtitle: `${formatPercent(r.zeros)} exactly 0 · ${formatPercent(r.nearZero)} below 1e-3`,
  })));
  const by = (name: string) => runs.find((r) => r.name === name)!;
  const sections: ReportSection[] = [
    {
      heading: "What each penalty did to the weights",
      text: [
        `Each run trained the same model from the same initial weights and batch order for ${settings.epochs} epochs. ` +
          "'Exactly 0' counts weights (not biases) whose value is 0.0; 'below 1e-3' those smaller than 0.001 in magnitude.",
        ...findings(runs),
      ],
      table: {
        columns: ["run", "rule", "test accuracy", "exactly 0", "|w| < 1e-3", "‖w‖₁", "‖w‖₂", "train loss"],
        rows: runs.map((r) => [r.name, r.rule, r.testAccuracy === null ? "–" : formatPercent(r.testAccuracy), formatPercent(r.zeros), formatPercent(r.nearZero), formatLoss(r.l1Norm), formatLoss(r.l2Norm), formatLoss(r.trainLoss)]),
      },
    },
    {
      heading: "Weight histograms",
      text: [
        "How many weights have each magnitude, on a log scale: −1 is |w| = 0.1, −3 is |w| = 0.001 (the first bin also holds the " +
          "few smaller non-zero weights). The dark bar at the far left counts the weights that are exactly 0, which no log scale " +
          "can place. The count axis is symmetric-log, so that a spike and thin tails show together; all charts share both axes. " +
          "Look for the difference between a pile of tiny weights (L1 by gradient: a bump at −4 to −6) and real zeros (proximal L1: the dark bar).",
      ],
      charts,
    },
    {
      heading: "Why: the penalty's gradient against its proximal step",
      text: [
        "L2 (ridge, weightDecay in SGD) adds λ₂θ to the gradient: every weight shrinks by the factor (1 − γλ₂) per step, large ones " +
          "most in absolute terms, but a weight only approaches 0 and never lands on it. The histogram narrows; it keeps its shape.",
        "L1 (lasso) adds λ₁·sign(θ): a constant pull of size λ₁ towards 0, the same for small and large weights, so small weights " +
          "are pulled to 0 while large ones pay little. But a gradient step cannot stop at 0: a weight of 0.0002 with γλ₁ = 0.0003 " +
          "jumps to −0.0001, and back, so the 'L1' run piles weights up near 0 (the |w| < 1e-3 column) with hardly any exactly 0.",
        "Proximal L1 (ProximalSGD) takes the gradient step of the loss alone, then applies the proximal operator of γλ₁‖θ‖₁, the " +
          "soft-threshold sign(z)·max(|z| − γλ₁, 0): every weight within γλ₁ of 0 is set to exactly 0. It minimizes the same " +
          "objective as the L1 run, but its zeros are real, which is what makes L1 a way to prune a model.",
        "Elastic net mixes both (α·r of L1 and α·(1 − r) of L2, scikit-learn's alpha and l1_ratio): the L2 part keeps correlated " +
          "weights together, the L1 part still pulls the useless ones towards 0.",
        adamParagraph(by("Adam + L2"), by("AdamW"), settings.weightDecay, settings.adamLr),
      ],
    },
    {
      heading: "Setup",
      text: [`Data: ${context.dataDescription}. Batch ${settings.batchSize}, seed ${settings.seed}; SGD lr ${settings.lr}, Adam/AdamW lr ${settings.adamLr}.`],
      html: preBlock(result.modelSummary) + (context.command ? preBlock(`$ ${context.command}`) : ""),
    },
  ];
  return renderReport({ title: "Regularization: L1, L2, elastic net, proximal L1, Adam vs AdamW", subtitle: context.dataDescription, sections, footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC` });
}

/** Sentences read off the numbers. */
function findings(runs: readonly RegularizationRun[]): string[] {
  const sparsest = [...runs].sort((a, b) => b.zeros - a.zeros)[0]!;
  const best = [...runs].filter((r) => r.testAccuracy !== null).sort((a, b) => b.testAccuracy! - a.testAccuracy!)[0];
  const out = [
    sparsest.zeros > 0
      ? `${sparsest.name} left ${formatPercent(sparsest.zeros)} of the weights exactly 0; ` +
        `${runs.filter((r) => r !== sparsest).map((r) => `${r.name} ${formatPercent(r.zeros)}`).join(", ")}.`
      : "No run left any weight exactly 0.",
  ];
  if (best) out.push(`The best test accuracy was ${best.name}'s (${formatPercent(best.testAccuracy!)}).`);
  return out;
}

function adamParagraph(coupled: RegularizationRun, decoupled: RegularizationRun, weightDecay: number, lr: number): string {
  return `Adam + weightDecay is coupled L2: λθ is added to the gradient before Adam divides by √v, so a weight with large, noisy ` +
    `gradients is barely regularized and one with tiny gradients is pushed hard (where the penalty dominates, the step is about γ whatever λ is). ` +
    `AdamW (Loshchilov & Hutter) decouples it: θ ← θ − γλθ beside the Adam step, the same relative shrink (here ${lr}·${weightDecay} = ` +
    `${Number((lr * weightDecay).toPrecision(3))} per step) for every weight. The same number λ = ${weightDecay} therefore means very ` +
    `different things: ‖w‖₂ ended at ${formatLoss(coupled.l2Norm)} with Adam + L2 and ${formatLoss(decoupled.l2Norm)} with AdamW; ` +
    `test accuracy ${coupled.testAccuracy === null ? "–" : formatPercent(coupled.testAccuracy)} and ${decoupled.testAccuracy === null ? "–" : formatPercent(decoupled.testAccuracy)}.`;
}
