// The ready-made experiments (`wasm-optim experiment <name>`): each asks one classic question about training,
// runs what answers it, and writes a report that explains the answer in plain sentences.
//
// An experiment is one entry: { name, title, question, run }. To add one (a recurrent model, a second-order
// method, from another branch), write its file beside these and add its entry to EXPERIMENTS; the command line,
// its help and the tests' list of names follow from the list.
import type { Engine } from "../../engine/engine.js";
import type { CompareProgress } from "../compare.js";
import { batchModesEntry } from "./batch-modes.js";
import { batchLrEntry } from "./batch-lr.js";
import { generalizationEntry } from "./generalization.js";
import { learningRateEntry } from "./learning-rate.js";
import { momentumEntry } from "./momentum.js";
import { explodingEntry, newtonEntry, recurrentOptimizersEntry, vanishingEntry } from "./pathologies.js";

export interface ExperimentOptions {
  engine?: Engine;
  /** Repeat every run over this many seeds (default 1; the reports give intervals from 2 on). */
  seeds?: number;
  /** 'small': a few seconds, for tests and a first look; 'full' (default): the sizes the report is written for. */
  size?: "small" | "full";
  onProgress?: (event: CompareProgress) => void;
}

export interface ExperimentResult {
  name: string;
  title: string;
  /** The findings in plain sentences (also the report's opening). */
  findings: string[];
  /** The self-contained HTML report. */
  report(context?: { command?: string }): Promise<string>;
  /** Every number, for experiment.json. */
  json(): object;
}

export interface ExperimentEntry {
  name: string;
  title: string;
  /** The question it answers, in one sentence (shown by --help and the list). */
  question: string;
  run(options?: ExperimentOptions): Promise<ExperimentResult>;
}

export const EXPERIMENTS: readonly ExperimentEntry[] = [
  batchModesEntry, learningRateEntry, batchLrEntry, generalizationEntry, momentumEntry,
  vanishingEntry, explodingEntry, recurrentOptimizersEntry, newtonEntry,
];

export function experimentNames(): string[] {
  return EXPERIMENTS.map((e) => e.name);
}

export function findExperiment(name: string): ExperimentEntry | undefined {
  return EXPERIMENTS.find((e) => e.name === name);
}
