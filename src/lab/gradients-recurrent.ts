// Optimizers on recurrent networks: SGD, SGD with momentum, RMSprop, Adam and AdamW on two tasks, an LSTM and a
// vanilla (tanh) RNN on the adding problem, each without and with gradient clipping, through compareOptimizers
// (every run from the same initial weights and batches). Two common claims are then judged from the results:
//
//   adaptive:  "RMSprop and Adam suit RNNs": on a task, the best final test loss of RMSprop / Adam / AdamW is
//              below the best of SGD / SGD with momentum (without clipping), by more than 5 %
//   clipping:  "clipping is needed": on a task, some optimizer diverged without clipping and not with it, or
//              clipping lowered the final test loss by more than 5 % for most of the optimizers
import { makeAddingProblem } from "../data/sequences.js";
import type { Engine } from "../engine/engine.js";
import { createEngine } from "../engine/engine.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { Linear } from "../nn/linear.js";
import { LSTM } from "../nn/lstm.js";
import { RNN } from "../nn/rnn.js";
import { Adam } from "../optim/adam.js";
import { AdamW } from "../optim/adamw.js";
import { RMSprop } from "../optim/rmsprop.js";
import { SGD } from "../optim/sgd.js";
import { compareOptimizers, type CompareResult, type LabOptimizer } from "./compare.js";

export interface RecurrentOptimizersOptions {
  engine?: Engine;
  /** Steps of the adding problem for the LSTM (default 30) and for the RNN (default 15). */
  lstmLength?: number;
  rnnLength?: number;
  /** Training sequences (default 1600; a quarter more for the test). */
  samples?: number;
  /** Hidden units (default 32). */
  hidden?: number;
  /** clipGradNorm's maxNorm in the clipped runs (default 1). */
  clip?: number;
  epochs?: number;
  batchSize?: number;
  seed?: number;
  optimizers?: readonly LabOptimizer[];
  onProgress?: (event: { task: string; clipped: boolean; run: number; runs: number; name: string; done: boolean }) => void;
}

export interface RecurrentTask {
  name: string;
  /** 'LSTM' or 'RNN'. */
  cell: string;
  length: number;
  withoutClipping: CompareResult;
  withClipping: CompareResult;
}

export interface Claim {
  claim: string;
  /** Per task: supported or not, and the numbers behind it in a sentence. */
  verdicts: { task: string; supported: boolean; because: string }[];
}

export interface RecurrentOptimizersResult {
  tasks: RecurrentTask[];
  claims: Claim[];
  clip: number;
  hidden: number;
  samples: number;
  seconds: number;
}

/** The line-up: SGD at rates that train these tasks without clipping, the adaptive methods at 3e-3. */
export function recurrentLineUp(): LabOptimizer[] {
  return [
    { name: "SGD", make: (p) => new SGD(p, { lr: 0.05 }) },
    { name: "SGD+momentum", make: (p) => new SGD(p, { lr: 0.01, momentum: 0.9 }) },
    { name: "RMSprop", make: (p) => new RMSprop(p, { lr: 3e-3 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 3e-3 }) },
    { name: "AdamW", make: (p) => new AdamW(p, { lr: 3e-3, weightDecay: 0.01 }) },
  ];
}

const ADAPTIVE = new Set(["RMSprop", "Adam", "AdamW"]);
const MARGIN = 0.05;

