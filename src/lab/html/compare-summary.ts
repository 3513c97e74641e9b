// A comparison in words and in one table, shared by the HTML report and the terminal.
import type { ReportTable } from "../../report/html.js";
import type { CompareResult, CompareRun } from "../compare.js";
import { formatLoss, formatPercent, formatPlusMinus, formatSeconds, plural } from "../format.js";
import type { Summary } from "../seed-stats.js";

/** The summary table: numbers stay numbers (losses), the rest is formatted text; '–' where not measured. */
export function summaryTable(result: CompareResult): ReportTable & { rows: (string | number)[][] } {
  if (result.seeds.length > 1) return seedTable(result);
  const hasTest = result.data.test !== null;
  const accuracy = result.runs.some((r) => !Number.isNaN(r.summary.finalAccuracy));
  const columns = [
    "optimizer", "train loss", ...(hasTest ? ["test loss"] : []), ...(accuracy ? [hasTest ? "test acc" : "train acc"] : []),
    "best epoch", `steps to ${formatLoss(result.target)}`, "time to target", "instability", ...(hasTest ? ["gap (test − train)"] : []), "time",
  ];
  const rows = result.runs.map((r) => {
    const s = r.summary;
    return [
      r.name,
      s.diverged ? "diverged" : s.finalLoss,
      ...(hasTest ? [s.diverged ? "–" : s.finalTestLoss] : []),
      ...(accuracy ? [s.diverged ? "–" : formatPercent(hasTest ? s.finalTestAccuracy : s.finalAccuracy)] : []),
      s.bestEpoch < 0 ? "–" : `${s.bestEpoch + 1} of ${s.epochs}`,
      s.diverged ? `diverged @ ${s.divergedAt}` : (s.stepsToTarget ?? "–"),
      s.secondsToTarget === null ? "–" : formatSeconds(s.secondsToTarget),
      s.diverged ? "–" : s.instability,
      ...(hasTest ? [s.diverged ? "–" : s.gap] : []),
      formatSeconds(s.seconds),
    ];
  });
  return { columns, rows, caption: `${plural(result.runs.length, "optimizer")}, ${plural(result.epochs, "epoch")} each; final values after the last epoch` };
}

/** Over several seeds: each metric as 'mean ± half-width of the 95 % interval'. */
function seedTable(result: CompareResult): ReportTable & { rows: (string | number)[][] } {
  const hasTest = result.data.test !== null;
  const accuracy = result.runs.some((r) => !Number.isNaN(r.summary.finalAccuracy));
  const columns = [
    "optimizer", "train loss", ...(hasTest ? ["test loss"] : []), ...(accuracy ? [hasTest ? "test acc" : "train acc"] : []), ...(hasTest ? ["gap (test − train)"] : []),
    `steps to ${formatLoss(result.target)}`, "time to target", "time", "diverged",
  ];
  const rows = result.statistics.map((st) => {
    const m = st.metrics;
    return [
      st.name, interval(m.finalLoss, formatLoss), ...(hasTest ? [interval(m.finalTestLoss, formatLoss)] : []),
      ...(accuracy ? [interval(hasTest ? m.finalTestAccuracy : m.finalAccuracy, formatPercent)] : []),
      ...(hasTest ? [interval(m.gap, formatLoss)] : []),
      interval(m.stepsToTarget, (v) => String(Math.round(v))), interval(m.secondsToTarget, formatSeconds), interval(m.seconds, formatSeconds),
      `${st.diverged} of ${result.seeds.length}`,
    ];
  });
  return { columns, rows, caption: `${plural(result.runs.length, "run")} × ${plural(result.seeds.length, "seed")}: mean ± half the 95 % interval (Student t) over the seeds` };
}

/** 'mean ± half-width' ('–' when nothing was measured; the mean alone for one value). */
export function interval(s: Summary, format: (v: number) => string): string {
  if (s.n === 0) return "–";
  if (s.n === 1) return format(s.mean);
  if (format === formatPercent) return formatPlusMinus(100 * s.mean, 100 * s.halfWidth, "%");
  if (format === formatLoss) return formatPlusMinus(s.mean, s.halfWidth);
  return `${format(s.mean)} ± ${format(s.halfWidth)}`;
}

/** A few sentences: who won on the test (or training) loss, who was fastest, steadiest, who overfit or diverged. */
export function describeComparison(result: CompareResult): string[] {
  const notes = [...tuningSentences(result), ...(result.seeds.length > 1 ? seedSentences(result) : [])];
  return [...notes, ...(result.seeds.length > 1 ? [] : singleRunSentences(result))];
}

function tuningSentences(result: CompareResult): string[] {
  return (result.tuning ?? []).map((t) => `${t.name} used ${t.how}.`);
}

/** Over seeds: the ranking by the mean, the paired differences, and the generalization gaps. */
function seedSentences(result: CompareResult): string[] {
  const hasTest = result.data.test !== null;
  const key = hasTest ? "finalTestLoss" : "finalLoss";
  const ranked = result.statistics.filter((s) => s.metrics[key].n > 0).sort((a, b) => a.metrics[key].mean - b.metrics[key].mean);
  const out: string[] = [];
  if (ranked.length) {
    out.push(
      `Over ${result.seeds.length} seeds (each giving every run the same initial weights and batches), the lowest mean final ${hasTest ? "test" : "training"} loss was ` +
        `${ranked[0]!.name}'s: ${interval(ranked[0]!.metrics[key], formatLoss)} (mean ± half the 95 % interval).`,
    );
  }
  out.push(...differenceSentences(result));
  if (hasTest && ranked.length) {
    const gaps = [...ranked].filter((s) => s.metrics.gap.n > 0).sort((a, b) => a.metrics.gap.mean - b.metrics.gap.mean);
    if (gaps.length > 1) {
      out.push(
        `Generalization gap (test loss minus the training set's loss after training): smallest ${gaps[0]!.name} (${interval(gaps[0]!.metrics.gap, formatLoss)}), ` +
          `largest ${gaps[gaps.length - 1]!.name} (${interval(gaps[gaps.length - 1]!.metrics.gap, formatLoss)}).`,
      );
    }
  }
  const diverged = result.statistics.filter((s) => s.diverged > 0);
  if (diverged.length) out.push(`Diverged: ${list(diverged.map((s) => `${s.name} in ${s.diverged} of ${result.seeds.length} seeds`))}; a diverged seed is left out of that run's means.`);
  return out;
}

