// wasm-optim train: one training run with fit(), checkpoints (--save every epoch, --resume to continue: the same
// flags then give the weights of a run never stopped), safetensors export, and a report.
import { Command } from "commander";
import { basename } from "node:path";
import { plural } from "../lab/format.js";
import { defaultLoss, labModel } from "../lab/setup.js";
import { trainReport } from "../lab/html/train-report.js";
import type { OptimizerSpec } from "../lab/spec-optimizers.js";
import { toCsv } from "../report/csv.js";
import { gradientNormsJson } from "../lab/compare-export.js";
import { checkpoint, exportSafetensors, readCheckpoint } from "../train/checkpoint-file.js";
import type { Checkpoint } from "../train/checkpoint.js";
import { fit } from "../train/fit.js";
import { perplexity } from "../nn/metrics.js";
import { formatEpochSummary, type ProgressReporter } from "../train/reporter.js";
import type { CommonRunFlags } from "./compare.js";
import { commandLine } from "./compare.js";
import { loadData } from "./data.js";
import {
  addDataOptions, addModelOption, addTrainingOptions, applyWeightDecay, checkOptimizers, checkSchedule, collectOptimizer, engineFor, finishRunCommand, OPT_HELP,
} from "./options.js";
import { OPTIMIZER_SPECS, optimizerSpec, parseOptimizerSpec } from "../lab/spec-optimizers.js";
import type { SpecValue } from "../lab/spec.js";
import { describeDivergence } from "../train/divergence.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { addPenaltyOptions, describePenalty, penaltyOptions, type PenaltyFlags } from "./penalty.js";
import { RunFailed, UsageError } from "./usage.js";

interface TrainFlags extends CommonRunFlags, PenaltyFlags {
  save?: string;
  resume?: string;
  export?: string;
}

export function trainCommand(): Command {
  const cmd = new Command("train").description("one training run: progress per epoch, checkpoints to save and resume, safetensors export, a report");
  addDataOptions(cmd);
  addModelOption(cmd, "mlp:128");
  cmd.option("--opt <spec>", `${OPT_HELP} (default adam:lr=1e-3)`, collectOptimizer);
  addTrainingOptions(cmd, { batch: 64, epochs: 10 });
  addPenaltyOptions(cmd);
  cmd
    .option("--save <file>", "write a checkpoint (weights, optimizer, schedule, RNG and position) after every epoch, atomically")
    .option("--resume <file>", "continue from a checkpoint (and keep saving to it unless --save names another file); --epochs counts all epochs, those done included")
    .option("--export <file>", "write the final weights as safetensors (PyTorch state_dict names)");
  return finishRunCommand(cmd, "report (report.html, history.json, history.csv)", [
    "wasm-optim train --opt sgd:lr=0.05,momentum=0.9 --epochs 20 --save run.ckpt",
    "wasm-optim train --opt sgd:lr=0.05,momentum=0.9 --epochs 30 --resume run.ckpt --export model.safetensors",
  ], runTrain);
}

