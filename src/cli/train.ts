// wasm-optim train: one training run with fit(), checkpoints (--save every epoch, --resume to continue: the same
// flags then give the weights of a run never stopped), safetensors export, and a report.
import { Command } from "commander";
import { plural } from "../lab/format.js";
import { defaultLoss, labModel } from "../lab/setup.js";
import { trainReport } from "../lab/html/train-report.js";
import type { OptimizerSpec } from "../lab/spec-optimizers.js";
import { toCsv } from "../report/csv.js";
import { checkpoint, exportSafetensors, readCheckpoint } from "../train/checkpoint-file.js";
import type { Checkpoint } from "../train/checkpoint.js";
import { fit } from "../train/fit.js";
import { formatEpochSummary, type ProgressReporter } from "../train/reporter.js";
import type { CommonRunFlags } from "./compare.js";
import { commandLine } from "./compare.js";
import { loadData } from "./data.js";
import {
  addDataOptions, addModelOption, addTrainingOptions, applyWeightDecay, checkOptimizers, checkSchedule, collectOptimizer, engineFor, finishRunCommand, OPT_HELP,
} from "./options.js";
import { parseOptimizerSpec } from "../lab/spec-optimizers.js";
import { reportDir, writeReportFiles } from "./output.js";
import { UsageError } from "./usage.js";

interface TrainFlags extends CommonRunFlags {
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
  const data = await loadData(flags);
  const engine = await engineFor(flags.backend);
  const [spec] = applyWeightDecay([flags.opt?.[0] ?? parseOptimizerSpec("adam:lr=1e-3")], flags.weightDecay) as [OptimizerSpec];
  checkOptimizers([spec], engine);
  const batch = flags.batch === "full" ? data.train.length : Math.min(flags.batch, data.train.length);
  const stepsPerEpoch = Math.ceil(data.train.length / batch);
  checkSchedule(flags.schedule, engine, { epochs: flags.epochs, stepsPerEpoch });
  let resumeFrom: Checkpoint | undefined;
  if (flags.resume) {
    try {
      resumeFrom = await readCheckpoint(flags.resume);
    } catch (e) {
      throw new UsageError(`--resume ${flags.resume}: ${(e as Error).message}`);
    }
  }

  const savePath = flags.save ?? flags.resume;
  const lab = labModel(flags.model, data);
  const model = lab.build(engine, Math.max(batch, Math.min(256, data.test.length)), flags.seed);
  const optimizer = spec.make(model.parameters());
  const { params: _params, ...options } = { ...optimizer.paramGroups[0]! } as Record<string, unknown>;
  const scheduled = flags.schedule?.create(optimizer, { epochs: flags.epochs, stepsPerEpoch }) ?? null;
  const out = process.stdout;
  out.write(`${data.description}\n${model.summary()}\n${spec.name}, ${plural(flags.epochs, "epoch")}, batch ${flags.batch}, ${engine.backend} kernels\n`);
  const resumedAt = resumeFrom?.training?.epoch;
  if (resumedAt !== undefined) out.write(`resuming after epoch ${resumedAt} from ${flags.resume}\n`);

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
    // A checkpoint written by --save holds its callback's state, so a resumed run keeps checkpointing (to --save,
    // or else to the file it resumed from) and has the same callbacks.
    callbacks: savePath ? [checkpoint({ path: savePath })] : [],
    resumeFrom,
    ...(out.isTTY ? {} : { progress: epochLines() }),
  });
  if (savePath) out.write(`Checkpoint: ${savePath}\n`);
  if (flags.export) {
    await exportSafetensors(model, flags.export);
    out.write(`Weights: ${flags.export} (safetensors)\n`);
  }
  const html = await trainReport({
    history, optimizer: { name: spec.name, label: spec.label, options }, stepsPerEpoch, dataDescription: data.description,
    model: model.summary(), command: commandLine(), resumedAt,
  });
  await writeReportFiles(reportDir(flags, `train-${data.name}`), html, {
    "history.json": { optimizer: spec.name, options, epochs: history.epochs, stepLosses: Array.from(history.stepLosses) },
    "history.csv": toCsv(history.epochs.map((e) => ({ epoch: e.epoch + 1, loss: e.loss, accuracy: e.accuracy, test_loss: e.valLoss, test_accuracy: e.valAccuracy, lr: e.lr, seconds: e.seconds }))),
  });
}

/** Without a terminal: one line per epoch. */
function epochLines(): ProgressReporter {
  return {
    epochBegin() {},
    batchEnd() {},
    epochEnd: (s) => void process.stdout.write(`${formatEpochSummary(s)}\n`),
    end() {},
  };
}
