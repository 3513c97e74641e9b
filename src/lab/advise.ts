// advise: which optimizer, and how carefully its learning rate must be chosen. For each optimizer, a short run
// (compareOptimizers: same initial weights, same batches) at every learning rate of a grid, then
//
//   quality      the best validation loss over the grid (training loss without a test set)
//   speed        steps until the smoothed training loss first reaches a common target: the median over the
//                optimizers of the lowest smoothed loss at their best lr, rounded up to two digits
//   sensitivity  the band of grid lrs around the best one, contiguous, whose loss is within `tolerance` (default
//                25 %) of the best: its width log10(high / low) in decades. Wide = forgiving.
//
// The grid: given, or 'auto': an LR range test (lrFind) per optimizer, and the 1-3-10 ladder of seven rates from
// two decades below its suggestion to one decade above (the suggestion, at the steepest fall of a lagging
// smoothed curve, tends to sit on the high side). Either way the search extends past an edge until the loss
// turns up there, i.e. rises above (1 + tolerance) × the best or diverges (lr-search.ts); an optimum it did not
// bracket ranks after those it did.
// With seeds > 1, each optimizer's best rate is run again over the seeds, the ranking uses the seed-averaged
// quality, and the summary says which optimizers the seed noise cannot tell apart (compare-seeds.ts).
// Optimizers are ranked by quality; the summary says it in sentences.
import { createEngine, type Engine } from "../engine/engine.js";
import type { Loss } from "../nn/losses.js";
import { compareOptimizers, type CompareProgress, type LabOptimizer, type RunSummary } from "./compare.js";
import { formatLoss, formatLr } from "./format.js";
import { lrFind, type LrFindResult } from "./lr-find.js";
import type { LabData, ModelSource } from "./setup.js";
import { firstAtOrBelow, median, roundUpSignificant } from "./stats.js";
import { bracketSearch, ladder } from "./lr-search.js";
import { withLr } from "./tune.js";
import type { Summary } from "./seed-stats.js";
import { checkOptions, keysOf } from "../engine/options.js";

export interface AdviseOptions {
  engine?: Engine;
  data: LabData;
  model: ModelSource;
  optimizers: readonly LabOptimizer[];
  /** Learning rates to try: one grid for all, one per optimizer name, or 'auto' (default). */
  lrGrid?: readonly number[] | Readonly<Record<string, readonly number[]>> | "auto";
  /** Epochs per run (default 3). */
  epochs?: number;
  /** Default 32. */
  batchSize?: number | "full";
  seed?: number;
  /** Run each optimizer's best rate over this many seeds and rank on the means (default 1). */
  seeds?: number;
  loss?: Loss;
  /** A loss within (1 + tolerance) × the best counts as working (default 0.25). */
  tolerance?: number;
  /** The loss whose first crossing is counted (default: see above). */
  targetLoss?: number;
  onProgress?: (event: AdviseProgress) => void;
}

export type AdviseProgress =
  | { type: "lr-find"; optimizer: string; index: number; count: number }
  | { type: "grid"; optimizer: string; index: number; count: number; lrs: readonly number[] }
  | ({ optimizer: string } & CompareProgress);

export interface GridPoint {
  lr: number;
  /** The best validation (or training) loss over the epochs; NaN when the run diverged before an epoch ended. */
  loss: number;
  stepsToTarget: number | null;
  diverged: boolean;
  summary: RunSummary;
  /** Smoothed training loss of every step. */
  smoothedLosses: Float64Array;
}

export interface OptimizerAdvice {
  name: string;
  label: string;
  rank: number;
  grid: GridPoint[];
  /** The lr with the lowest loss, and that loss (NaN when every run diverged). */
  bestLr: number;
  bestLoss: number;
  /** The contiguous band of working rates around bestLr, and its width in decades (0 for a single rate). */
  band: { low: number; high: number; decades: number; atGridEdge: boolean };
  /** At the best lr. */
  stepsToTarget: number | null;
  lrFind: LrFindResult | null;
  /** A worse rate on each side of the best (else the best sat on the edge of the rates tried when the search stopped). */
  bracketed: boolean;
  /** Rungs the search added below and above the first grid. */
  extended: { below: number; above: number };
  /** With seeds > 1: the quality (best validation loss) at bestLr over the seeds. */
  seedQuality: Summary | null;
}

export interface AdviceResult {
  /** Best first. */
  optimizers: OptimizerAdvice[];
  target: number;
  tolerance: number;
  epochs: number;
  seeds: number[];
  /** With seeds > 1: the best optimizer against each other one (paired per-seed differences). */
  differences: string[];
  /** A few sentences in plain language. */
  summary: string;
  seconds: number;
}

