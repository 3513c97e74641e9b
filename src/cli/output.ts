// Where a command's outputs go (--out/--name, default reports/<command>-<data>; --save, --export) and the lines
// that tell the user. Every output is checked before any training starts, so that a run is never lost to an
// unwritable path at its end:
//
//   report folder   it, or its nearest existing ancestor, is a folder that takes a new entry (probed with a
//                   temporary folder, removed at once; nothing is created for the report itself until the end)
//   file (--save)   its folder exists and takes a new file; the path is a regular file or does not exist yet
//   all             no two outputs are the same path, and none is an input (the --data file, --resume's checkpoint
//                   for anything but --save)
import { mkdtemp, rmdir, stat } from "node:fs/promises";
import { dirname, join, relative, resolve } from "node:path";
import { writeReport } from "../report/write.js";
import { humanOutput, printJson } from "./console.js";
import { UsageError } from "./usage.js";

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function reportDir(flags: { out: string; name?: string }, fallback: string): string {
  const name = flags.name ?? fallback.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (!SAFE.test(name)) throw new UsageError(`--name '${name}': use letters, digits, '.', '_' and '-' (it names a folder inside --out)`);
  return join(flags.out, name);
}

/** An output of a command: the flag that named it and its path. */
export interface OutputPath {
  flag: string;
  path: string;
}

/**
 * Checks the report folder and every output file before any work: each can be written, none is another's path or
 * an input's. `inputs` are paths the run reads (a UsageError names the flag that would overwrite one).
 */
export async function checkOutputs(report: OutputPath, files: readonly OutputPath[] = [], inputs: readonly OutputPath[] = []): Promise<void> {
  await checkFolderWritable(report.flag, report.path);
  for (const f of files) await checkFileWritable(f.flag, f.path);
  const seen = new Map<string, string>();
  for (const f of files) {
    const key = resolve(f.path);
    const other = seen.get(key);
    if (other) throw new UsageError(`${f.flag} ${f.path}: the same file as ${other}; give each output its own path`);
    seen.set(key, f.flag);
  }
  for (const input of inputs) {
    const key = resolve(input.path);
    const clash = seen.get(key);
    if (clash) throw new UsageError(`${clash} ${input.path}: that is the input of ${input.flag}; writing it would destroy it`);
  }
}

/** The folder can be created (or exists) and takes new entries. */
async function checkFolderWritable(flag: string, dir: string): Promise<void> {
  let existing = resolve(dir);
  for (;;) {
    const info = await stat(existing).catch((e: NodeJS.ErrnoException) => {
      if (e.code === "ENOENT" || e.code === "ENOTDIR") return null; // not there, or under a file: look further up
      throw new UsageError(`${flag} ${dir}: cannot use ${existing} (${e.code ?? e.message})`);
    });
    if (info) {
      if (!info.isDirectory()) throw new UsageError(`${flag} ${dir}: ${existing} is a file, not a folder`);
      break;
    }
    const parent = dirname(existing);
    if (parent === existing) break;
    existing = parent;
  }
  await probe(flag, dir, existing);
}

/** The file's folder exists and takes a new file; the path itself is a regular file or new. */
async function checkFileWritable(flag: string, path: string): Promise<void> {
  const info = await stat(path).catch((e: NodeJS.ErrnoException) => {
    if (e.code === "ENOENT") return null;
    throw new UsageError(`${flag} ${path}: cannot use it (${e.code ?? e.message})`);
  });
  if (info && info.isDirectory()) throw new UsageError(`${flag} ${path}: is a folder; give a file name`);
  if (info && !info.isFile()) throw new UsageError(`${flag} ${path}: is not a regular file (a device, socket or pipe); give a file name`);
  const dir = dirname(resolve(path));
  const folder = await stat(dir).catch(() => null);
  if (!folder) throw new UsageError(`${flag} ${path}: the folder ${dir} does not exist`);
  if (!folder.isDirectory()) throw new UsageError(`${flag} ${path}: ${dir} is not a folder`);
  await probe(flag, path, dir);
}

/** Creates and removes a temporary folder in `dir`: the only check of write permission that holds for root too. */
async function probe(flag: string, given: string, dir: string): Promise<void> {
  let made: string;
  try {
    made = await mkdtemp(join(dir, ".wasm-optim-probe-"));
  } catch (e) {
    throw new UsageError(`${flag} ${given}: cannot write in ${dir} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  await rmdir(made).catch(() => undefined);
}

/** Writes the report and its extras; prints where they are (--json: a summary with the results). */
export async function writeReportFiles(dir: string, html: string, extras: Record<string, unknown>): Promise<void> {
  const written = await writeReport(dir, html, extras);
  const shown = written.map((p) => (p.startsWith("/") ? relative(process.cwd(), p) || p : p));
  humanOutput().write(`\nReport: ${shown[shown.length - 1]}\n${shown.length > 1 ? `Data:   ${shown.slice(0, -1).join(", ")}\n` : ""}`);
  // The machine-readable summary: where the files are, and the command's JSON file (its results) inline.
  const results = Object.entries(extras).find(([name]) => name.endsWith(".json"))?.[1];
  printJson({ report: shown[shown.length - 1], files: shown.slice(0, -1), results });
}

/** The report folder of a command, checked with its other outputs before any work (see checkOutputs). */
export async function prepareReport(
  flags: { out: string; name?: string; data?: string },
  fallback: string,
  files: readonly (OutputPath | null)[] = [],
  inputs: readonly (OutputPath | null)[] = [],
): Promise<string> {
  const dir = reportDir(flags, fallback);
  const given = files.filter((f): f is OutputPath => f !== null);
  const read = inputs.filter((f): f is OutputPath => f !== null);
  if (flags.data !== undefined) read.push({ flag: "--data", path: flags.data });
  await checkOutputs({ flag: flags.name ? "--name" : "--out", path: dir }, given, read);
  return dir;
}