async function runTrain(flags: TrainFlags): Promise<void> {
  if (flags.opt && flags.opt.length > 1) throw new UsageError(`train takes one --opt (got ${flags.opt.length}); use 'wasm-optim compare' for several`);
  const savePath = flags.save ?? flags.resume;
  const data = await loadData(flags);
  const dir = await prepareReport(
    flags,
    `train-${data.name}`,
    [savePath ? { flag: flags.save ? "--save" : "--resume", path: savePath } : null, flags.export ? { flag: "--export", path: flags.export } : null],
    [flags.resume && flags.save ? { flag: "--resume", path: flags.resume } : null],
  );
  const engine = await engineFor(flags.backend, flags.threads);
  const batch = flags.batch === "full" ? data.train.length : Math.min(flags.batch, data.train.length);
  const stepsPerEpoch = Math.ceil(data.train.length / batch);
  let resumeFrom: Checkpoint | undefined;
  if (flags.resume) {
    try {
      resumeFrom = await readCheckpoint(flags.resume);
    } catch (e) {
      throw new UsageError(`--resume ${flags.resume}: ${(e as Error).message}`);
    }
  }
  const resumed = resumeFrom ? resumeOptimizer(resumeFrom, flags) : null;
  const [spec] = applyWeightDecay([resumed?.spec ?? flags.opt?.[0] ?? parseOptimizerSpec("adam:lr=1e-3")], flags.weightDecay) as [OptimizerSpec];
  try {
    checkOptimizers([spec], engine);
  } catch (e) {
    // Options taken from the checkpoint are the file's fault, not a flag's.
    if (resumed) throw new UsageError(`--resume ${flags.resume}: the checkpoint's ${(e as Error).message.replace(/^--opt /, "")}`);
    throw e;
  }
  checkSchedule(flags.schedule, engine, { epochs: flags.epochs, stepsPerEpoch });
  const penalty = penaltyOptions(flags);
  if (resumeFrom) checkResumable(resumeFrom, flags);

  const lab = labModel(flags.model, data);
  const model = lab.build(engine, Math.max(batch, Math.min(256, data.test.length)), flags.seed);
  const optimizer = spec.make(model.parameters());
  const scheduled = flags.schedule?.create(optimizer, { epochs: flags.epochs, stepsPerEpoch }) ?? null;
  // What the run uses: the optimizer's options, or, when resuming, the checkpoint's with the changes asked for.
  const { params: _params, ...options } = { ...(resumed?.checkpoint.optimizer?.paramGroups[0] ?? optimizer.paramGroups[0]!) } as Record<string, unknown>;
  const out = humanOutput();
  out.write(`${data.description}\n${model.summary()}\n${spec.name}, ${plural(flags.epochs, "epoch")}, batch ${flags.batch}${describePenalty(flags)}, ${engine.backend} kernels\n`);
  const resumedAt = resumeFrom?.training?.epoch;
  if (resumedAt !== undefined) out.write(`resuming after epoch ${resumedAt} from ${flags.resume}${resumed?.changes.length ? `, with ${resumed.changes.join(", ")}` : ""}\n`);

  const history = await fit(model, lab.train, {
    optimizer,
    loss: defaultLoss(lab.train),
    epochs: flags.epochs,
    batchSize: batch,
    seed: flags.seed,
    validationData: lab.test ?? undefined,
    scheduler: scheduled?.scheduler ?? null,
    schedulerStep: scheduled?.per ?? "epoch",
    clipGradNorm: flags.clip,
    ...penalty,
    recordGradientNorms: flags.gradNorms === true,
    // A NaN loss or gradient is a divergence like a loss that rose far above its start: the run stops there, and
    // the report says so.
    nonFinite: "skip",
    divergence: { stop: true },
    // A checkpoint written by --save holds its callback's state, so a resumed run keeps checkpointing (to --save,
    // or else to the file it resumed from) and has the same callbacks.
    callbacks: savePath ? [checkpoint({ path: savePath })] : [],
    resumeFrom: resumed?.checkpoint,
    ...(out.isTTY ? {} : { progress: epochLines() }),
  });
  const last = history.epochs[history.epochs.length - 1];
  if (last && data.train.labelSize > 1) {
    // A label per step: a language model, whose mean cross-entropy per step reads better as a perplexity.
    const test = Number.isNaN(last.valLoss) ? "" : `, test ${perplexity(last.valLoss).toFixed(2)}`;
    out.write(`Perplexity: train ${perplexity(last.loss).toFixed(2)}${test} (exp of the mean cross-entropy per step; ${data.train.numClasses} symbols)\n`);
  }
  if (savePath && history.epochs.length > (resumedAt ?? 0)) out.write(`Checkpoint: ${savePath}\n`);
  if (flags.export) {
    await exportSafetensors(model, flags.export);
    out.write(`Weights: ${flags.export} (safetensors)\n`);
  }
  const html = await trainReport({
    history, optimizer: { name: spec.name, label: spec.label, options }, stepsPerEpoch, dataDescription: data.description,
    model: model.summary(), command: commandLine(), resumedAt, clip: flags.clip,
  });
  await writeReportFiles(dir, html, {
    "history.json": {
      optimizer: spec.name, options, epochs: history.epochs, stepLosses: Array.from(history.stepLosses), divergence: history.divergence,
      ...(history.gradientNorms ? { gradientNorms: gradientNormsJson(history.gradientNorms), clippedSteps: history.clippedSteps } : {}),
    },
    "history.csv": toCsv(history.epochs.map((e) => ({ epoch: e.epoch + 1, loss: e.loss, accuracy: e.accuracy, test_loss: e.valLoss, test_accuracy: e.valAccuracy, lr: e.lr, seconds: e.seconds }))),
  });
  if (history.divergence) {
    throw new RunFailed(`the run diverged: ${describeDivergence(history.divergence)}; it stopped there (the report says more). Try a smaller learning rate, a warm-up or --clip.`);
  }
}