export async function advise(options: AdviseOptions): Promise<AdviceResult> {
  checkOptions("advise", options, ADVISE_OPTIONS);
  const { epochs = 3, batchSize = 32, seed = 0, seeds = 1, tolerance = 0.25, lrGrid = "auto", onProgress } = options;
  if (!(tolerance > 0)) throw new RangeError(`advise: tolerance must be > 0, got ${tolerance}`);
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`advise: seeds must be a positive integer, got ${seeds}`);
  if (options.optimizers.length === 0) throw new RangeError("advise: optimizers is empty");
  const started = performance.now();
  const engine = options.engine ?? (await createEngine());
  const count = options.optimizers.length;
  const results: Omit<OptimizerAdvice, "rank" | "stepsToTarget" | "seedQuality">[] = [];
  let warmup = true;
  for (const [index, o] of options.optimizers.entries()) {
    let found: LrFindResult | null = null;
    let grid: readonly number[];
    if (lrGrid === "auto") {
      onProgress?.({ type: "lr-find", optimizer: o.name, index, count });
      found = await lrFind({ engine, model: options.model, data: options.data, optimizer: o.make, loss: options.loss, batchSize: o.batchSize ?? batchSize, seed });
      grid = ladderAround(found.suggestion ?? found.minLossLr / 10);
    } else {
      grid = Array.isArray(lrGrid) ? lrGrid : (lrGrid as Record<string, readonly number[]>)[o.name] ?? [];
      if (grid.length === 0) throw new RangeError(`advise: lrGrid has no learning rates for '${o.name}'`);
      grid.forEach((lr, i) => {
        if (!(lr > 0 && Number.isFinite(lr))) throw new RangeError(`advise: lrGrid for '${o.name}' has an invalid lr ${lr} at position ${i}`);
      });
    }
    let label = o.label;
    const search = await bracketSearch(grid, async (lrs) => {
      onProgress?.({ type: "grid", optimizer: o.name, index, count, lrs });
      const compared = await compareOptimizers({
        engine, data: options.data, model: options.model, epochs, batchSize, seed, loss: options.loss, warmup,
        optimizers: lrs.map((lr) => ({ ...o, name: `${o.name} @ ${formatLr(lr)}`, make: (params) => withLr(o.make(params), lr) })),
        onProgress: onProgress && ((e) => onProgress({ ...e, optimizer: o.name })),
      });
      warmup = false;
      label ??= compared.runs[0]!.label;
      return compared.runs.map((run, i): GridPoint => ({
        lr: lrs[i]!, loss: run.summary.bestLoss, stepsToTarget: null, diverged: run.summary.diverged, summary: run.summary, smoothedLosses: run.smoothedLosses,
      }));
    }, { margin: tolerance });
    const points = search.points;
    const best = bestIndex(points);
    results.push({
      name: o.name,
      label: label!,
      grid: points,
      bestLr: best >= 0 ? points[best]!.lr : NaN,
      bestLoss: best >= 0 ? points[best]!.loss : NaN,
      band: band(points, best, tolerance),
      lrFind: found,
      bracketed: search.bracketed,
      extended: search.extended,
    });
  }
  const target = options.targetLoss ?? roundUpSignificant(median(results.map((r) => lowestSmoothed(r.grid.find((p) => p.lr === r.bestLr)))));
  const advice: OptimizerAdvice[] = results.map((r) => {
    for (const p of r.grid) {
      const i = firstAtOrBelow(p.smoothedLosses, target);
      p.stepsToTarget = i < 0 ? null : i + 1;
    }
    return { ...r, rank: 0, stepsToTarget: r.grid.find((p) => p.lr === r.bestLr)?.stepsToTarget ?? null, seedQuality: null };
  });
  const seedList = Array.from({ length: seeds }, (_, k) => seed + k);
  let differences: string[] = [];
  const working = advice.filter((a) => !Number.isNaN(a.bestLoss));
  if (seeds > 1 && working.length) {
    const compared = await compareOptimizers({
      engine, data: options.data, model: options.model, epochs, batchSize, seed, seeds, loss: options.loss, warmup: false,
      optimizers: working.map((a) => {
        const o = options.optimizers.find((x) => x.name === a.name)!;
        return { ...o, make: (params) => withLr(o.make(params), a.bestLr) };
      }),
    });
    compared.statistics.forEach((s, i) => (working[i]!.seedQuality = s.metrics.bestLoss));
    differences = compared.differences.map((d) => d.statement);
  }
  const quality = (a: OptimizerAdvice) => a.seedQuality?.mean ?? a.bestLoss;
  // Bracketed optima first, then those at an edge, then the optimizers that diverged everywhere.
  const tier = (a: OptimizerAdvice) => (Number.isNaN(quality(a)) ? 2 : a.bracketed ? 0 : 1);
  advice.sort((a, b) => tier(a) - tier(b) || quality(a) - quality(b));
  advice.forEach((a, i) => (a.rank = i + 1));
  return {
    optimizers: advice, target, tolerance, epochs, seeds: seedList, differences,
    summary: describe(advice, target, tolerance, epochs, differences), seconds: (performance.now() - started) / 1000,
  };
}

