// tune: 'lr' — each run gets its own learning rate before a comparison, as a fair benchmark must (untuned
// comparisons mostly measure the default learning rates). Per run:
//
//   split      the training set 80/20 (stratified, seeded): fit on the 80 %, score on the 20 % (the test set is
//              never looked at)
//   ladder     five rungs of the 1-3-10 ladder around the run's own lr, extended past an edge until the
//              validation loss turns up (lr-search.ts)
//   score      the lowest validation loss over ⌈epochs / 4⌉ epochs (the run's batch size and schedule);
//              a diverged run scores worst
//   choice     the best bracketed rate (or the best at the edge, said so)
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import type { Loss } from "../nn/losses.js";
import { compareOptimizers, type LabOptimizer } from "./compare.js";
import { bracketSearch, describeSearch, ladder, type BracketResult, type SearchPoint } from "./lr-search.js";
import type { LabData, ModelSource } from "./setup.js";

export interface LrTuning {
  name: string;
  /** The rate the run was given, and the rate chosen. */
  initialLr: number;
  lr: number;
  search: BracketResult<SearchPoint>;
  epochs: number;
  trainSamples: number;
  validationSamples: number;
  /** How it was chosen, in a sentence. */
  how: string;
}

export interface TuneOptions {
  engine: Engine;
  data: LabData;
  model: ModelSource;
  loss: Loss;
  seed: number;
  runs: readonly LabOptimizer[];
  clip?: number;
  weightDecay?: number;
  onSearch?: (run: number, lrs: readonly number[]) => void;
}

export async function tuneLearningRates(options: TuneOptions): Promise<LrTuning[]> {
  const { engine, seed } = options;
  const [fitPart, validation] = options.data.train.split(0.8, seed);
  const data = { train: fitPart!.derive({ name: `${options.data.train.name}, 80 % for tuning` }), test: validation!.derive({ name: "validation split" }) };
  const out: LrTuning[] = [];
  for (const [index, run] of options.runs.entries()) {
    const initialLr = (run.make([engine.parameter([0.5], [1], "probe")]).paramGroups[0] as { lr?: number }).lr;
    if (!(initialLr! > 0)) throw new RangeError(`tune: '${run.name}' has no learning rate to tune`);
    const epochs = Math.max(1, Math.ceil((run.epochs ?? 1) / 4));
    const search = await bracketSearch(ladder(initialLr!, 2, 2), async (lrs) => {
      options.onSearch?.(index, lrs);
      const compared = await compareOptimizers({
        engine, data, model: options.model, loss: options.loss, seed, epochs, batchSize: run.batchSize ?? 32, clip: options.clip, weightDecay: options.weightDecay, warmup: false,
        optimizers: lrs.map((lr) => ({ ...run, epochs, name: `lr ${lr}`, make: (p: Parameter[]) => withLr(run.make(p), lr) })),
      });
      return compared.runs.map((r, i) => ({ lr: lrs[i]!, loss: r.summary.diverged ? NaN : r.summary.bestLoss, diverged: r.summary.diverged }));
    });
    const lr = search.best >= 0 ? search.points[search.best]!.lr : initialLr!;
    out.push({
      name: run.name, initialLr: initialLr!, lr, search, epochs, trainSamples: data.train.length, validationSamples: data.test.length,
      how: `${describeSearch(search)}, scored by the validation loss after ${epochs} epoch${epochs === 1 ? "" : "s"} on a split of ${data.train.length} / ${data.test.length} training samples`,
    });
  }
  return out;
}

/** Sets every parameter group's lr. */
export function withLr<T extends { paramGroups: object[] }>(optimizer: T, lr: number): T {
  for (const g of optimizer.paramGroups as unknown as { lr: number }[]) g.lr = lr;
  return optimizer;
}
