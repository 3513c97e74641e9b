// The report of the vanishing-gradient experiment: per activation, the gradient norm of each layer at the first
// step and during the last epoch (layer on x, log norm on y, a line per initialization and BatchNorm), the training
// loss, a table of first-to-last ratios, and sentences computed from them.
import { renderReport, type ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import { formatLoss, formatPercent, formatSeconds, plural } from "../format.js";
import type { VanishingActivation, VanishingResult, VanishingRun } from "../gradients-vanishing.js";
import { smoothEma } from "../stats.js";
import { preBlock } from "./parts.js";

/** A first layer more than this many times smaller than the last: the gradient vanishes. */
export const VANISHING_RATIO = 1e-2;
const WIDTH = 190;

/** Orders of magnitude the gradient loses from the last layer to the first (negative: it grows). */
export function ordersLost(ratio: number): number {
  return -Math.log10(ratio);
}

function oom(ratio: number): string {
  return `${ordersLost(ratio).toFixed(1)} orders of magnitude`;
}

/** The legend's name of a run among those of its activation ('Xavier + BN'). */
function variant(r: VanishingRun): string {
  return `${r.init}${r.batchNorm ? " + BN" : ""}`;
}

/** 'a; b and c' (names hold commas, so they are separated by semicolons), or 'a, b and c'. */
function list(items: readonly string[], separator = "; "): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(separator)} and ${items[items.length - 1]}`;
}

/** Did the run learn: its last epoch's training loss below 80 % of its first step's. */
function learned(r: VanishingRun): boolean {
  return r.finalLoss < 0.8 * r.history.stepLosses[0]!;
}

/** What the measurement shows, in sentences. */
export function describeVanishing(result: VanishingResult): string[] {
  const { runs } = result;
  const out: string[] = [];
  const vanished = runs.filter((r) => r.ratioAtStart < VANISHING_RATIO);
  if (vanished.length) {
    const worst = [...vanished].sort((a, b) => a.ratioAtStart - b.ratioAtStart);
    out.push(
      `At the first step the gradient vanished (the first layer's more than ${1 / VANISHING_RATIO} × smaller than the last layer's) in ${vanished.length} of ${runs.length} configurations: ` +
        `${list(worst.map((r) => `${r.name} (${oom(r.ratioAtStart)})`))}.`,
    );
    const w = worst[0]!;
    out.push(
      `In the worst, ${w.name}, one SGD step moves the first layer's weights about 10^${ordersLost(w.ratioAtStart).toFixed(0)} times less than the last layer's: ` +
        `the layers next to the input hardly learn.`,
    );
  } else {
    out.push(`The gradient vanished in none of the ${runs.length} configurations at the first step.`);
  }
  for (const activation of new Set(runs.map((r) => r.activation))) {
    const plain = runs.find((r) => r.activation === activation && r.init === "default" && !r.batchNorm);
    const scaled = runs.find((r) => r.activation === activation && r.init !== "default" && !r.batchNorm);
    if (!plain || !scaled) continue;
    const gained = ordersLost(plain.ratioAtStart) - ordersLost(scaled.ratioAtStart);
    const still = scaled.ratioAtStart < VANISHING_RATIO;
    out.push(
      `${scaled.init} initialization with ${activationName(activation)} ${gained >= 0 ? "recovered" : "lost"} ${Math.abs(gained).toFixed(1)} orders of magnitude over the default` +
        (still
          ? `, but the gradient still vanishes (${oom(scaled.ratioAtStart)})${activation === "sigmoid" ? ": the sigmoid's slope is at most 1/4, so every layer shrinks the gradient whatever the weights' scale" : ""}.`
          : ` and keeps the first layer's gradient within ${Math.abs(ordersLost(scaled.ratioAtStart)).toFixed(1)} orders of magnitude of the last's.`),
    );
  }
  const normed = runs.filter((r) => r.batchNorm);
  if (normed.length) {
    const spread = Math.max(...normed.map((r) => Math.abs(ordersLost(r.ratioAtStart))));
    const fixedByBn = normed.filter((r) => {
      const without = runs.find((o) => !o.batchNorm && o.activation === r.activation && o.init === r.init);
      return without !== undefined && without.ratioAtStart < VANISHING_RATIO && r.ratioAtStart >= VANISHING_RATIO;
    });
    out.push(
      `With BatchNorm before each activation, the first layer's gradient stayed within ${spread.toFixed(1)} orders of magnitude of the last layer's in every configuration` +
        (fixedByBn.length ? `; it removed the vanishing of ${list(fixedByBn.map((r) => `${activationName(r.activation)} with ${r.init} init`), ", ")}` : "") +
        ": it rescales each layer's inputs to the activation to mean 0 and variance 1, where the slope is large.",
    );
  }
  const stalled = runs.filter((r) => !learned(r));
  if (stalled.length) {
    out.push(
      `After ${plural(result.epochs, "epoch")}, ${stalled.length === 1 ? "one configuration has" : `${stalled.length} configurations have`} not learned (training loss above 80 % of where it started): ` +
        `${list(stalled.map((r) => `${r.name} (loss ${formatLoss(r.finalLoss)})`))}` +
        `${stalled.every((r) => r.ratioAtStart < VANISHING_RATIO) ? ", all of them among those whose gradient vanished" : ""}.`,
    );
  } else {
    out.push(`After ${plural(result.epochs, "epoch")} every configuration had learned something (training loss below 80 % of where it started).`);
  }
  const best = [...runs].sort((a, b) => a.finalLoss - b.finalLoss)[0];
  if (best) out.push(`Lowest final training loss: ${best.name} (${formatLoss(best.finalLoss)}${Number.isNaN(best.finalTestAccuracy) ? "" : `, test accuracy ${formatPercent(best.finalTestAccuracy)}`}).`);
  return out;
}

function activationName(a: VanishingActivation): string {
  return a === "relu" ? "ReLU" : a;
}

export async function vanishingReport(result: VanishingResult, options: { command?: string; dataDescription?: string } = {}): Promise<string> {
  const { runs, depth } = result;
  const activations = [...new Set(runs.map((r) => r.activation))];
  const layers = Array.from({ length: depth }, (_, l) => l + 1);
  const depthChart = (activation: VanishingActivation, pick: (r: VanishingRun) => Float64Array, when: string) =>
    lineChart({
      series: runs.filter((r) => r.activation === activation).map((r) => ({ name: variant(r), x: layers, y: pick(r) })),
      title: activationName(activation), subtitle: when, xLabel: "layer (1 = next to the input)", yLabel: "gradient norm ‖∂L/∂W‖", logY: true, width: WIDTH, height: 240, legendBelow: true,
    });
  const window = Math.min(20, Math.ceil(result.stepsPerEpoch / 2));
  const startCharts = [], trainingCharts = [], lossCharts = [];
  for (const a of activations) {
    startCharts.push(await depthChart(a, (r) => r.atStart, "first step"));
    trainingCharts.push(await depthChart(a, (r) => r.duringTraining, "last epoch"));
    lossCharts.push(await lineChart({
      series: runs.filter((r) => r.activation === a).map((r) => ({ name: variant(r), y: smoothEma(r.history.stepLosses, 2 / (window + 1)) })),
      title: activationName(a), subtitle: "smoothed", xLabel: "step", yLabel: "loss", logY: true, width: WIDTH, height: 240, legendBelow: true,
    }));
  }
  const sections: ReportSection[] = [
    { heading: "What happened", text: describeVanishing(result), table: resultTable(result) },
    {
      heading: "Gradient norm by layer, at the first step",
      text: [
        "Each line is one configuration: the L2 norm of the gradient of each Linear layer's weight matrix, from the first layer (next to the input) to the last (the output layer). " +
          "A line falling to the left is a vanishing gradient: the error signal shrinks at every layer on its way back from the loss to the input.",
        "The vertical axis is logarithmic. 'default' is PyTorch's initialization, Xavier and Kaiming the ones derived for the activation; '+ BN' adds BatchNorm before each activation.",
      ],
      charts: startCharts,
    },
    {
      heading: "During training",
      text: "The same per-layer norms, as the geometric mean over the last epoch's steps (log scale): did training repair the imbalance, or keep it?",
      charts: trainingCharts,
    },
    {
      heading: "Training loss",
      text: [
        "The training loss per step, smoothed over about half an epoch, on a log scale.",
        `Plain SGD with momentum 0.9 at lr ${result.lr}: its steps are as large as the gradient, so a layer whose gradient vanished does not move (Adam would rescale each weight's step and hide part of the effect).`,
      ],
      charts: lossCharts,
    },
    {
      heading: "Why",
      text: [
        "Backpropagation multiplies the error by each layer's weights and by the slope of its activation: δ₍ₗ₋₁₎ = (Wₗᵀ δₗ) ⊙ f′(zₗ₋₁). Over many layers these factors compound: a factor below one at every layer shrinks the gradient geometrically.",
        "The sigmoid's slope is at most 1/4 (at 0), so every sigmoid layer divides the gradient by four or more. tanh's slope is 1 at 0, ReLU's is 1 where it is active.",
        "PyTorch's default initialization draws W from U(±1/√fan_in): a standard deviation of 1/√(3·fan_in), which shrinks the signal by about √3 per layer. " +
          "Xavier (Glorot) initialization scales the weights to keep the variance of the signal the same forward and backward for tanh-like activations; Kaiming (He) does so for ReLU, which zeroes half of its inputs (hence a factor 2 in the variance).",
        "BatchNorm normalizes each unit's input over the batch, so the activations stay where their slope is large and the scale of earlier weights no longer compounds.",
      ],
    },
    {
      heading: "Setup",
      text: [
        `Data: ${options.dataDescription ?? result.data.train}, ${result.data.trainSamples} training samples${result.data.test ? ` (test accuracy on ${result.data.test})` : ""}.`,
        `Each model: ${depth} Linear layers (${depth - 1} hidden layers of ${result.width} units, each followed by the activation, with BatchNorm1d before it where named), built from seed ${result.seed}; ` +
          `${plural(result.epochs, "epoch")} of ${plural(result.stepsPerEpoch, "step")} (batch ${result.batchSize}), the same batches in the same order for every configuration; kernels: ${result.backend}; total time ${formatSeconds(result.seconds)}.`,
      ],
      html: preBlock(
        "default init:  W, b ~ U(−1/√fan_in, 1/√fan_in)                       (PyTorch's Linear)\n" +
          "Xavier:        W ~ N(0, gain² · 2 / (fan_in + fan_out)), b = 0       gain 1 for sigmoid, 5/3 for tanh\n" +
          "Kaiming:       W ~ N(0, 2 / fan_in), b = 0                           for ReLU\n" +
          "ratio:         ‖∂L/∂W_1‖ / ‖∂L/∂W_last‖;  orders of magnitude lost = −log10(ratio)",
      ) + (options.command ? preBlock(`$ ${options.command}`) : ""),
    },
  ];
  return renderReport({
    title: "Vanishing gradients in a deep MLP",
    subtitle: `${depth} layers; sigmoid, tanh and ReLU; default and scaled initialization; with and without BatchNorm`,
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · vanishing.json next to this file holds every number`,
  });
}

function resultTable(result: VanishingResult) {
  return {
    columns: ["configuration", "first ÷ last (first step)", "orders lost", "first ÷ last (last epoch)", "train loss", "test acc", "verdict"],
    rows: result.runs.map((r) => [
      r.name, r.ratioAtStart, ordersLost(r.ratioAtStart).toFixed(1), r.ratioDuringTraining, r.finalLoss, formatPercent(r.finalTestAccuracy),
      r.ratioAtStart < VANISHING_RATIO ? "vanishes" : r.ratioAtStart > 1 / VANISHING_RATIO ? "grows to the input" : "healthy",
    ]),
    caption: "Ratio of the first layer's weight-gradient norm to the last layer's; orders of magnitude lost = −log10(ratio) (negative: the first layer's gradient is the larger)",
  };
}