/** Seven rates of the 1-3-10 ladder: from two decades below `center` to one decade above. */
export function ladderAround(center: number): number[] {
  return ladder(center, 4, 2);
}

function bestIndex(points: readonly GridPoint[]): number {
  let best = -1;
  points.forEach((p, i) => {
    if (!Number.isNaN(p.loss) && !p.diverged && (best < 0 || p.loss < points[best]!.loss)) best = i;
  });
  if (best >= 0) return best;
  points.forEach((p, i) => {
    if (!Number.isNaN(p.loss) && (best < 0 || p.loss < points[best]!.loss)) best = i;
  });
  return best;
}

function band(points: readonly GridPoint[], best: number, tolerance: number): OptimizerAdvice["band"] {
  if (best < 0) return { low: NaN, high: NaN, decades: 0, atGridEdge: false };
  const limit = points[best]!.loss * (1 + tolerance);
  const works = (i: number) => i >= 0 && i < points.length && !points[i]!.diverged && points[i]!.loss <= limit;
  let lo = best, hi = best;
  while (works(lo - 1)) lo--;
  while (works(hi + 1)) hi++;
  const low = points[lo]!.lr, high = points[hi]!.lr;
  return { low, high, decades: Math.log10(high / low), atGridEdge: lo === 0 || hi === points.length - 1 };
}

function lowestSmoothed(p: GridPoint | undefined): number {
  if (!p) return NaN;
  let m = Infinity;
  for (const v of p.smoothedLosses) if (v < m) m = v;
  return m === Infinity ? NaN : m;
}

/** The plain-language summary. */
export function describe(advice: readonly OptimizerAdvice[], target: number, tolerance: number, epochs: number, differences: readonly string[] = []): string {
  const sentences: string[] = [];
  const working = advice.filter((a) => !Number.isNaN(a.bestLoss));
  const failed = advice.filter((a) => Number.isNaN(a.bestLoss));
  working.forEach((a, i) => {
    const loss = a.seedQuality && a.seedQuality.n > 1 ? `${formatLoss(a.seedQuality.mean)} ± ${formatLoss(a.seedQuality.halfWidth)} over ${a.seedQuality.n} seeds` : formatLoss(a.bestLoss);
    const opening = i === 0
      ? `${a.name} was best after ${epochs} epoch${epochs === 1 ? "" : "s"}: loss ${loss} at lr ${formatLr(a.bestLr)}`
      : `${a.name} came ${ordinal(i + 1)} (${loss} at lr ${formatLr(a.bestLr)})`;
    const edge = a.bracketed ? "" : ` Its best rate was not bracketed (still on the edge after ${a.extended.below + a.extended.above} extra rates), so it ranks after those that were`;
    sentences.push(`${opening} and ${sensitivity(a)}.${edge ? `${edge}.` : ""}`);
  });
  sentences.push(...differences);
  if (working.length) sentences.push(`(A rate worked when its loss came within ${Math.round(tolerance * 100)} % of that optimizer's best.)`);
  const timed = working.filter((a) => a.stepsToTarget !== null).sort((a, b) => a.stepsToTarget! - b.stepsToTarget!);
  if (timed.length) {
    const slow = working.filter((a) => a.stepsToTarget === null).map((a) => a.name);
    sentences.push(
      `Fastest to a training loss of ${formatLoss(target)}: ${timed[0]!.name} (${timed[0]!.stepsToTarget} steps)` +
        (timed.length > 1 ? `, then ${timed.slice(1).map((a) => `${a.name} (${a.stepsToTarget})`).join(", ")}` : "") +
        (slow.length ? `; ${listNames(slow)} never got there.` : "."),
    );
  }
  if (failed.length) sentences.push(`${listNames(failed.map((a) => a.name))} diverged at every learning rate tried.`);
  return sentences.join(" ");
}

function sensitivity(a: OptimizerAdvice): string {
  const { low, high, decades, atGridEdge } = a.band;
  const beyond = atGridEdge ? ", perhaps more beyond the rates tried" : "";
  if (decades === 0) return `is touchy: only lr ${formatLr(a.bestLr)} worked of ${a.grid.map((p) => formatLr(p.lr)).join(", ")}${beyond}`;
  const width = `${decades.toFixed(1)} decades${beyond}`;
  if (decades >= 1) return `is forgiving: anything from ${formatLr(low)} to ${formatLr(high)} worked (${width})`;
  return `needs lr within ${formatLr(low)} to ${formatLr(high)} (${width})`;
}

function ordinal(n: number): string {
  return ["", "first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"][n] ?? `${n}th`;
}

function listNames(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names[names.length - 1]}`;
}

/** The keys advise accepts (tsc checks the list against AdviseOptions). */
const ADVISE_OPTIONS = keysOf<AdviseOptions>({ engine: 1, data: 1, model: 1, optimizers: 1, lrGrid: 1, epochs: 1, batchSize: 1, seed: 1, seeds: 1, loss: 1, tolerance: 1, targetLoss: 1, onProgress: 1 });
