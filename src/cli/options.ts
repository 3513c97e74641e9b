// Flags shared by the commands, their parsers (each error names the flag and the bad value) and the checks that
// need an engine (optimizer and schedule values).
import { Option, type Command } from "commander";
import { createEngine, type Engine } from "../engine/engine.js";
import { BACKENDS, type Backend } from "../engine/backend.js";
import { checkOptimizerSpec, OPTIMIZER_NAMES, OPTIMIZER_SPECS, parseOptimizerSpec, withDefaultOption, type OptimizerSpec } from "../lab/spec-optimizers.js";
import { checkScheduleSpec, parseScheduleSpec, SCHEDULE_NAMES, type ScheduleContext, type ScheduleSpec } from "../lab/spec-schedules.js";
import { parseModelSpec, type ModelSpec } from "../lab/spec-models.js";
import { addOutputModeOptions, humanOutput, setOutputMode, type OutputFlags } from "./console.js";
import { DATA_NAMES } from "./data.js";
import { action, argument, UsageError } from "./usage.js";

export function positiveInteger(flag: string) {
  return argument((value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || !Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got '${value}'`);
    return n;
  });
}

export function seedFlag(flag: string) {
  return argument((value: string) => {
    const n = Number(value);
    if (!/^\d+$/.test(value.trim()) || n > 0xffffffff) throw new UsageError(`${flag} must be an integer in [0, 4294967295], got '${value}'`);
    return n;
  });
}

export function positiveNumber(flag: string) {
  return argument((value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a number > 0, got '${value}'`);
    return n;
  });
}

export function nonNegativeNumber(flag: string) {
  return argument((value: string) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || n < 0) throw new UsageError(`${flag} must be a number >= 0, got '${value}'`);
    return n;
  });
}

export const parseBatch = argument((value: string): number | "full" => {
  if (value === "full") return "full";
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1) throw new UsageError(`--batch must be a positive integer or 'full', got '${value}'`);
  return n;
});

/** --opt is repeatable: each value is parsed now (unknown names and option keys fail here). */
export const collectOptimizer = argument((value: string, previous: OptimizerSpec[] | undefined): OptimizerSpec[] => [...(previous ?? []), parseOptimizerSpec(value)]);

export const OPT_HELP =
  `optimizer spec, repeatable: name[:key=value,...] with the constructor's options in camelCase, a bare key meaning true, ` +
  `pairs as a/b (e.g. 'sgd:lr=0.05,momentum=0.9,nesterov', 'adam:lr=1e-3,betas=0.9/0.99'); names: ` +
  OPTIMIZER_NAMES.map((n) => (OPTIMIZER_SPECS[n]!.closure ? `${n} (landscape only: it needs a closure)` : n)).join(", ");

export function addDataOptions(cmd: Command): Command {
  return cmd
    .option("--data <name|path>", `a built-in dataset (${DATA_NAMES.join(", ")}), sequence data (adding:len=50, copy:len=10,delay=20, words:window=32, fortunes, nile:window=10), a directory of MNIST-layout IDX files, or a CSV file (label last)`, "digits")
    .option("--data-dir <dir>", "where the fashion-mnist IDX files are (default /usr/share/datasets/fashion-mnist)")
    .option("--subset <n>", "train on n samples of the training set (stratified)", positiveInteger("--subset"));
}

export function addModelOption(cmd: Command, fallback: string): Command {
  return cmd.addOption(
    new Option(
      "--model <spec>",
      "model: 'mlp:256,128' (hidden widths; options activation=relu|tanh|gelu|sigmoid, dropout=p, batchnorm), 'cnn' or 'cnn:16,32' (3×3 conv + pool stages), 'linear', 'lstm:128', 'gru:64,64', 'rnn:128' (recurrent widths; options embed=d, tbptt=k, nonlinearity=relu for rnn)",
    )
      .argParser(argument(parseModelSpec))
      .default(parseModelSpec(fallback), fallback),
  );
}

