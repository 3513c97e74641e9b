// Runs the built CLI as a user would, with bounded time and memory, and checks how a failure looks.
import { createHash } from "node:crypto";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { expect } from "vitest";

const CLI = join(process.cwd(), "dist/cli.js");

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
  seconds: number;
}

/** `node dist/cli.js ...args` in `cwd`, with a heap of `heapMiB` (default 512) and a time limit. */
export function cli(args: readonly string[], options: { cwd?: string; timeoutMs?: number; heapMiB?: number } = {}): CliResult {
  const started = performance.now();
  const r = spawnSync(process.execPath, [`--max-old-space-size=${options.heapMiB ?? 512}`, CLI, ...args], {
    cwd: options.cwd, encoding: "utf8", timeout: options.timeoutMs ?? 30_000, env: { ...process.env, FORCE_COLOR: "0", WASM_OPTIM_DEBUG: "" },
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, seconds: (performance.now() - started) / 1000 };
}

/** A user mistake: exit 1 or 2 (the given one, if any), a message matching `message`, no stack trace, no crash. */
export function expectCleanFailure(r: CliResult, message: RegExp, status?: 1 | 2): void {
  expect(r.status, `exit status; stderr: ${r.stderr}`).toBe(status ?? (r.status === 1 ? 1 : 2));
  expect(r.stderr).toMatch(message);
  expect(r.stderr).not.toMatch(/^\s+at /m);
  expect(r.stderr).not.toMatch(/FATAL|Aborted|Segmentation|node:internal/);
}

/** Hashes of every file under `dir` (names and contents), to show that a failed command touched nothing. */
export function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const info = statSync(p);
      if (info.isDirectory()) walk(p);
      else if (info.isFile()) out[p] = createHash("sha256").update(readFileSync(p)).digest("hex");
      else out[p] = "special";
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** Builds only what is out of date (nothing, after `npm test`'s pretest). */
export function buildIfNeeded(): void {
  execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
}
