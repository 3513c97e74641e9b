// Node-only: writes a report directory: the extras the caller gives (raw JSON, CSV, …) and then report.html, each
// file atomically (temporary file, fsync, rename), so that a reader never sees a half-written file and a
// report.html, once there, finds its extras next to it.
import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import { writeFileAtomic } from "../train/atomic-write.js";

const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Writes `dir`/report.html and `dir`/<name> for each extra (the directory is created with its parents); an extra is
 * text, bytes, or any other value, written as indented JSON. Returns the paths written.
 */
export async function writeReport(dir: string, html: string, extras: Readonly<Record<string, unknown>> = {}): Promise<string[]> {
  for (const name of Object.keys(extras)) {
    if (!SAFE_NAME.test(name)) throw new RangeError(`writeReport: invalid file name '${name}' (letters, digits, '.', '_', '-'; no directories)`);
    if (name === "report.html") throw new RangeError("writeReport: 'report.html' is the report itself, not an extra");
  }
  await mkdir(dir, { recursive: true });
  const written: string[] = [];
  const encoder = new TextEncoder();
  for (const [name, value] of Object.entries(extras)) {
    const bytes = value instanceof Uint8Array ? value : encoder.encode(typeof value === "string" ? value : `${JSON.stringify(value, null, 2)}\n`);
    const path = join(dir, name);
    await writeFileAtomic(path, bytes, "report file");
    written.push(path);
  }
  const path = join(dir, "report.html");
  await writeFileAtomic(path, encoder.encode(html), "report");
  written.push(path);
  return written;
}
