// wasm-optim regularization: one model trained with no penalty, L1, L2, elastic net, proximal L1, Adam +
// weightDecay and AdamW; a table of test accuracy, exact zeros and norms, and a report with the weight histograms.
import { Command } from "commander";
import { formatLoss, formatPercent } from "../lab/format.js";
import { regularizationReport } from "../lab/html/regularization-report.js";
import { runRegularization } from "../lab/regularization.js";
import { commandLine } from "./compare.js";
import { loadData } from "./data.js";
import { addDataOptions, addModelOption, engineFor, finishRunCommand, nonNegativeNumber, parseBatch, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { addPenaltyOptions, type PenaltyFlags } from "./penalty.js";
import { textTable } from "./table.js";
import { UsageError } from "./usage.js";
import type { ModelSpec } from "../lab/spec-models.js";

interface RegularizationFlags extends PenaltyFlags {
  data: string;
  dataDir?: string;
  subset?: number;
  model: ModelSpec;
  batch: number | "full";
  epochs: number;
  seed: number;
  lr: number;
  adamLr: number;
  l2: number;
  weightDecay: number;
  backend: "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
  threads: number | "auto";
  out: string;
  name?: string;
}

export function regularizationCommand(): Command {
  const cmd = new Command("regularization").description("what L1, L2, elastic net, proximal L1 and Adam's coupled vs AdamW's decoupled weight decay do to the weights: exact zeros, histograms, test accuracy");
  addDataOptions(cmd);
  addModelOption(cmd, "mlp:128");
  cmd
    .option("--batch <n|full>", "samples per step", parseBatch, 32)
    .option("--epochs <n>", "epochs per run", positiveInteger("--epochs"), 20)
    .option("--seed <n>", "seed of the initial weights and of the batch order", seedFlag("--seed"), 0)
    .option("--lr <γ>", "SGD's learning rate (the first five runs)", positiveNumber("--lr"), 0.1)
    .option("--adam-lr <γ>", "Adam's and AdamW's learning rate", positiveNumber("--adam-lr"), 1e-3)
    .option("--l2 <λ>", "the L2 run's weightDecay", nonNegativeNumber("--l2"), 1e-3)
    .option("--weight-decay <λ>", "weightDecay of both Adam (coupled L2) and AdamW (decoupled)", nonNegativeNumber("--weight-decay"), 1e-2);
  addPenaltyOptions(cmd);
  return finishRunCommand(cmd, "report", [
    "wasm-optim regularization",
    "wasm-optim regularization --l1 3e-3 --elastic-net 4e-3,0.5 --epochs 40",
  ], runCommand);
}

async function runCommand(flags: RegularizationFlags): Promise<void> {
  if (flags.maxNorm !== undefined) throw new UsageError("--max-norm is not part of this experiment (try it with 'wasm-optim train' or 'compare')");
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `regularization-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const out = humanOutput();
  out.write(`${data.description}\nmodel ${flags.model.text}, ${flags.epochs} epochs, batch ${flags.batch}, ${engine.backend} kernels\n\n`);
  const result = await runRegularization({
    engine, data, model: flags.model, epochs: flags.epochs, batchSize: flags.batch, seed: flags.seed, lr: flags.lr, adamLr: flags.adamLr,
    l2: flags.l2, weightDecay: flags.weightDecay, ...(flags.l1 !== undefined ? { l1: flags.l1 } : {}), ...(flags.elasticNet ? { elasticNet: flags.elasticNet } : {}),
  });
  out.write(`${textTable(result.runs, [
    { title: "run", value: (r) => r.name, align: "left" },
    { title: "rule", value: (r) => r.rule, align: "left" },
    { title: "test acc", value: (r) => (r.testAccuracy === null ? "–" : formatPercent(r.testAccuracy)) },
    { title: "exactly 0", value: (r) => formatPercent(r.zeros) },
    { title: "|w| < 1e-3", value: (r) => formatPercent(r.nearZero) },
    { title: "‖w‖₂", value: (r) => formatLoss(r.l2Norm) },
  ])}\n`);
  const html = await regularizationReport(result, { dataDescription: data.description, command: commandLine() });
  await writeReportFiles(dir, html, { "regularization.json": result });
}
