// The report of the exploding-gradient experiment: the loss, the global gradient norm before clipping and the size
// of each update, per step, one line per run; a table; sentences computed from the runs.
import { renderReport, type ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import { formatLoss, formatSeconds, plural } from "../format.js";
import type { ExplodingResult, ExplodingRun } from "../gradients-exploding.js";
import { preBlock } from "./parts.js";
import { describeDivergence } from "../../train/divergence.js";

/** Always answering 1 on the adding problem gives this mean squared error (data/sequences.ts). */
const ADDING_BASELINE = 1 / 6;
const WIDTH = 440;

function orders(a: number, b: number): string {
  return Math.log10(a / b).toFixed(1);
}

function outcome(r: ExplodingRun): string {
  if (r.diverged) return `diverged at step ${r.history.divergence?.step ?? "?"}`;
  return r.finalTestLoss < ADDING_BASELINE ? "learned beyond the mean" : "no better than answering the mean";
}

function clipBound(r: ExplodingRun, result: ExplodingResult): number {
  if (r.clip.kind === "norm") return result.lr * r.clip.maxNorm;
  if (r.clip.kind === "value") return result.lr * r.clip.clipValue * Math.sqrt(result.parameters);
  return Infinity;
}

export function describeExploding(result: ExplodingResult): string[] {
  const { runs } = result;
  const out: string[] = [];
  const reference = runs.find((r) => r.scale === null);
  const large = runs.filter((r) => r.scale !== null);
  const plain = large.find((r) => r.clip.kind === "none");
  if (reference && plain) {
    out.push(
      `With PyTorch's default recurrent weights the global gradient norm stayed below ${formatLoss(reference.maxGradientNorm)}; with the recurrent weights at scale ${plain.scale} it reached ` +
        `${formatLoss(plain.maxGradientNorm)}, ${orders(plain.maxGradientNorm, reference.maxGradientNorm)} orders of magnitude more: the gradient exploded over the ${result.length} steps of backpropagation through time.`,
    );
    out.push(
      plain.diverged
        ? `Without clipping, one step moved the weights by up to ${formatLoss(plain.maxUpdateNorm)} and the run diverged` +
            `${plain.history.divergence ? `: ${describeDivergence(plain.history.divergence)}; it stopped there` : ""}.`
        : `Without clipping, one step moved the weights by up to ${formatLoss(plain.maxUpdateNorm)} (default scale: ${formatLoss(reference.maxUpdateNorm)}); the final test loss was ${formatLoss(plain.finalTestLoss)}.`,
    );
  }
  for (const r of large.filter((r) => r.clip.kind !== "none")) {
    const bound = clipBound(r, result);
    const held = r.maxUpdateNorm <= bound * (1 + 1e-5);
    out.push(
      `${r.clip.kind === "norm" ? "clipGradNorm" : "clipGradValue"} changed ${r.clippedSteps} of ${r.history.steps} steps; the largest update was ${formatLoss(r.maxUpdateNorm)}` +
        (held ? `, within its bound of ${formatLoss(bound)}` : `, above the bound ${formatLoss(bound)}`) +
        `; final test loss ${formatLoss(r.finalTestLoss)} (${outcome(r)}).`,
    );
  }
  const byNorm = large.find((r) => r.clip.kind === "norm");
  const byValue = large.find((r) => r.clip.kind === "value");
  if (byNorm && byValue && !byNorm.diverged && !byValue.diverged) {
    const better = byValue.finalTestLoss < byNorm.finalTestLoss ? byValue : byNorm;
    out.push(
      `Here ${better === byValue ? "clipping by value" : "clipping by norm"} trained better (test loss ${formatLoss(better.finalTestLoss)} against ${formatLoss((better === byValue ? byNorm : byValue).finalTestLoss)}).` +
        (better === byValue && byNorm.recurrentShare > 0.99
          ? ` Clipping by norm keeps the direction of the exploded gradient, and ${byNorm.recurrentShare > 0.9999 ? "more than 99.99" : (100 * byNorm.recurrentShare).toFixed(2)} % of its squared norm (median over the steps) is in the recurrent layer: the output layer hardly moves. Clipping by value caps each element, so every weight still gets a step.`
          : ""),
    );
  }
  out.push(`A tanh RNN does not solve the adding problem at this length anyway (answering the mean gives ${formatLoss(ADDING_BASELINE)}); the point here is whether training survives the explosion.`);
  return out;
}

export async function explodingReport(result: ExplodingResult, options: { command?: string } = {}): Promise<string> {
  const { runs } = result;
  const charts = [
    await lineChart({ series: runs.map((r) => ({ name: r.name, y: r.history.stepLosses })), title: "Training loss per step", subtitle: "log scale", yLabel: "MSE", logY: true, width: WIDTH }),
    await lineChart({ series: runs.map((r) => ({ name: r.name, y: r.gradientNorms })), title: "Global gradient norm per step", subtitle: "before clipping; log scale", yLabel: "‖g‖", logY: true, width: WIDTH }),
    await lineChart({ series: runs.map((r) => ({ name: r.name, y: r.updateNorms })), title: "Size of each update", subtitle: "‖θ after − θ before‖; log scale", yLabel: "‖Δθ‖", logY: true, width: WIDTH }),
  ];
  const sections: ReportSection[] = [
    {
      heading: "What happened",
      text: describeExploding(result),
      table: {
        columns: ["run", "largest ‖g‖", "steps clipped", "largest update", "train loss", "test loss", "outcome"],
        rows: runs.map((r) => [r.name, r.maxGradientNorm, `${r.clippedSteps} of ${r.history.steps}`, r.maxUpdateNorm, r.finalLoss, r.finalTestLoss, outcome(r)]),
        caption: "‖g‖: the global gradient norm before clipping; update: ‖θ_t − θ_{t−1}‖; losses: mean squared error after the last epoch",
      },
    },
    {
      heading: "Per step",
      text: [
        "From the top: the loss; the gradient's global norm as backpropagation produced it, before any clipping; how far each step moved the weights. A run that diverged stops at the step where it did; non-finite values are left out.",
        "Plain SGD moves the weights by lr × the (clipped) gradient, so clipping the norm to c bounds every update by lr × c, whatever the gradient did.",
      ],
      charts,
    },
    {
      heading: "Why",
      text: [
        "Backpropagation through time multiplies the gradient by the recurrent matrix Wₕₕᵀ (and by tanh′ ≤ 1) once per step. A random H × H matrix with entries of standard deviation s/√H has a spectral radius of about s, so over T steps the gradient can grow like s^T: at s > 1 it explodes.",
        "One such gradient step throws the weights far away; the next forward pass saturates every unit or overflows, and training is lost. Clipping rescales (clipGradNorm) or clamps (clipGradValue) the gradient before the step, so a step can never be larger than the bound, and training survives the rare huge gradient.",
      ],
    },
    {
      heading: "Setup",
      text: [
        `The adding problem: ${result.trainSamples} training and ${result.testSamples} test sequences of ${result.length} steps; the target is the sum of the two marked values.`,
        `The model: RNN(2 → ${result.hidden}, tanh), its last hidden state into Linear(${result.hidden} → 1); ${result.parameters} parameters. Plain SGD at lr ${result.lr}, batch ${result.batchSize}, ` +
          `${plural(result.epochs, "epoch")} of ${plural(result.stepsPerEpoch, "step")}, seed ${result.seed}, the same batches for every run; kernels: ${result.backend}; total time ${formatSeconds(result.seconds)}.`,
      ],
      html: preBlock(
        "default scale:  W_hh ~ U(−1/√H, 1/√H)           (PyTorch's RNN)\n" +
          "scale s:        W_hh ~ N(0, s² / H)              spectral radius ≈ s\n" +
          "clipGradNorm c: g ← g · min(1, c / ‖g‖)          update ≤ lr · c\n" +
          "clipGradValue v: g_i ← clamp(g_i, −v, v)         update ≤ lr · v · √(parameters)",
      ) + (options.command ? preBlock(`$ ${options.command}`) : ""),
    },
  ];
  return renderReport({
    title: "Exploding gradients in a recurrent network",
    subtitle: `a tanh RNN on the adding problem (T = ${result.length}), recurrent weights at a large scale, with and without clipping`,
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · exploding.json next to this file holds every number`,
  });
}
