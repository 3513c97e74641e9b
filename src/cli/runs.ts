// The runs of compare and advise: --opt specs (the comparison's settings), --run specs (each with its own batch,
// epochs, schedule and label) and the runs of an --experiment-file, in that order; and --seeds.
import { readFileSync } from "node:fs";
import type { Command } from "commander";
import type { Engine } from "../engine/engine.js";
import { labRun, parseExperimentJson, parseRunSpec, type RunSpec } from "../lab/run-spec.js";
import type { LabOptimizer } from "../lab/compare.js";
import type { OptimizerSpec } from "../lab/spec-optimizers.js";
import { applyWeightDecay, checkOptimizers, checkSchedule, positiveInteger } from "./options.js";
import { argument, UsageError } from "./usage.js";

export interface RunFlags {
  opt?: OptimizerSpec[];
  run?: RunSpec[];
  experimentFile?: string;
  seeds: number;
  weightDecay?: number;
  epochs: number;
  batch: number | "full";
}

const collectRun = argument((value: string, previous: RunSpec[] | undefined): RunSpec[] => [...(previous ?? []), parseRunSpec(value)]);

export function addRunOptions(cmd: Command): Command {
  return cmd
    .option("--run <spec>", "a run with its own settings, repeatable: 'optimizer-spec batch=<n|full> epochs=<n> schedule=<spec|none> label=<name>' (e.g. 'sgd:lr=0.5 batch=full')", collectRun)
    .option("--experiment-file <file.json>", `runs from a JSON file: {"runs": ["sgd:lr=0.1 batch=32", {"optimizer": "adam:lr=1e-3", "batch": "full", "label": "Adam"}]}`)
    .option("--seeds <n>", "repeat every run over n seeds (initial weights and batch order): means, spreads and 95 % intervals", positiveInteger("--seeds"), 1);
}

/** Every run, checked (names unique, optimizer and schedule values valid) before any training. */
export function collectRuns(flags: RunFlags, defaults: () => OptimizerSpec[], engine: Engine, trainSamples: number, schedule?: Parameters<typeof checkSchedule>[0]): LabOptimizer[] {
  return collectRunSpecs(flags, defaults, engine, trainSamples, schedule).map(labRun);
}

export function collectRunSpecs(flags: RunFlags, defaults: () => OptimizerSpec[], engine: Engine, trainSamples: number, schedule?: Parameters<typeof checkSchedule>[0]): RunSpec[] {
  const runs: RunSpec[] = [
    ...(flags.opt ?? []).map((optimizer) => ({ text: optimizer.name, optimizer, name: optimizer.name })),
    ...(flags.run ?? []),
    ...(flags.experimentFile ? experimentRuns(flags.experimentFile) : []),
  ];
  if (runs.length === 0) runs.push(...defaults().map((optimizer) => ({ text: optimizer.name, optimizer, name: optimizer.name })));
  const decayed = applyWeightDecay(runs.map((r) => r.optimizer), flags.weightDecay);
  runs.forEach((r, i) => (r.optimizer = decayed[i]!));
  checkOptimizers(runs.map((r) => r.optimizer), engine);
  for (const r of runs) {
    const batch = r.batch ?? flags.batch;
    const stepsPerEpoch = Math.ceil(trainSamples / (batch === "full" ? trainSamples : Math.min(batch, trainSamples)));
    const spec = r.schedule === undefined ? schedule : r.schedule ?? undefined;
    try {
      checkSchedule(spec, engine, { epochs: r.epochs ?? flags.epochs, stepsPerEpoch });
    } catch (e) {
      throw r.schedule ? new UsageError(`run '${r.text}': ${(e as Error).message.replace(/^--schedule /, "schedule ")}`) : e;
    }
  }
  return runs;
}

function experimentRuns(file: string): RunSpec[] {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new UsageError(`--experiment-file ${file}: cannot read it (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return parseExperimentJson(text, file);
}

