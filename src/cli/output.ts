// Where a command's report goes (--out/--name, default reports/<command>-<data>) and the lines that tell the user.
import { join, relative } from "node:path";
import { writeReport } from "../report/write.js";
import { UsageError } from "./usage.js";

const SAFE = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

export function reportDir(flags: { out: string; name?: string }, fallback: string): string {
  const name = flags.name ?? fallback.replace(/[^A-Za-z0-9._-]+/g, "-");
  if (!SAFE.test(name)) throw new UsageError(`--name '${name}': use letters, digits, '.', '_' and '-' (it names a folder inside --out)`);
  return join(flags.out, name);
}

/** Writes the report and its extras; prints where they are. */
export async function writeReportFiles(dir: string, html: string, extras: Record<string, unknown>): Promise<void> {
  const written = await writeReport(dir, html, extras);
  const shown = written.map((p) => (p.startsWith("/") ? relative(process.cwd(), p) || p : p));
  process.stdout.write(`\nReport: ${shown[shown.length - 1]}\n${shown.length > 1 ? `Data:   ${shown.slice(0, -1).join(", ")}\n` : ""}`);
}