export async function recurrentOptimizers(options: RecurrentOptimizersOptions = {}): Promise<RecurrentOptimizersResult> {
  checkOptions("recurrentOptimizers", options, RECURRENT_OPTIONS);
  const { lstmLength = 30, rnnLength = 15, samples = 1600, hidden = 32, clip = 1, epochs = 8, batchSize = 32, seed = 0, onProgress } = options;
  for (const [name, v] of Object.entries({ lstmLength, rnnLength, samples, hidden, epochs, batchSize })) {
    if (!Number.isInteger(v) || v < 1) throw new RangeError(`recurrentOptimizers: ${name} must be a positive integer, got ${v}`);
  }
  if (!(clip > 0)) throw new RangeError(`recurrentOptimizers: clip must be > 0, got ${clip}`);
  const started = performance.now();
  const engine = options.engine ?? (await createEngine());
  const optimizers = options.optimizers ?? recurrentLineUp();
  const tasks: RecurrentTask[] = [];
  for (const [cell, length] of [["LSTM", lstmLength], ["RNN", rnnLength]] as const) {
    const name = `${cell} on the adding problem (T = ${length})`;
    const data = { train: makeAddingProblem({ samples, length, seed }), test: makeAddingProblem({ samples: Math.ceil(samples / 4), length, seed: seed + 1 }) };
    const model = () => [cell === "LSTM" ? new LSTM(2, hidden, { returnSequences: false }) : new RNN(2, hidden, { returnSequences: false }), new Linear(hidden, 1)];
    const run = (clipped: boolean) =>
      compareOptimizers({
        engine, data, model, optimizers, epochs, batchSize, seed, warmup: false, ...(clipped ? { clip } : {}),
        onProgress: (e) => {
          if (e.type === "run-start" || e.type === "run-end") onProgress?.({ task: name, clipped, run: e.run, runs: e.runs, name: e.name, done: e.type === "run-end" });
        },
      });
    tasks.push({ name, cell, length, withoutClipping: await run(false), withClipping: await run(true) });
  }
  return { tasks, claims: [adaptiveClaim(tasks), clippingClaim(tasks, clip)], clip, hidden, samples, seconds: (performance.now() - started) / 1000 };
}

/** The final test loss of a run, +∞ when it diverged. */
function score(result: CompareResult, name: string): number {
  const s = result.runs.find((r) => r.name === name)?.summary;
  return !s || s.diverged || !Number.isFinite(s.finalTestLoss) ? Infinity : s.finalTestLoss;
}

function best(result: CompareResult, adaptive: boolean): { name: string; loss: number } | null {
  const runs = result.runs.filter((r) => ADAPTIVE.has(r.name) === adaptive);
  if (runs.length === 0) return null;
  return runs.map((r) => ({ name: r.name, loss: score(result, r.name) })).sort((a, b) => a.loss - b.loss)[0]!;
}

function fmt(loss: number): string {
  return Number.isFinite(loss) ? String(Number(loss.toPrecision(3))) : "diverged";
}

function adaptiveClaim(tasks: RecurrentTask[]): Claim {
  return {
    claim: "RMSprop and Adam suit recurrent networks better than SGD",
    verdicts: tasks.flatMap((t) => {
      const a = best(t.withoutClipping, true), s = best(t.withoutClipping, false);
      if (!a || !s) return [];
      const supported = a.loss < (1 - MARGIN) * s.loss;
      return [{ task: t.name, supported, because: `best adaptive ${a.name} ${fmt(a.loss)} against best SGD ${s.name} ${fmt(s.loss)} (final test loss, without clipping)` }];
    }),
  };
}

function clippingClaim(tasks: RecurrentTask[], clip: number): Claim {
  return {
    claim: `clipping (here clipGradNorm ${clip}) is needed to train recurrent networks`,
    verdicts: tasks.map((t) => {
      const names = t.withoutClipping.runs.map((r) => r.name);
      const rescued = names.filter((n) => score(t.withoutClipping, n) === Infinity && score(t.withClipping, n) < Infinity);
      const improved = names.filter((n) => score(t.withClipping, n) < (1 - MARGIN) * score(t.withoutClipping, n));
      const supported = rescued.length > 0 || improved.length > names.length / 2;
      const because = rescued.length
        ? `without clipping ${rescued.join(", ")} diverged, with clipping ${rescued.length === 1 ? "it did" : "they did"} not`
        : `no run diverged without clipping; clipping lowered the final test loss by more than ${100 * MARGIN} % for ${improved.length} of ${names.length} optimizers${improved.length ? ` (${improved.join(", ")})` : ""}`;
      return { task: t.name, supported, because };
    }),
  };
}

/** The keys recurrentOptimizers accepts (tsc checks the list against RecurrentOptimizersOptions). */
const RECURRENT_OPTIONS = keysOf<RecurrentOptimizersOptions>({ engine: 1, lstmLength: 1, rnnLength: 1, samples: 1, hidden: 1, clip: 1, epochs: 1, batchSize: 1, seed: 1, optimizers: 1, onProgress: 1 });
