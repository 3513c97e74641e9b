// wasm-optim gradients <experiment>: the gradient pathologies made visible, each experiment a table on the
// terminal and an HTML report that explains what it shows.
//
//   vanishing   a deep MLP: sigmoid / tanh / ReLU × default / Xavier-Kaiming init × with / without BatchNorm
//   exploding   a tanh RNN on the adding problem, recurrent weights at a large scale, without and with clipping
//   optimizers  SGD, momentum, RMSprop, Adam, AdamW on an LSTM and an RNN task, without and with clipping: the
//               common claims judged from the results
import { Command } from "commander";
import { formatLoss, formatPercent } from "../lab/format.js";
import { vanishingGradients, vanishingToJson } from "../lab/gradients-vanishing.js";
import { describeVanishing, ordersLost, vanishingReport } from "../lab/html/gradients-vanishing-report.js";
import { explodingGradients, explodingToJson } from "../lab/gradients-exploding.js";
import { describeExploding, explodingReport } from "../lab/html/gradients-exploding-report.js";
import { recurrentOptimizers } from "../lab/gradients-recurrent.js";
import { describeClaims, recurrentOptimizersReport } from "../lab/html/gradients-recurrent-report.js";
import { compareToJson } from "../lab/compare-export.js";
import { suggest } from "../lab/spec.js";
import { commandLine } from "./compare.js";
import { addDataOptions, engineFor, finishRunCommand, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { humanOutput } from "./console.js";
import { loadData } from "./data.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";
import { UsageError } from "./usage.js";

export const GRADIENT_EXPERIMENTS = ["vanishing", "exploding", "optimizers"] as const;
type Experiment = (typeof GRADIENT_EXPERIMENTS)[number];

interface GradientFlags {
  experiment?: string;
  data: string;
  dataDir?: string;
  subset?: number;
  epochs?: number;
  batch?: number;
  seed: number;
  lr?: number;
  depth?: number;
  width?: number;
  length?: number;
  hidden?: number;
  scale?: number;
  clipNorm?: number;
  clipValue?: number;
  backend: "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
  threads: number | "auto";
  out: string;
  name?: string;
}

/** The flags (by their property) each experiment takes besides the common ones; any other given is an error. */
const EXPERIMENT_FLAGS: Record<Experiment, readonly (keyof GradientFlags)[]> = {
  vanishing: ["data", "dataDir", "subset", "epochs", "batch", "lr", "depth", "width"],
  exploding: ["epochs", "batch", "lr", "length", "hidden", "scale", "clipNorm", "clipValue"],
  optimizers: ["epochs", "batch", "hidden", "clipNorm"],
};
const FLAG_NAMES: Partial<Record<keyof GradientFlags, string>> = {
  data: "--data", dataDir: "--data-dir", subset: "--subset", epochs: "--epochs", batch: "--batch", lr: "--lr", depth: "--depth", width: "--width",
  length: "--length", hidden: "--hidden", scale: "--scale", clipNorm: "--clip-norm", clipValue: "--clip-value",
};

export function gradientsCommand(): Command {
  const cmd = new Command("gradients")
    .description("experiments on vanishing and exploding gradients: per-layer gradient norms, explained in a report")
    .argument("[experiment]", `the experiment: ${GRADIENT_EXPERIMENTS.join(", ")}`)
    .option("--experiment <name>", "the experiment, as a flag (instead of the argument)");
  addDataOptions(cmd);
  cmd
    .option("--epochs <n>", "epochs per configuration (vanishing: 5, exploding: 8, optimizers: 8)", positiveInteger("--epochs"))
    .option("--batch <n>", "samples per step (vanishing: 64, exploding: 32)", positiveInteger("--batch"))
    .option("--seed <n>", "seed of the initial weights and the batch order", seedFlag("--seed"), 0)
    .option("--lr <rate>", "the learning rate (vanishing: SGD with momentum 0.9, 0.01; exploding: plain SGD, 0.05)", positiveNumber("--lr"))
    .option("--depth <n>", "vanishing: Linear layers of the MLP (default 15)", positiveInteger("--depth"))
    .option("--width <n>", "vanishing: units per hidden layer (default 64)", positiveInteger("--width"))
    .option("--length <T>", "exploding: steps of each adding-problem sequence (default 50)", positiveInteger("--length"))
    .option("--hidden <n>", "exploding, optimizers: hidden units of the recurrent layer (default 32)", positiveInteger("--hidden"))
    .option("--scale <s>", "exploding: the large scale of the recurrent weights, about their spectral radius (default 3)", positiveNumber("--scale"))
    .option("--clip-norm <c>", "exploding, optimizers: clipGradNorm's maxNorm (default 1)", positiveNumber("--clip-norm"))
    .option("--clip-value <v>", "exploding: clipGradValue's bound (default 0.1)", positiveNumber("--clip-value"));
  return finishRunCommand(cmd, "report (report.html and the numbers as JSON)", [
    "wasm-optim gradients vanishing",
    "wasm-optim gradients vanishing --depth 20 --data fashion-mnist --subset 5000 --epochs 2",
    "wasm-optim gradients exploding --scale 4 --length 100",
    "wasm-optim gradients optimizers --epochs 10",
  ], async () => runGradients(cmd.args[0], cmd.opts<GradientFlags>()));
}

function experimentOf(positional: string | undefined, flag: string | undefined): Experiment {
  if (positional !== undefined && flag !== undefined && positional !== flag) {
    throw new UsageError(`the experiment is given twice: '${positional}' and --experiment ${flag}`);
  }
  const name = positional ?? flag;
  if (name === undefined) throw new UsageError(`name an experiment: wasm-optim gradients <${GRADIENT_EXPERIMENTS.join("|")}>`);
  if (!(GRADIENT_EXPERIMENTS as readonly string[]).includes(name)) {
    const guess = suggest(name, GRADIENT_EXPERIMENTS);
    throw new UsageError(`unknown experiment '${name}' (known: ${GRADIENT_EXPERIMENTS.join(", ")}${guess ? `; did you mean '${guess}'?` : ""})`);
  }
  return name as Experiment;
}

async function runGradients(positional: string | undefined, flags: GradientFlags): Promise<void> {
  const experiment = experimentOf(positional, flags.experiment);
  const allowed = new Set(EXPERIMENT_FLAGS[experiment]);
  for (const [key, flag] of Object.entries(FLAG_NAMES) as [keyof GradientFlags, string][]) {
    // --data has a default ('digits'); it counts as given only when it differs.
    const given = key === "data" ? flags.data !== "digits" : flags[key] !== undefined;
    if (given && !allowed.has(key)) throw new UsageError(`${flag} does not apply to the ${experiment} experiment`);
  }
  if (experiment === "vanishing") await runVanishing(flags);
  else if (experiment === "exploding") await runExploding(flags);
  else await runOptimizers(flags);
}

async function runOptimizers(flags: GradientFlags): Promise<void> {
  const dir = await prepareReport(flags, "gradients-optimizers");
  const engine = await engineFor(flags.backend, flags.threads);
  const out = humanOutput();
  const result = await recurrentOptimizers({
    engine, hidden: flags.hidden, clip: flags.clipNorm, epochs: flags.epochs, batchSize: flags.batch, seed: flags.seed,
    onProgress: (e) => {
      if (e.done) out.write(`${e.task}, ${e.clipped ? "clipped" : "no clipping"}: ${e.name} done\n`);
    },
  });
  out.write("\n");
  for (const line of describeClaims(result)) out.write(`${line}\n`);
  const html = await recurrentOptimizersReport(result, { command: commandLine() });
  await writeReportFiles(dir, html, {
    "recurrent.json": {
      claims: result.claims,
      tasks: result.tasks.map((t) => ({ name: t.name, withoutClipping: compareToJson(t.withoutClipping), withClipping: compareToJson(t.withClipping) })),
    },
  });
}

async function runExploding(flags: GradientFlags): Promise<void> {
  const dir = await prepareReport(flags, "gradients-exploding");
  const engine = await engineFor(flags.backend, flags.threads);
  const out = humanOutput();
  const result = await explodingGradients({
    engine, length: flags.length, hidden: flags.hidden, scale: flags.scale, clipNorm: flags.clipNorm, clipValue: flags.clipValue,
    epochs: flags.epochs, batchSize: flags.batch, lr: flags.lr, seed: flags.seed,
    onProgress: (e) => {
      if (e.summary) out.write(`${e.name}: largest gradient norm ${formatLoss(e.summary.maxGradientNorm)}, ${e.summary.clippedSteps} steps clipped, test loss ${formatLoss(e.summary.finalTestLoss)}\n`);
    },
  });
  out.write("\n");
  for (const line of describeExploding(result)) out.write(`${line}\n`);
  const html = await explodingReport(result, { command: commandLine() });
  await writeReportFiles(dir, html, { "exploding.json": explodingToJson(result) });
}

async function runVanishing(flags: GradientFlags): Promise<void> {
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `gradients-vanishing-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const out = humanOutput();
  const depth = flags.depth ?? 15;
  if (depth < 2) throw new UsageError(`--depth must be at least 2 (Linear layers), got ${depth}`);
  out.write(`${data.description}\n${depth} Linear layers of ${flags.width ?? 64} units, 12 configurations, ${engine.backend} kernels\n\n`);
  const result = await vanishingGradients({
    engine, data, depth, width: flags.width, epochs: flags.epochs, batchSize: flags.batch, lr: flags.lr, seed: flags.seed,
    onProgress: (e) => {
      if (e.summary) out.write(`${e.name}: first ÷ last layer ${formatLoss(e.summary.ratioAtStart)}, final loss ${formatLoss(e.summary.finalLoss)}\n`);
    },
  });
  const rows = result.runs.map((r) => [r.name, formatLoss(r.ratioAtStart), ordersLost(r.ratioAtStart).toFixed(1), formatLoss(r.ratioDuringTraining), formatLoss(r.finalLoss), formatPercent(r.finalTestAccuracy)]);
  const columns = ["configuration", "first ÷ last (start)", "orders lost", "first ÷ last (last epoch)", "train loss", "test acc"];
  out.write(`\n${textTable(rows, columns.map((title, j) => ({ title, value: (row: string[]) => row[j]! })))}\n\n`);
  for (const line of describeVanishing(result)) out.write(`${line}\n`);
  const html = await vanishingReport(result, { dataDescription: data.description, command: commandLine() });
  await writeReportFiles(dir, html, { "vanishing.json": vanishingToJson(result) });
}