/**
 * The optimizer of a resumed run: the checkpoint's, with the options --opt gives explicitly applied to every
 * parameter group (PyTorch's load_state_dict, then editing param_groups). Without --opt, the checkpoint's as it is.
 */
function resumeOptimizer(checkpoint: Checkpoint, flags: TrainFlags): { spec: OptimizerSpec; checkpoint: Checkpoint; changes: string[] } | null {
  const saved = checkpoint.optimizer;
  if (!saved) return null;
  const kind = Object.keys(OPTIMIZER_SPECS).find((k) => OPTIMIZER_SPECS[k]!.label === saved.optimizer);
  if (!kind) throw new UsageError(`--resume ${flags.resume}: the checkpoint holds the state of an unknown optimizer '${saved.optimizer}'`);
  const given = flags.opt?.[0];
  if (given && given.kind !== kind) {
    throw new UsageError(`--opt ${given.kind}: the checkpoint ${flags.resume} holds the state of ${saved.optimizer}; resume with --opt ${kind}[:options to change] or without --opt`);
  }
  const first = saved.paramGroups[0] ?? {};
  const changes: string[] = [];
  const overrides: Record<string, SpecValue> = {};
  for (const [key, value] of Object.entries(given?.options ?? {})) {
    if (JSON.stringify(first[key]) === JSON.stringify(value)) continue;
    overrides[key] = value;
    changes.push(`${key} ${JSON.stringify(value)} (the checkpoint had ${JSON.stringify(first[key])})`);
  }
  const scheduled = SCHEDULED_KEYS.filter((k) => k in overrides);
  if (scheduled.length && checkpoint.scheduler) {
    throw new UsageError(
      `--opt ${scheduled.join(", ")}: the checkpoint's ${String(checkpoint.scheduler.scheduler)} schedule sets ${scheduled.length === 1 ? "it" : "them"} at every step, so the change would not hold; ` +
        `resume without changing ${scheduled.join(" or ")}, or start a new run`,
    );
  }
  const paramGroups = saved.paramGroups.map((g) => ({ ...g, ...structuredClone(overrides) }));
  const options = Object.fromEntries(OPTIMIZER_SPECS[kind]!.options.filter((k) => k in first).map((k) => [k, (k in overrides ? overrides[k] : first[k]) as SpecValue]));
  return {
    spec: { ...optimizerSpec(kind, options), name: given?.name ?? `${saved.optimizer} (from ${basename(flags.resume!)})` },
    checkpoint: { ...checkpoint, optimizer: { ...saved, paramGroups } },
    changes,
  };
}

/** Hyperparameters that learning-rate schedules write into the parameter groups. */
const SCHEDULED_KEYS = ["lr", "momentum", "betas"];

/** A resumed run must have epochs left, and a schedule when the checkpoint has one. */
function checkResumable(checkpoint: Checkpoint, flags: TrainFlags): void {
  const done = checkpoint.training?.epoch;
  if (done !== undefined && done >= flags.epochs) {
    throw new UsageError(`--epochs ${flags.epochs}: the checkpoint ${flags.resume} is already at epoch ${done}; --epochs counts all epochs, those done included: give more than ${done}`);
  }
  if (checkpoint.scheduler && !flags.schedule) {
    throw new UsageError(`--resume ${flags.resume}: the checkpoint's run has a ${String(checkpoint.scheduler.scheduler)} schedule; give the same --schedule to resume it`);
  }
}

/** Without a terminal: one line per epoch. */
function epochLines(): ProgressReporter {
  return {
    epochBegin() {},
    batchEnd() {},
    epochEnd: (s) => void humanOutput().write(`${formatEpochSummary(s)}\n`),
    end() {},
  };
}
