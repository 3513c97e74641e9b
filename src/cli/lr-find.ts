// wasm-optim lr-find: the learning-rate range test for one or more optimizers: the curve in a few numbers, the
// suggestion, and a report with the charts.
import { Command } from "commander";
import { formatLoss, formatLr } from "../lab/format.js";
import { lrFind, type LrFindResult } from "../lab/lr-find.js";
import { lrFindReport, type LrFindEntry } from "../lab/html/lr-find-report.js";
import { labModel } from "../lab/setup.js";
import { optimizerOptions, parseOptimizerSpec, type OptimizerSpec } from "../lab/spec-optimizers.js";
import { commandLine, type CommonRunFlags } from "./compare.js";
import { loadData } from "./data.js";
import { addDataOptions, addModelOption, checkOptimizers, collectOptimizer, engineFor, finishRunCommand, OPT_HELP, parseBatch, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";
import { UsageError } from "./usage.js";

interface LrFindFlags extends Omit<CommonRunFlags, "epochs" | "schedule" | "clip" | "weightDecay"> {
  startLr: number;
  endLr: number;
  numIter: number;
  smoothing: number;
  diverge: number;
}

export function lrFindCommand(): Command {
  const cmd = new Command("lr-find").description("the learning-rate range test: sweep the rate exponentially, suggest where the loss falls fastest, write a report");
  addDataOptions(cmd);
  addModelOption(cmd, "mlp:128");
  cmd
    .option("--opt <spec>", `${OPT_HELP} (default: sgd:momentum=0.9 and adam; the lr given is ignored)`, collectOptimizer)
    .option("--batch <n|full>", "samples per step", parseBatch, 32)
    .option("--start-lr <lr>", "first learning rate", positiveNumber("--start-lr"), 1e-7)
    .option("--end-lr <lr>", "last learning rate", positiveNumber("--end-lr"), 10)
    .option("--num-iter <n>", "steps of the sweep", positiveInteger("--num-iter"), 200)
    .option("--smoothing <w>", "weight of each new loss in the moving average, in (0, 1]", positiveNumber("--smoothing"), 0.05)
    .option("--diverge <x>", "stop when the smoothed loss exceeds x times its minimum", positiveNumber("--diverge"), 5)
    .option("--seed <n>", "seed of the initial weights and of the batch order", seedFlag("--seed"), 0);
  return finishRunCommand(cmd, "report", [
    "wasm-optim lr-find",
    "wasm-optim lr-find --opt sgd --opt rmsprop --data fashion-mnist --model cnn --subset 5000",
  ], runLrFind);
}

async function runLrFind(flags: LrFindFlags): Promise<void> {
  if (!(flags.endLr > flags.startLr)) throw new UsageError(`--end-lr (${flags.endLr}) must be larger than --start-lr (${flags.startLr})`);
  if (flags.numIter < 2) throw new UsageError(`--num-iter must be at least 2, got ${flags.numIter}`);
  if (flags.smoothing > 1) throw new UsageError(`--smoothing must be in (0, 1], got ${flags.smoothing}`);
  if (flags.diverge <= 1) throw new UsageError(`--diverge must be larger than 1, got ${flags.diverge}`);
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `lr-find-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const specs: OptimizerSpec[] = flags.opt ?? [parseOptimizerSpec("sgd:momentum=0.9"), parseOptimizerSpec("adam")];
  checkOptimizers(specs, engine);
  const batch = flags.batch === "full" ? data.train.length : Math.min(flags.batch, data.train.length);
  const out = humanOutput();
  out.write(`${data.description}\nmodel ${flags.model.text}, batch ${batch}, lr ${formatLr(flags.startLr)} → ${formatLr(flags.endLr)} in ${flags.numIter} steps\n\n`);

  const entries: LrFindEntry[] = [];
  for (const spec of specs) {
    const result = await lrFind({
      engine, model: flags.model, data, optimizer: spec.make, batchSize: batch, startLr: flags.startLr, endLr: flags.endLr,
      numIter: flags.numIter, smoothing: flags.smoothing, divergeThreshold: flags.diverge, seed: flags.seed,
    });
    const { lr: _lr, ...options } = optimizerOptions(spec, engine);
    entries.push({ name: spec.name, label: spec.label, options, result });
    out.write(`${spec.name}: ${suggestionLine(result)}\n${curveTable(result)}\n(→ the suggestion)\n\n`);
  }
  const model = labModel(flags.model, data).build(engine, 1, 0).summary();
  const html = await lrFindReport(entries, { dataDescription: data.description, model, batchSize: batch, command: commandLine() });
  await writeReportFiles(dir, html, {
    "lr-find.json": entries.map((e) => ({ name: e.name, ...e.result })),
  });
}

function suggestionLine(r: LrFindResult): string {
  const suggestion = r.suggestion === null ? "no suggestion (too few points after skipping the ends)" : `suggested lr ${formatLr(r.suggestion)} (steepest fall of the smoothed loss)`;
  const end = r.stopped === "diverged" ? `diverged at lr ${formatLr(r.lrs[r.lrs.length - 1]!)} after ${r.lrs.length} steps` : `reached lr ${formatLr(r.endLr)}`;
  return `${suggestion}; lowest loss ${formatLoss(r.minLoss)} at lr ${formatLr(r.minLossLr)}; ${end}`;
}

/** The smoothed curve at every power of ten the sweep passed (interpolated on log lr), and at the suggestion. */
function curveTable(r: LrFindResult): string {
  const logs = r.lrs.map(Math.log10);
  const at = (x: number): number => {
    const i = logs.findIndex((l) => l >= x - 1e-12);
    if (i <= 0) return r.smoothed[Math.max(i, 0)]!;
    const t = (x - logs[i - 1]!) / (logs[i]! - logs[i - 1]!);
    return r.smoothed[i - 1]! + t * (r.smoothed[i]! - r.smoothed[i - 1]!);
  };
  const rows: { lr: number; loss: number; suggested: boolean }[] = [];
  for (let k = Math.ceil(logs[0]! - 1e-9); k <= logs[logs.length - 1]! + 1e-9; k++) rows.push({ lr: 10 ** k, loss: at(k), suggested: false });
  if (r.suggestion !== null) rows.push({ lr: r.suggestion, loss: r.smoothed[r.suggestionIndex]!, suggested: true });
  rows.sort((a, b) => a.lr - b.lr);
  return textTable(rows, [
    { title: "  lr", value: (x) => `${x.suggested ? "→ " : "  "}${formatLr(x.lr)}` },
    { title: "smoothed loss", value: (x) => formatLoss(x.loss) },
  ]);
}
