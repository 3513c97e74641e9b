// The command line's output modes and exit codes: --json prints one JSON document on stdout and nothing else,
// --quiet prints nothing on stdout, on every command; usage mistakes exit 2, failures 1; every --opt help lists
// every optimizer of the spec table.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { OPTIMIZER_NAMES } from "../src/lab/spec-optimizers.js";

const CLI = join(process.cwd(), "dist/cli.js");
const out = mkdtempSync(join(tmpdir(), "wasm-optim-cli-output-"));
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, FORCE_COLOR: "0" } });

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
}, 180_000);

const small = ["--data", "moons", "--model", "mlp:8", "--out", out];
const COMMANDS: [string, string[]][] = [
  ["compare", [...small, "--epochs", "1", "--opt", "adam", "--opt", "sgd"]],
  ["train", [...small, "--epochs", "1"]],
  ["lr-find", [...small, "--num-iter", "20", "--opt", "adam"]],
  ["landscape", ["--fn", "ravine", "--steps", "50", "--opt", "sgd:lr=0.1", "--out", out]],
  ["advise", [...small, "--epochs", "1", "--opt", "adam", "--lr-grid", "0.01,0.1"]],
];

describe("--json and --quiet", () => {
  it.each(COMMANDS)("%s --json: stdout is one JSON document naming the files and holding the results", (command, args) => {
    const r = run(command, ...args, "--name", `${command}-json`, "--json");
    expect(r.status, r.stderr).toBe(0);
    const summary = JSON.parse(r.stdout);
    expect(summary.command).toBe(command);
    expect(summary.report).toMatch(new RegExp(`${command}-json/report\\.html$`));
    expect(summary.files.length).toBeGreaterThan(0);
    expect(summary.results).toBeTypeOf("object");
  });

  it.each(COMMANDS)("%s --quiet prints nothing on stdout", (command, args) => {
    const r = run(command, ...args, "--name", `${command}-quiet`, "--quiet");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toBe("");
  });

  it("bench has both flags too", () => {
    const help = run("bench", "--help").stdout;
    expect(help).toContain("--json");
    expect(help).toContain("--quiet");
  });
});

describe("exit codes", () => {
  it("a usage mistake exits 2 with one line on stderr, under --json as well (stdout empty)", () => {
    for (const args of [["compare", "--json", "--epochs", "0"], ["train", "--quiet", "--bogus"], ["nonsense"]]) {
      const r = run(...args);
      expect(r.status, args.join(" ")).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toMatch(/^error: /);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it("a run that diverges exits 1 after writing its files", () => {
    const r = run("train", ...small, "--epochs", "3", "--opt", "sgd:lr=1e6", "--name", "diverged", "--json");
    expect(r.status).toBe(1);
    expect(JSON.parse(r.stdout).results.divergence).not.toBeNull();
    expect(r.stderr).toMatch(/^error: the run diverged/);
  });
});

describe("--opt help", () => {
  it.each(["compare", "train", "lr-find", "landscape", "advise"])("%s --help lists every optimizer of the spec table", (command) => {
    const help = run(command, "--help").stdout.replace(/\s+/g, " ");
    for (const name of OPTIMIZER_NAMES) expect(help).toMatch(new RegExp(`[:,] ${name}\\b`));
  });
});
