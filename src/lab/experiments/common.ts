// What the experiments share: their options check, the digits, and an experiment made of one comparison
// (compareOptimizers) whose report opens with the experiment's question, what theory expects and what was found.
import { loadDigits } from "../../data/builtin/digits.js";
import { checkOptions, keysOf } from "../../engine/options.js";
import { createEngine, type Engine } from "../../engine/engine.js";
import type { ReportSection } from "../../report/html.js";
import { compareOptimizers, type CompareOptions, type CompareResult, type CompareRun } from "../compare.js";
import { compareToJson } from "../compare-export.js";
import { compareReport } from "../html/compare-report.js";
import type { ExperimentOptions, ExperimentResult } from "./registry.js";
import type { RunStatistics } from "../compare-seeds.js";

export const EXPERIMENT_OPTIONS = keysOf<ExperimentOptions>({ engine: 1, seeds: 1, size: 1, onProgress: 1 });

export interface Prepared {
  engine: Engine;
  seeds: number;
  small: boolean;
}

export async function prepare(name: string, options: ExperimentOptions): Promise<Prepared> {
  checkOptions(`experiment ${name}`, options, EXPERIMENT_OPTIONS);
  const { seeds = 1, size = "full" } = options;
  if (!Number.isInteger(seeds) || seeds < 1) throw new RangeError(`experiment ${name}: seeds must be a positive integer, got ${seeds}`);
  if (size !== "small" && size !== "full") throw new RangeError(`experiment ${name}: size must be 'small' or 'full', got '${String(size)}'`);
  return { engine: options.engine ?? (await createEngine()), seeds, small: size === "small" };
}

export const DIGITS = "UCI handwritten digits, 8×8 pixels, 10 classes";

export function digits() {
  return loadDigits();
}

/** The question, the theory and the findings: the sections that open an experiment's report. */
export function opening(question: string, theory: readonly string[], findings: readonly string[], extra: Partial<ReportSection> = {}): ReportSection[] {
  return [
    { heading: "The question", text: question },
    { heading: "What theory expects", text: theory },
    { heading: "What happened here", text: findings, ...extra },
  ];
}

export interface ComparisonExperiment {
  name: string;
  title: string;
  compare: Omit<CompareOptions, "engine" | "seeds" | "onProgress">;
  dataDescription: string;
  question: string;
  theory: readonly string[];
  findings(result: CompareResult): string[];
  /** More sections after the opening (charts of its own). */
  extra?(result: CompareResult): Promise<ReportSection[]>;
  /** Show each optimizer's card (its rule and explanation): only when the runs use different algorithms. */
  cards?: boolean;
}

export async function runComparisonExperiment(spec: ComparisonExperiment, prepared: Prepared, options: ExperimentOptions): Promise<ExperimentResult & { comparison: CompareResult }> {
  const comparison = await compareOptimizers({ ...spec.compare, engine: prepared.engine, seeds: prepared.seeds, onProgress: options.onProgress });
  const findings = spec.findings(comparison);
  return {
    name: spec.name,
    title: spec.title,
    findings,
    comparison,
    async report(context = {}) {
      const intro = [...opening(spec.question, spec.theory, findings), ...((await spec.extra?.(comparison)) ?? [])];
      return compareReport(comparison, {
        title: spec.title, subtitle: `wasm-optim experiment ${spec.name}`, dataDescription: spec.dataDescription, command: context.command, intro,
        cards: spec.cards ?? false, dataFiles: "experiment.json",
      });
    },
    json: () => ({ experiment: spec.name, findings, comparison: compareToJson(comparison) }),
  };
}

/** The statistics of the run named `name`. */
export function statsOf(result: CompareResult, name: string): RunStatistics {
  const s = result.statistics.find((x) => x.name === name);
  if (!s) throw new RangeError(`no run named '${name}'`);
  return s;
}

/** A run's mean over the seeds of a summary figure. */
export function mean(result: CompareResult, name: string, metric: keyof RunStatistics["metrics"]): number {
  return statsOf(result, name).metrics[metric].mean;
}

export function runOf(result: CompareResult, name: string): CompareRun {
  return result.runs.find((r) => r.name === name)!;
}
