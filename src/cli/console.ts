// Where a command's output goes. The lines for a person go to stdout, unless --quiet (none) or --json (none, so
// that stdout holds only the JSON summary printed when the command has written its files). Errors always go to
// stderr, and the exit status says what happened (0 done, 1 failed or diverged, 2 a usage mistake).
import type { Command } from "commander";

export interface OutputFlags {
  json?: boolean;
  quiet?: boolean;
}

interface Out {
  write(text: string): boolean;
  isTTY?: boolean;
}

let mode: "text" | "quiet" | "json" = "text";
let command = "";
const silent: Out = { write: () => true, isTTY: false };

/** Adds --json and --quiet to a command. */
export function addOutputModeOptions(cmd: Command): Command {
  return cmd
    .option("--json", "print a machine-readable summary (JSON) on stdout, and nothing else")
    .option("--quiet", "print nothing but errors");
}

/** Sets the output mode from a command's flags. */
export function setOutputMode(name: string, flags: OutputFlags): void {
  command = name;
  mode = flags.json ? "json" : flags.quiet ? "quiet" : "text";
}

/** The stream for a person's lines: stdout, or a sink under --quiet and --json. */
export function humanOutput(): Out {
  return mode === "text" ? process.stdout : silent;
}

/** Under --json: one JSON document on stdout, { command, ...summary }. */
export function printJson(summary: Record<string, unknown>): void {
  if (mode === "json") process.stdout.write(`${JSON.stringify({ command, ...summary }, null, 2)}\n`);
}
