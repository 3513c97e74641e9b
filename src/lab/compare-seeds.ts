// What a comparison repeated over seeds says: per run, each metric's mean, sd and 95 % interval (seed-stats.ts)
// and the mean curves with their band; then every other run against the best one (lowest mean of the primary
// metric: the final test loss, or the final training loss without a test set), from paired per-seed differences,
// in one sentence each.
import type { CompareRun, RunSummary } from "./compare.js";
import { formatPlusMinus } from "./format.js";
import { pairedDifference, summarize, type PairedDifference, type Summary } from "./seed-stats.js";

export const SEED_METRICS = [
  "finalLoss", "finalAccuracy", "finalTestLoss", "finalTestAccuracy", "trainEvalLoss", "gap", "bestLoss", "stepsToTarget", "secondsToTarget", "seconds",
] as const satisfies readonly (keyof RunSummary)[];
export type SeedMetric = (typeof SEED_METRICS)[number];

/** A curve over seeds: the mean at each point and its 95 % interval (equal to the mean for one seed). */
export interface Band {
  mean: Float64Array;
  low: Float64Array;
  high: Float64Array;
}

export interface RunStatistics {
  name: string;
  /** Seeds that diverged. */
  diverged: number;
  metrics: Record<SeedMetric, Summary>;
  /** Each metric's value per seed (NaN where not measured). */
  values: Record<SeedMetric, number[]>;
  /** The smoothed training loss per step, and the test (or training) loss per epoch, over the seeds. */
  stepLoss: Band;
  epochLoss: Band;
  epochAccuracy: Band;
}

export interface SeedDifference {
  /** The best run and the one compared with it. */
  best: string;
  other: string;
  metric: SeedMetric;
  paired: PairedDifference;
  /** 'Adam's test loss is lower than SGD's in 5 of 5 seeds, by 0.031 ± 0.008 (95 % CI).' */
  statement: string;
}

export function seedStatistics(replicates: readonly (readonly CompareRun[])[], hasTest: boolean): { statistics: RunStatistics[]; differences: SeedDifference[] } {
  const runs = replicates[0]!.length;
  const statistics = Array.from({ length: runs }, (_, i) => runStatistics(replicates.map((seedRuns) => seedRuns[i]!), hasTest));
  const metric: SeedMetric = hasTest ? "finalTestLoss" : "finalLoss";
  const ranked = statistics.filter((s) => Number.isFinite(s.metrics[metric].mean)).sort((a, b) => a.metrics[metric].mean - b.metrics[metric].mean);
  const best = ranked[0];
  const differences = best
    // A run that diverged in every seed has nothing to compare (the summary says it diverged).
    ? statistics.filter((s) => s !== best && s.diverged < replicates.length).map((s) => difference(best, s, metric))
    : [];
  return { statistics, differences };
}

function runStatistics(seedRuns: readonly CompareRun[], hasTest: boolean): RunStatistics {
  const values = {} as Record<SeedMetric, number[]>;
  const metrics = {} as Record<SeedMetric, Summary>;
  for (const m of SEED_METRICS) {
    // A diverged run has no final figures: NaN, left out of the summary (diverged counts them).
    values[m] = seedRuns.map((r) => (r.summary.diverged && m !== "seconds" ? NaN : (r.summary[m] ?? NaN)));
    metrics[m] = summarize(values[m]);
  }
  const epochField = hasTest ? "valLoss" : "loss";
  const accuracyField = hasTest ? "valAccuracy" : "accuracy";
  return {
    name: seedRuns[0]!.name,
    diverged: seedRuns.filter((r) => r.summary.diverged).length,
    metrics,
    values,
    stepLoss: band(seedRuns.map((r) => r.smoothedLosses)),
    epochLoss: band(seedRuns.map((r) => r.history.series(epochField))),
    epochAccuracy: band(seedRuns.map((r) => r.history.series(accuracyField))),
  };
}

/** Point by point over the curves, as long as the shortest (a diverged run stops early). */
export function band(curves: readonly ArrayLike<number>[]): Band {
  const n = Math.min(...curves.map((c) => c.length));
  const out: Band = { mean: new Float64Array(n), low: new Float64Array(n), high: new Float64Array(n) };
  for (let t = 0; t < n; t++) {
    const s = summarize(curves.map((c) => c[t]!));
    out.mean[t] = s.mean;
    out.low[t] = s.n > 1 ? s.low : s.mean;
    out.high[t] = s.n > 1 ? s.high : s.mean;
  }
  return out;
}

const METRIC_WORDS: Partial<Record<SeedMetric, string>> = { finalTestLoss: "test loss", finalLoss: "training loss" };

function difference(best: RunStatistics, other: RunStatistics, metric: SeedMetric): SeedDifference {
  const paired = pairedDifference(best.values[metric], other.values[metric]);
  const words = METRIC_WORDS[metric] ?? metric;
  const d = paired.difference;
  const interval = `${formatPlusMinus(Math.abs(d.mean), d.halfWidth)} (95 % CI)`;
  let statement: string;
  if (paired.pairs < 2) {
    statement = `${best.name}'s ${words} is ${d.mean < 0 ? "lower than" : "the same as"} ${other.name}'s on ${paired.pairs === 1 ? "the one seed" : "no common seed"}: one seed cannot tell a difference from seed noise (use --seeds 3 or more).`;
  } else if (paired.significant) {
    statement = `${best.name}'s ${words} is lower than ${other.name}'s in ${paired.lower} of ${paired.pairs} seeds, by ${interval}: larger than the seed noise.`;
  } else {
    statement = `${best.name} and ${other.name} are indistinguishable on ${words}: the difference, ${formatPlusMinus(-d.mean, d.halfWidth)} (95 % CI), includes 0` +
      ` (${best.name} lower in ${paired.lower} of ${paired.pairs} seeds).`;
  }
  return { best: best.name, other: other.name, metric, paired, statement };
}
