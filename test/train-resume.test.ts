// Determinism and bit-exact resumption: a run interrupted (by an exception, as a crash would) and resumed from its
// last checkpoint ends with the same bits as the run that was never interrupted.
import { describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import type { Backend } from "../src/engine/backend.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Adam } from "../src/optim/adam.js";
import { StepLR } from "../src/optim/schedulers/step-lr.js";
import { OneCycleLR } from "../src/optim/schedulers/one-cycle-lr.js";
import { checkpointCallback, earlyStopping, type Callback } from "../src/train/callbacks.js";
import { fit, type FitOptions } from "../src/train/fit.js";
import type { History } from "../src/train/history.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";

const { train, test } = loadDigits();
const EPOCHS = 4;
const BATCHES = Math.ceil(train.length / 32); // 45

interface RunOptions {
  backend?: Backend;
  /** Save a checkpoint every n steps, or at every epoch's end. */
  every?: number | "epoch";
  /** Throw from a callback after this step (a crash); the checkpoint of that step, if any, is written first. */
  crashAfter?: number;
  resumeFrom?: Uint8Array;
  perBatchScheduler?: boolean;
}

/** An MLP with BatchNorm and Dropout, Adam, a scheduler, early stopping and checkpoints into memory. */
async function run(options: RunOptions = {}) {
  const { model } = await digitsMlp({ backend: options.backend ?? "simd", batchSize: 32, dropout: 0.2, batchNorm: true, seed: 7 });
  const optimizer = new Adam(model.parameters(), { lr: 2e-3, weightDecay: 1e-4 });
  const scheduler = options.perBatchScheduler
    ? new OneCycleLR(optimizer, { maxLr: 5e-3, totalSteps: EPOCHS * BATCHES })
    : new StepLR(optimizer, { stepSize: 2, gamma: 0.5 });
  const saved: Uint8Array[] = [];
  const crash: Callback = {
    onBatchEnd(ctx) {
      if (ctx.step === options.crashAfter) throw new Error("simulated crash");
    },
  };
  const callbacks = [
    earlyStopping({ monitor: "valLoss", patience: 10, restoreBestWeights: true }),
    checkpointCallback({ every: options.every ?? "epoch", write: (bytes) => void saved.push(bytes) }),
    crash,
  ];
  const fitOptions: FitOptions = {
    optimizer, scheduler, schedulerStep: options.perBatchScheduler ? "batch" : "epoch", loss: new CrossEntropyLoss(),
    epochs: EPOCHS, batchSize: 32, seed: 3, validationData: test, callbacks, verbose: 0, resumeFrom: options.resumeFrom,
  };
  let history: History | null = null;
  let error: Error | null = null;
  try {
    history = await fit(model, train, fitOptions);
  } catch (e) {
    error = e as Error;
  }
  return { model, history, error, saved, optimizer };
}

/** The history without wall times, which differ between runs. */
function comparable(history: History) {
  return { epochs: history.epochs.map(({ seconds: _s, samplesPerSecond: _r, ...rest }) => rest), losses: Array.from(history.stepLosses) };
}

describe("determinism", () => {
  it("the same seed twice gives bit-identical weights and histories", async () => {
    const a = await run();
    const b = await run();
    expect(bits(weightsOf(a.model))).toEqual(bits(weightsOf(b.model)));
    expect(comparable(a.history!)).toEqual(comparable(b.history!));
    expect(a.history!.steps).toBe(EPOCHS * BATCHES);
  });

  it("the simd, scalar and js backends train to the same bits", async () => {
    const runs = await Promise.all((["simd", "scalar", "js"] as const).map((backend) => run({ backend })));
    const reference = bits(weightsOf(runs[0]!.model));
    for (const r of runs.slice(1)) expect(bits(weightsOf(r.model))).toEqual(reference);
  });
});

describe("resuming from a checkpoint", () => {
  const cases: [string, RunOptions][] = [
    ["mid-epoch (step 49 of epoch 2)", { every: 7, crashAfter: 50 }],
    ["at an epoch boundary (saved at the epoch's end)", { every: "epoch", crashAfter: 2 * BATCHES + 3 }],
    ["after the last batch of an epoch, before its end (validation, scheduler)", { every: 15, crashAfter: BATCHES + 1 }],
    ["mid-epoch with a per-batch scheduler (OneCycleLR)", { every: 10, crashAfter: 105, perBatchScheduler: true }],
  ];
  for (const [name, options] of cases) {
    it(`gives the weights of an uninterrupted run, bit for bit: ${name}`, async () => {
      const whole = await run({ perBatchScheduler: options.perBatchScheduler });
      expect(whole.error).toBeNull();
      const crashed = await run(options);
      expect(crashed.error?.message).toBe("simulated crash");
      expect(crashed.saved.length).toBeGreaterThan(0);
      expect(bits(weightsOf(crashed.model))).not.toEqual(bits(weightsOf(whole.model)));
      const resumed = await run({ ...options, crashAfter: undefined, resumeFrom: crashed.saved[crashed.saved.length - 1] });
      expect(resumed.error).toBeNull();
      expect(bits(weightsOf(resumed.model))).toEqual(bits(weightsOf(whole.model)));
      expect(comparable(resumed.history!)).toEqual(comparable(whole.history!));
      // The optimizer's state too: one more step would diverge otherwise.
      const a = whole.optimizer.stateDict(), b = resumed.optimizer.stateDict();
      expect(b).toEqual(a);
    });
  }
});
