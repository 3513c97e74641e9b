// Run specs: an optimizer spec followed by the run's own settings, separated by spaces,
//
//   'sgd:lr=0.5 batch=full'   'sgd:lr=0.05 batch=32 epochs=5'   'adam:lr=1e-3 schedule=cosine:tMax=10 label=Adam'
//
//   batch     a positive integer (1: stochastic gradient descent) or 'full' (batch gradient descent)
//   epochs    a positive integer
//   schedule  a schedule spec (spec-schedules.ts), or 'none' for a constant rate when the comparison has one
//   label     the run's name in tables and charts (default: the optimizer spec's); last, as it takes the rest of
//             the text, spaces included ('adam:lr=1e-3 batch=32 label=Adam, small batches')
//
// Settings left out are the comparison's. An experiment file (JSON) lists runs as such strings or as objects
// { "optimizer": "sgd:lr=0.5", "batch": "full", "epochs": 5, "schedule": "cosine", "label": "GD" }, under "runs"
// (or as the whole file, a list). Every error names the run and the key.
import type { LabOptimizer } from "./compare.js";
import { parseOptimizerSpec, type OptimizerSpec } from "./spec-optimizers.js";
import { parseScheduleSpec, type ScheduleSpec } from "./spec-schedules.js";
import { SpecError, suggest } from "./spec.js";

export interface RunSpec {
  /** The text (or JSON) it came from, for messages. */
  text: string;
  optimizer: OptimizerSpec;
  /** The displayed name. */
  name: string;
  batch?: number | "full";
  epochs?: number;
  /** null: no schedule for this run, whatever the comparison's. */
  schedule?: ScheduleSpec | null;
}

export const RUN_KEYS = ["batch", "epochs", "schedule", "label"] as const;

/** Parses 'optimizer-spec key=value …'. */
export function parseRunSpec(text: string): RunSpec {
  const labelAt = text.search(/(^|\s)label=/);
  const [head, ...parts] = (labelAt < 0 ? text : text.slice(0, labelAt)).trim().split(/\s+/);
  const settings: Record<string, string> = {};
  if (labelAt >= 0) {
    const label = text.slice(labelAt).trim().slice("label=".length).trim();
    if (label === "") throw new SpecError(`run '${text}': 'label' needs a value (label=…)`);
    settings.label = label;
  }
  for (const part of parts) {
    const eq = part.indexOf("=");
    const key = eq < 0 ? part : part.slice(0, eq);
    if (!(RUN_KEYS as readonly string[]).includes(key)) throw unknownKey(text, key);
    if (eq < 0 || eq === part.length - 1) throw new SpecError(`run '${text}': '${key}' needs a value (${key}=…)`);
    if (Object.hasOwn(settings, key)) throw new SpecError(`run '${text}': '${key}' is given twice`);
    settings[key] = part.slice(eq + 1);
  }
  return runFrom(text, head ?? "", settings);
}

/** One run of an experiment file: a run-spec string, or an object with 'optimizer' and the run keys. */
export function runFromJson(value: unknown, position: number): RunSpec {
  if (typeof value === "string") return parseRunSpec(value);
  const where = `run ${position + 1}`;
  if (typeof value !== "object" || value === null || Array.isArray(value)) throw new SpecError(`${where}: expected a run-spec string or an object with "optimizer", got ${JSON.stringify(value)}`);
  const { optimizer, ...rest } = value as Record<string, unknown>;
  if (typeof optimizer !== "string") throw new SpecError(`${where}: "optimizer" must be an optimizer spec string such as "sgd:lr=0.1", got ${JSON.stringify(optimizer)}`);
  const settings: Record<string, string> = {};
  for (const [key, v] of Object.entries(rest)) {
    if (!(RUN_KEYS as readonly string[]).includes(key)) throw unknownKey(`${where} (${optimizer})`, key, "");
    if (typeof v !== "string" && typeof v !== "number") throw new SpecError(`run ${position + 1} (${optimizer}): "${key}" must be a string or a number, got ${JSON.stringify(v)}`);
    settings[key] = String(v);
  }
  return runFrom(JSON.stringify(value), optimizer, settings, `run ${position + 1} (${optimizer})`);
}

/** The runs of an experiment file's JSON text: { "runs": [...] } or [...]. `file` names it in errors. */
export function parseExperimentJson(json: string, file: string): RunSpec[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    throw new SpecError(`experiment file ${file}: not valid JSON (${(e as Error).message})`);
  }
  const runs = Array.isArray(parsed) ? parsed : (parsed as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs) || runs.length === 0) throw new SpecError(`experiment file ${file}: expected a non-empty list of runs, or an object with "runs": [...]`);
  if (!Array.isArray(parsed)) {
    const extra = Object.keys(parsed as object).filter((k) => k !== "runs");
    if (extra.length) throw new SpecError(`experiment file ${file}: unknown key '${extra[0]}' (the file holds "runs"; give the other settings as flags)`);
  }
  return runs.map((r, i) => {
    try {
      return runFromJson(r, i);
    } catch (e) {
      throw new SpecError(`experiment file ${file}: ${(e as Error).message}`);
    }
  });
}

function runFrom(text: string, optimizerText: string, settings: Record<string, string>, where = `run '${text}'`): RunSpec {
  let optimizer: OptimizerSpec;
  try {
    optimizer = parseOptimizerSpec(optimizerText, settings.label);
  } catch (e) {
    throw new SpecError(`${where}: ${(e as Error).message}`);
  }
  const run: RunSpec = { text, optimizer, name: optimizer.name };
  if (settings.batch !== undefined) run.batch = parseRunBatch(settings.batch, where);
  if (settings.epochs !== undefined) run.epochs = positiveInt(settings.epochs, "epochs", where);
  if (settings.schedule !== undefined) {
    try {
      run.schedule = settings.schedule === "none" ? null : parseScheduleSpec(settings.schedule);
    } catch (e) {
      throw new SpecError(`${where}: schedule: ${(e as Error).message}`);
    }
  }
  return run;
}

function parseRunBatch(value: string, where: string): number | "full" {
  return value === "full" ? "full" : positiveInt(value, "batch", where, " or 'full'");
}

function positiveInt(value: string, key: string, where: string, also = ""): number {
  if (!/^\d+$/.test(value) || Number(value) < 1) throw new SpecError(`${where}: ${key} must be a positive integer${also}, got '${value}'`);
  return Number(value);
}

function unknownKey(text: string, key: string, quote = "'"): SpecError {
  const guess = suggest(key, RUN_KEYS);
  const where = quote ? `run ${quote}${text}${quote}` : text;
  return new SpecError(`${where}: unknown setting '${key}' (a run takes ${RUN_KEYS.join(", ")}${guess ? `; did you mean '${guess}'?` : ""})`);
}

/** The run as compareOptimizers takes it. */
export function labRun(run: RunSpec): LabOptimizer {
  const { optimizer } = run;
  return {
    name: run.name,
    label: optimizer.label,
    make: optimizer.make,
    ...(run.batch !== undefined && { batchSize: run.batch }),
    ...(run.epochs !== undefined && { epochs: run.epochs }),
    ...(run.schedule !== undefined && { schedule: run.schedule }),
  };
}
