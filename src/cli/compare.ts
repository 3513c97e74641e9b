// wasm-optim compare: one model, several optimizers, the same initial weights and batch order; a summary table
// on the terminal and an HTML report with history.json, history.csv (per epoch) and steps.csv (per step).
import { addPenaltyOptions, describePenalty, penaltyOptions, type PenaltyFlags } from "./penalty.js";
import { Command } from "commander";
import { compareOptimizers } from "../lab/compare.js";
import { compareEpochRows, compareStepRows, compareToJson } from "../lab/compare-export.js";
import { formatLoss, plural } from "../lab/format.js";
import { compareReport } from "../lab/html/compare-report.js";
import { describeComparison, summaryTable } from "../lab/html/compare-summary.js";
import { parseOptimizerSpec, type OptimizerSpec } from "../lab/spec-optimizers.js";
import { toCsv } from "../report/csv.js";
import { loadData } from "./data.js";
import {
  addDataOptions, addModelOption, addTrainingOptions, collectOptimizer,
  engineFor, finishRunCommand, OPT_HELP, positiveNumber, type ModelSpec, type ScheduleSpec,
} from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { runPrinter } from "./progress.js";
import { textTable } from "./table.js";
import { addRunOptions, collectRuns, type RunFlags } from "./runs.js";
import { Option } from "commander";

/** The default line-up: the classic optimizers at rates that suit a small MLP on the digits. */
export const DEFAULT_OPTIMIZERS: readonly [string, string][] = [
  ["SGD", "sgd:lr=0.1"],
  ["SGD+momentum", "sgd:lr=0.05,momentum=0.9"],
  ["Nesterov", "sgd:lr=0.05,momentum=0.9,nesterov"],
  ["Adagrad", "adagrad:lr=0.05"],
  ["RMSprop", "rmsprop:lr=1e-3"],
  ["Adam", "adam:lr=1e-3"],
  ["AdamW", "adamw:lr=1e-3,weightDecay=0.01"],
];

export interface CommonRunFlags {
  data: string;
  dataDir?: string;
  subset?: number;
  model: ModelSpec;
  opt?: OptimizerSpec[];
  batch: number | "full";
  epochs: number;
  seed: number;
  schedule?: ScheduleSpec;
  clip?: number;
  /** --grad-norms: record and chart each layer's gradient norm. */
  gradNorms?: boolean;
  weightDecay?: number;
  backend: "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
  threads: number | "auto";
  out: string;
  name?: string;
}

interface CompareFlags extends CommonRunFlags, RunFlags, PenaltyFlags {
  target?: number;
  tune?: "lr";
}

export function compareCommand(): Command {
  const cmd = new Command("compare")
    .description("train one model with several optimizers from the same initial weights and batch order; print a summary and write an HTML report");
  addDataOptions(cmd);
  addModelOption(cmd, "mlp:256,128");
  cmd.option("--opt <spec>", `${OPT_HELP} (default: ${DEFAULT_OPTIMIZERS.map(([, s]) => s).join(" ")})`, collectOptimizer);
  addRunOptions(cmd);
  addTrainingOptions(cmd, { batch: 64, epochs: 20 });
  addPenaltyOptions(cmd);
  cmd.addOption(new Option("--tune <what>", "lr: give each run its own learning rate, found first by a short search on a validation split of the training set").choices(["lr"]));
  cmd.option("--target <loss>", "training loss whose first crossing is timed (default: the median of the optimizers' lowest losses)", positiveNumber("--target"));
  return finishRunCommand(cmd, "report (report.html, history.json, history.csv, steps.csv)", [
    "wasm-optim compare                                   the default line-up on the digits",
    "wasm-optim compare --opt sgd:lr=0.1 --opt adam:lr=3e-3 --schedule cosine --epochs 20",
    "wasm-optim compare --data fashion-mnist --model cnn --subset 10000 --epochs 3",
    "wasm-optim compare --data moons --model mlp:32,32 --batch full --epochs 200",
    "wasm-optim compare --run 'sgd:lr=0.5 batch=full label=GD' --run 'sgd:lr=0.05 batch=32' --run 'sgd:lr=0.005 batch=1 label=SGD' --seeds 5",
    "wasm-optim compare --opt sgd:momentum=0.9 --opt adam --tune lr --seeds 3",
    "wasm-optim compare --data fashion-mnist --model cnn --epochs 10 --seeds 3          (the Fashion-MNIST benchmark, README)",
  ], runCompare);
}

export function defaultOptimizers(): OptimizerSpec[] {
  return DEFAULT_OPTIMIZERS.map(([name, spec]) => parseOptimizerSpec(spec, name));
}

async function runCompare(flags: CompareFlags): Promise<void> {
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `compare-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const penalty = penaltyOptions(flags);
  const runs = collectRuns(flags, defaultOptimizers, engine, data.train.length, flags.schedule);

  const out = humanOutput();
  const seeds = flags.seeds > 1 ? `seeds ${flags.seed}…${flags.seed + flags.seeds - 1}` : `seed ${flags.seed}`;
  out.write(`${data.description}\nmodel ${flags.model.text}, ${plural(flags.epochs, "epoch")}, batch ${flags.batch}${flags.schedule ? `, schedule ${flags.schedule.text}` : ""}${describePenalty(flags)}, ${seeds}, ${engine.backend} kernels\n\n`);
  const printer = runPrinter({ tty: out.isTTY === true, width: Math.max(...runs.map((s) => s.name.length)) });
  const result = await compareOptimizers({
    engine, data, model: flags.model, optimizers: runs, schedule: flags.schedule, epochs: flags.epochs, batchSize: flags.batch,
    seed: flags.seed, seeds: flags.seeds, tune: flags.tune ?? null, clip: flags.clip, recordGradientNorms: flags.gradNorms === true,
    targetLoss: flags.target, onProgress: printer, ...penalty,
  });
  printer.clear();

  const table = summaryTable(result);
  out.write(`\n${textTable(table.rows, table.columns.map((title, j) => ({ title, value: (row: (string | number)[]) => cell(row[j]!) })))}\n\n`);
  for (const line of describeComparison(result)) out.write(`${line}\n`);

  const html = await compareReport(result, { dataDescription: data.description, command: commandLine() });
  await writeReportFiles(dir, html, {
    "history.json": compareToJson(result),
    "history.csv": toCsv(compareEpochRows(result)),
    "steps.csv": toCsv(compareStepRows(result)),
  });
}

function cell(v: string | number): string {
  return typeof v === "number" ? formatLoss(v) : v;
}

/** The command as typed, for the report ('wasm-optim compare --epochs 3'). */
export function commandLine(): string {
  return ["wasm-optim", ...process.argv.slice(2).map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`))].join(" ");
}
