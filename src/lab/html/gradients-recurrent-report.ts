// The report of the recurrent-optimizers experiment: the two claims judged from the results, then per task the
// lab's usual comparison summary (compare-summary.ts) and loss curves without and with clipping.
import { renderReport, type ReportSection } from "../../report/html.js";
import { lineChart } from "../../report/line-chart.js";
import type { CompareResult } from "../compare.js";
import { formatSeconds, plural } from "../format.js";
import type { RecurrentOptimizersResult } from "../gradients-recurrent.js";
import { describeComparison, summaryTable } from "./compare-summary.js";
import { preBlock } from "./parts.js";

const WIDTH = 440;

/** The claims in sentences: each task's verdict and the numbers behind it. */
export function describeClaims(result: RecurrentOptimizersResult): string[] {
  return result.claims.map((c) => {
    const yes = c.verdicts.filter((v) => v.supported).length;
    const overall = yes === c.verdicts.length ? "Supported here" : yes === 0 ? "Not supported here" : `Supported on ${yes} of ${c.verdicts.length} tasks`;
    return `"${c.claim[0]!.toUpperCase()}${c.claim.slice(1)}": ${overall.toLowerCase()}. ${c.verdicts.map((v) => `${v.task}: ${v.supported ? "yes" : "no"}, ${v.because}.`).join(" ")}`;
  });
}

async function curves(result: CompareResult, what: string): Promise<string> {
  return lineChart({
    series: result.runs.map((r) => ({ name: r.name, y: r.smoothedLosses })),
    title: `Training loss, ${what}`, subtitle: "smoothed; log scale", xLabel: "step", yLabel: "MSE", logY: true, width: WIDTH,
  });
}

export async function recurrentOptimizersReport(result: RecurrentOptimizersResult, options: { command?: string } = {}): Promise<string> {
  const first = result.tasks[0]!.withoutClipping;
  const sections: ReportSection[] = [
    {
      heading: "The claims, measured",
      text: [
        ...describeClaims(result),
        "A verdict needs a margin of 5 % in the final test loss; a diverged run counts as infinitely bad. On the adding problem, always answering the mean gives a mean squared error of 0.167: a loss well below it means the network learned to remember the two marked values.",
      ],
    },
  ];
  for (const task of result.tasks) {
    sections.push({
      heading: task.name,
      text: ["Without clipping:", ...describeComparison(task.withoutClipping), `With clipGradNorm ${result.clip}:`, ...describeComparison(task.withClipping)],
      charts: [await curves(task.withoutClipping, "without clipping"), await curves(task.withClipping, `clipGradNorm ${result.clip}`)],
    });
    sections.push({ heading: `${task.name}: without clipping`, table: summaryTable(task.withoutClipping) });
    sections.push({ heading: `${task.name}: with clipGradNorm ${result.clip}`, table: summaryTable(task.withClipping) });
  }
  sections.push({
    heading: "Setup",
    text: [
      `Each task: ${result.samples} training sequences of the adding problem and a quarter as many for the test; the model is the recurrent layer (${result.hidden} units) with its last hidden state into Linear(${result.hidden} → 1), trained with mean squared error.`,
      `${plural(first.epochs, "epoch")} of ${plural(first.stepsPerEpoch, "step")} (batch ${first.batchSize}) per run; within a task every optimizer starts from the same weights and sees the same batches; kernels: ${first.backend}; total time ${formatSeconds(result.seconds)}.`,
    ],
    html: result.tasks.map((t) => preBlock(`${t.name}\n${t.withoutClipping.model}`)).join("") + (options.command ? preBlock(`$ ${options.command}`) : ""),
  });
  return renderReport({
    title: "Optimizers on recurrent networks",
    subtitle: `${result.tasks.map((t) => t.name).join(" and ")}; ${first.runs.map((r) => r.name).join(", ")}; without and with gradient clipping`,
    sections,
    footer: `wasm-optim · ${new Date().toISOString().slice(0, 16).replace("T", " ")} UTC · recurrent.json next to this file holds every number`,
  });
}