/** Each difference in a sentence; for a long list (a grid), the runs the seeds cannot tell from the best by name, the rest counted. */
function differenceSentences(result: CompareResult): string[] {
  const { differences } = result;
  if (differences.length <= 4 || differences.some((d) => d.paired.pairs < 2)) return differences.map((d) => d.statement);
  const best = differences[0]!.best;
  const tied = differences.filter((d) => !d.paired.significant);
  const words = differences[0]!.metric === "finalTestLoss" ? "test loss" : "training loss";
  return [
    ...tied.map((d) => d.statement),
    `${tied.length ? "Every other run" : `Each of the other ${differences.length} runs`} had a higher ${words} than ${best}, by more than the seed noise (the 95 % interval of the paired difference excludes 0).`,
  ];
}

function singleRunSentences(result: CompareResult): string[] {
  const runs = result.runs;
  const hasTest = result.data.test !== null;
  const alive = runs.filter((r) => !r.summary.diverged && r.summary.epochs > 0);
  const out: string[] = [];
  const final = (r: CompareRun) => (hasTest ? r.summary.finalTestLoss : r.summary.finalLoss);
  const ranked = [...alive].sort((a, b) => final(a) - final(b));
  if (ranked.length) {
    const [first, ...rest] = ranked;
    const acc = hasTest ? first!.summary.finalTestAccuracy : first!.summary.finalAccuracy;
    out.push(
      `Lowest final ${hasTest ? "test" : "training"} loss: ${first!.name} (${formatLoss(final(first!))}${Number.isNaN(acc) ? "" : `, ${formatPercent(acc)} correct`})` +
        (rest.length ? `, then ${rest.slice(0, 2).map((r) => `${r.name} (${formatLoss(final(r))})`).join(" and ")}` : "") +
        (rest.length > 2 ? `; last: ${rest[rest.length - 1]!.name} (${formatLoss(final(rest[rest.length - 1]!))}).` : "."),
    );
  }
  if (Number.isNaN(result.target)) out.push("No target loss: every run diverged.");
  const timed = runs.filter((r) => r.summary.stepsToTarget !== null).sort((a, b) => a.summary.stepsToTarget! - b.summary.stepsToTarget!);
  if (timed.length) {
    const never = runs.filter((r) => r.summary.stepsToTarget === null && !r.summary.diverged).map((r) => r.name);
    const f = timed[0]!.summary;
    out.push(
      `Fastest to a training loss of ${formatLoss(result.target)}: ${timed[0]!.name}, in ${f.stepsToTarget} steps (${formatSeconds(f.secondsToTarget!)})` +
        (never.length ? `; ${list(never)} never got there.` : timed.length === runs.length ? "; every optimizer got there." : "; every run that did not diverge got there."),
    );
  }
  const steady = [...alive].sort((a, b) => a.summary.instability - b.summary.instability);
  if (steady.length > 1) {
    const calm = steady[0]!, noisy = steady[steady.length - 1]!;
    out.push(`Steadiest at the end: ${calm.name} (step losses vary by ±${formatLoss(calm.summary.instability)}); noisiest: ${noisy.name} (±${formatLoss(noisy.summary.instability)}).`);
  }
  if (hasTest) {
    // Clearly worse than the best epoch, and not just in the last one: a trend, not the noise of a small test set.
    const overfit = alive.filter((r) => r.summary.bestEpoch >= 0 && r.summary.bestEpoch < r.summary.epochs - 2 && r.summary.finalTestLoss > 1.1 * r.summary.bestLoss);
    if (overfit.length) {
      out.push(`${list(overfit.map((r) => `${r.name} (best at epoch ${r.summary.bestEpoch + 1})`))} reached ${overfit.length === 1 ? "its" : "their"} lowest test loss before the end and then got worse: overfitting, or a rate too high to settle.`);
    }
  }
  const diverged = runs.filter((r) => r.summary.diverged);
  if (diverged.length) {
    out.push(
      `Diverged: ${list(diverged.map((r) => `${r.name} at step ${r.summary.divergedAt}`))} (the loss became non-finite or rose far above its start; ` +
        `${diverged.length === 1 ? "that run was" : "those runs were"} stopped there and ranked nowhere); try a smaller learning rate or --clip.`,
    );
  }
  if (hasTest && alive.length > 1) {
    const gaps = [...alive].sort((a, b) => a.summary.gap - b.summary.gap);
    out.push(`Generalization gap (test loss minus the training set's loss after training): smallest ${gaps[0]!.name} (${formatLoss(gaps[0]!.summary.gap)}), largest ${gaps[gaps.length - 1]!.name} (${formatLoss(gaps[gaps.length - 1]!.summary.gap)}).`);
  }
  if (runs.length > 1) out.push("One seed: differences this small may be seed noise; --seeds 3 or more gives intervals.");
  return out;
}

function list(items: readonly string[]): string {
  return items.length <= 1 ? items.join("") : `${items.slice(0, -1).join(", ")} and ${items[items.length - 1]}`;
}