export function addTrainingOptions(cmd: Command, defaults: { batch: number; epochs: number }): Command {
  return cmd
    .option("--batch <n|full>", "samples per step: a number (1 = stochastic) or 'full' (batch gradient descent)", parseBatch, defaults.batch)
    .option("--epochs <n>", "epochs per run", positiveInteger("--epochs"), defaults.epochs)
    .option("--seed <n>", "seed of the initial weights and of the batch order", seedFlag("--seed"), 0)
    .option("--schedule <spec>", `learning-rate schedule: ${SCHEDULE_NAMES.join(", ")} with options, e.g. 'cosine:tMax=10', 'onecycle:maxLr=0.1', 'step:stepSize=5,gamma=0.5', 'plateau'`, argument(parseScheduleSpec))
    .option("--clip <norm>", "clip the gradients' global L2 norm to this value", positiveNumber("--clip"))
    .option("--grad-norms", "record each parameter's gradient norm at every step; the report charts them per layer (log scale)")
    .option("--weight-decay <λ>", "weight decay for every optimizer that has the option and does not set it", nonNegativeNumber("--weight-decay"));
}

/** Ends a run command: --backend, --out and --name (the folder for `what`), the examples under its help, the action. */
export function finishRunCommand<F>(cmd: Command, what: string, examples: readonly string[], run: (flags: F) => Promise<void>): Command {
  addEngineOption(cmd);
  addOutputOptions(cmd, what);
  addOutputModeOptions(cmd);
  cmd.addHelpText("after", `\nExamples:\n${examples.map((line) => `  ${line}`).join("\n")}`);
  // The flags from cmd.opts(): a command with a positional argument is called with it first.
  return cmd.action(action(async () => {
    const flags = cmd.opts<F & OutputFlags>();
    setOutputMode(cmd.name(), flags);
    await run(flags);
  }));
}

export function addEngineOption(cmd: Command): Command {
  return cmd
    .addOption(new Option("--backend <name>", "kernels: auto picks the fastest this runtime supports").choices(BACKENDS as string[]).default("auto"))
    .option("--threads <n>", "threads the kernels run on: a number, or auto for every core (the results have the same bits)", threadsFlag, "auto" as const);
}

/** --threads: 'auto' or a positive integer. */
const threadsFlag = argument((value: string): number | "auto" => {
  if (value.trim() === "auto") return "auto";
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 64) throw new UsageError(`--threads must be auto or an integer from 1 to 64, got '${value}'`);
  return n;
});

function addOutputOptions(cmd: Command, what: string): Command {
  return cmd
    .option("--out <dir>", `folder for the ${what}`, "reports")
    .option("--name <name>", "sub-folder of --out (default: the command and the data)");
}

/** Applies --weight-decay to the specs that have the option and do not set it; tells about those without it. */
export function applyWeightDecay(specs: readonly OptimizerSpec[], weightDecay: number | undefined): OptimizerSpec[] {
  if (weightDecay === undefined) return [...specs];
  const without = specs.filter((s) => !OPTIMIZER_SPECS[s.kind]!.options.includes("weightDecay")).map((s) => s.name);
  if (without.length) humanOutput().write(`note: --weight-decay does not apply to ${without.join(", ")} (no weightDecay option)\n`);
  return specs.map((s) => withDefaultOption(s, "weightDecay", weightDecay));
}

export async function engineFor(backend: Backend, threads: number | "auto" = "auto"): Promise<Engine> {
  try {
    return await createEngine({ backend, threads });
  } catch (e) {
    throw new UsageError(`--backend ${backend}: ${(e as Error).message}`);
  }
}

/** Builds each optimizer on a probe, so that a bad option value is reported before any training. */
export function checkOptimizers(specs: readonly OptimizerSpec[], engine: Engine, options: { allowClosure?: boolean } = {}): void {
  const seen = new Set<string>();
  for (const spec of specs) {
    if (spec.needsClosure && !options.allowClosure) {
      throw new UsageError(`--opt '${spec.kind}': ${spec.label} needs a closure that re-evaluates the loss, which mini-batch training does not give (try it in 'wasm-optim landscape')`);
    }
    if (seen.has(spec.name)) throw new UsageError(`--opt '${spec.name}' is given twice`);
    seen.add(spec.name);
    try {
      checkOptimizerSpec(spec, engine);
    } catch (e) {
      throw new UsageError(`--opt ${(e as Error).message}`);
    }
  }
}

export function checkSchedule(spec: ScheduleSpec | undefined, engine: Engine, run: ScheduleContext): void {
  if (!spec) return;
  try {
    checkScheduleSpec(spec, engine, run);
  } catch (e) {
    throw new UsageError(`--schedule ${(e as Error).message.replace(/^schedule /, "")}`);
  }
}

export type { ModelSpec, OptimizerSpec, ScheduleSpec };
