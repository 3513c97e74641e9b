// wasm-optim advise: a short learning-rate sweep per optimizer; the ranking, how forgiving each is, and the advice
// in plain words, printed and in a report.
import { Command } from "commander";
import { advise } from "../lab/advise.js";
import { formatLoss, formatLr, plural } from "../lab/format.js";
import { adviceRows, adviseReport } from "../lab/html/advise-report.js";
import { labModel } from "../lab/setup.js";
import { optimizerOptions, parseOptimizerSpec, type OptimizerSpec } from "../lab/spec-optimizers.js";
import { commandLine, type CommonRunFlags } from "./compare.js";
import { loadData } from "./data.js";
import { addDataOptions, addModelOption, collectOptimizer, engineFor, finishRunCommand, OPT_HELP, parseBatch, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { runPrinter } from "./progress.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";
import { addRunOptions, collectRunSpecs, type RunFlags } from "./runs.js";
import { labRun } from "../lab/run-spec.js";
import { argument, UsageError } from "./usage.js";

interface AdviseFlags extends Omit<CommonRunFlags, "schedule" | "clip" | "weightDecay">, RunFlags {
  lrGrid: number[] | "auto";
  tolerance: number;
}

export const DEFAULT_ADVISE_OPTIMIZERS: readonly [string, string][] = [
  ["SGD", "sgd"],
  ["SGD+momentum", "sgd:momentum=0.9"],
  ["RMSprop", "rmsprop"],
  ["Adam", "adam"],
];

const parseGrid = argument((value: string): number[] | "auto" => {
  if (value === "auto") return "auto";
  const lrs = value.split(",").map((s) => s.trim());
  const bad = lrs.find((s) => !(Number(s) > 0 && Number.isFinite(Number(s))) || s === "");
  if (bad !== undefined) throw new UsageError(`--lr-grid: '${bad}' is not a learning rate > 0 (give comma-separated rates such as 1e-3,3e-3,1e-2, or auto)`);
  return [...new Set(lrs.map(Number))].sort((a, b) => a - b);
});

export function adviseCommand(): Command {
  const cmd = new Command("advise").description("sweep the learning rate of each optimizer briefly; rank them, measure how forgiving each is, and say it in plain words");
  addDataOptions(cmd);
  addModelOption(cmd, "mlp:128");
  cmd
    .option("--opt <spec>", `${OPT_HELP}; the lr is swept (default: ${DEFAULT_ADVISE_OPTIMIZERS.map(([, s]) => s).join(" ")})`, collectOptimizer);
  addRunOptions(cmd);
  cmd
    .option("--lr-grid <rates|auto>", "comma-separated learning rates for every optimizer, or auto: a ladder around each one's LR range test", parseGrid, "auto")
    .option("--epochs <n>", "epochs per run", positiveInteger("--epochs"), 3)
    .option("--batch <n|full>", "samples per step", parseBatch, 32)
    .option("--tolerance <x>", "a rate 'works' when its loss is within (1 + x) × the best", positiveNumber("--tolerance"), 0.25)
    .option("--seed <n>", "seed of the initial weights and of the batch order", seedFlag("--seed"), 0);
  return finishRunCommand(cmd, "report", [
    "wasm-optim advise",
    "wasm-optim advise --opt adam --opt lion --lr-grid 1e-4,3e-4,1e-3,3e-3,1e-2 --epochs 5",
    "wasm-optim advise --data moons --seeds 3",
  ], runAdvise);
}

async function runAdvise(flags: AdviseFlags): Promise<void> {
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `advise-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const defaults = (): OptimizerSpec[] => DEFAULT_ADVISE_OPTIMIZERS.map(([name, spec]) => parseOptimizerSpec(spec, name));
  const runs = collectRunSpecs(flags, defaults, engine, data.train.length);
  const out = humanOutput();
  out.write(`${data.description}\nmodel ${flags.model.text}, ${plural(flags.epochs, "epoch")} per run, batch ${flags.batch}, grid ${flags.lrGrid === "auto" ? "from an LR range test per optimizer" : flags.lrGrid.map(formatLr).join(", ")}\n\n`);
  const printer = runPrinter({ tty: out.isTTY === true, width: 24 });
  const result = await advise({
    engine, data, model: flags.model, optimizers: runs.map(labRun), lrGrid: flags.lrGrid, epochs: flags.epochs, batchSize: flags.batch, seed: flags.seed, seeds: flags.seeds, tolerance: flags.tolerance,
    onProgress(e) {
      if (e.type === "lr-find") out.write(`${e.optimizer}: LR range test…\n`);
      else if (e.type === "grid") out.write(`${e.optimizer}: trying lr ${e.lrs.map(formatLr).join(", ")}\n`);
      else if (e.type === "batch" || e.type === "epoch" || e.type === "run-start") printer(e);
      else if (e.type === "run-end") printer.clear();
    },
  });
  printer.clear();
  const table = adviceRows(result);
  out.write(`\n${textTable(table.rows, table.columns.map((title, j) => ({ title, value: (row: (string | number)[]) => (typeof row[j] === "number" && j === 4 ? formatLoss(row[j] as number) : String(row[j])) })))}\n\n`);
  out.write(`${wrap(result.summary, 100)}\n`);
  const options = Object.fromEntries(runs.map((r) => [r.name, optimizerOptions(r.optimizer, engine)]));
  const batch = flags.batch === "full" ? data.train.length : flags.batch;
  const html = await adviseReport(result, options, {
    dataDescription: data.description, model: labModel(flags.model, data).build(engine, 1, 0).summary(), batchSize: batch, command: commandLine(),
  });
  await writeReportFiles(dir, html, {
    "advice.json": {
      summary: result.summary, target: result.target, tolerance: result.tolerance, epochs: result.epochs,
      optimizers: result.optimizers.map((a) => ({
        name: a.name, rank: a.rank, bestLr: a.bestLr, bestLoss: a.bestLoss, band: a.band, stepsToTarget: a.stepsToTarget, suggestion: a.lrFind?.suggestion ?? null,
        grid: a.grid.map((p) => ({ lr: p.lr, loss: p.loss, diverged: p.diverged, stepsToTarget: p.stepsToTarget })),
      })),
    },
  });
}

/** Wraps text at word boundaries. */
function wrap(text: string, width: number): string {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + 1 + word.length > width) lines.push(line), (line = word);
    else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  return lines.join("\n");
}
