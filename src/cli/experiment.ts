// wasm-optim experiment <name>: one of the ready-made experiments (src/lab/experiments/registry.ts), its findings
// on the terminal and its report (report.html, experiment.json).
import { Command, Option } from "commander";
import { EXPERIMENTS, findExperiment } from "../lab/experiments/registry.js";
import { commandLine } from "./compare.js";
import { addEngineOption, engineFor, positiveInteger } from "./options.js";
import { addOutputModeOptions, humanOutput, setOutputMode, type OutputFlags } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { runPrinter } from "./progress.js";
import { action, UsageError } from "./usage.js";
import { suggest } from "../lab/spec.js";
import type { Backend } from "../engine/backend.js";

interface ExperimentFlags {
  seeds: number;
  size: "small" | "full";
  backend: Backend;
  threads: number | "auto";
  out: string;
  name?: string;
}

export function experimentCommand(): Command {
  const list = EXPERIMENTS.map((e) => `  ${e.name.padEnd(16)}${e.question}`).join("\n");
  const cmd = new Command("experiment")
    .description("run a ready-made experiment on a classic question about training, and write a report that explains it")
    .argument("<name>", `one of: ${EXPERIMENTS.map((e) => e.name).join(", ")}`)
    .option("--seeds <n>", "repeat every run over n seeds, for means and 95 % intervals", positiveInteger("--seeds"), 1)
    .addOption(new Option("--size <size>", "small: a few seconds, for a first look; full: the sizes the report is written for").choices(["small", "full"]).default("full"))
    .option("--out <dir>", "folder for the report (report.html, experiment.json)", "reports")
    .option("--name <name>", "sub-folder of --out (default: experiment-<name>)")
    .addHelpText("after", `\nExperiments:\n${list}\n\nExamples:\n  wasm-optim experiment batch-modes\n  wasm-optim experiment learning-rate --seeds 3`);
  return addOutputModeOptions(addEngineOption(cmd)).action(action(async (name: string, flags: ExperimentFlags & OutputFlags) => {
      setOutputMode("experiment", flags);
      const entry = findExperiment(name);
      if (!entry) {
        const guess = suggest(name, EXPERIMENTS.map((e) => e.name));
        throw new UsageError(`unknown experiment '${name}' (known: ${EXPERIMENTS.map((e) => e.name).join(", ")}${guess ? `; did you mean '${guess}'?` : ""})`);
      }
      const dir = await prepareReport(flags, `experiment-${name}`);
      const engine = await engineFor(flags.backend, flags.threads);
      const out = humanOutput();
      out.write(`${entry.title}\n${entry.question}\n\n`);
      const printer = runPrinter({ tty: out.isTTY === true, width: 28 });
      const result = await entry.run({ engine, seeds: flags.seeds, size: flags.size, onProgress: printer });
      printer.clear();
      out.write(`\n${result.findings.join("\n")}\n\n`);
      await writeReportFiles(dir, await result.report({ command: commandLine() }), { "experiment.json": result.json() });
    }));
}
