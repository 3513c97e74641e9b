// The command line of the gradient diagnostics: --grad-norms on train and compare, and `wasm-optim gradients`.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = join(process.cwd(), "dist/cli.js");

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, FORCE_COLOR: "0" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
}, 180_000);

describe("--grad-norms", () => {
  it("train records every parameter's gradient norm into history.json and charts them in the report", () => {
    const out = mkdtempSync(join(tmpdir(), "wasm-optim-gn-"));
    const r = run("train", "--epochs", "2", "--subset", "300", "--grad-norms", "--clip", "1", "--out", out, "--name", "t");
    expect(r.status, r.stderr).toBe(0);
    const history = JSON.parse(readFileSync(join(out, "t", "history.json"), "utf8"));
    expect(Object.keys(history.gradientNorms)).toEqual(["0.weight", "0.bias", "2.weight", "2.bias"]);
    expect(history.gradientNorms["0.weight"]).toHaveLength(history.stepLosses.length);
    expect(history.clippedSteps).toBeGreaterThanOrEqual(0);
    const html = readFileSync(join(out, "t", "report.html"), "utf8");
    expect(html).toContain("<h2>Gradient norms</h2>");
    expect(html).toMatch(/Clipping at a global norm of 1 changed \d+ steps? of \d+\./);
    const without = run("train", "--epochs", "1", "--subset", "300", "--out", out, "--name", "u");
    expect(without.status).toBe(0);
    expect(readFileSync(join(out, "u", "report.html"), "utf8")).not.toContain("Gradient norms");
  });

  it("compare charts each layer's norm with a line per optimizer", () => {
    const out = mkdtempSync(join(tmpdir(), "wasm-optim-gn-"));
    const r = run("compare", "--epochs", "1", "--subset", "300", "--opt", "sgd:lr=0.1", "--opt", "adam", "--grad-norms", "--out", out, "--name", "c");
    expect(r.status, r.stderr).toBe(0);
    const html = readFileSync(join(out, "c", "report.html"), "utf8");
    expect(html).toContain("Gradient norm of layer 0");
    expect(html).toContain("Gradient norm of layer 4");
    const json = JSON.parse(readFileSync(join(out, "c", "history.json"), "utf8"));
    expect(Object.keys(json.runs[0].gradientNorms)).toContain("4.bias");
  });
});

describe("wasm-optim gradients", () => {
  it("vanishing writes a report that says which configurations vanish", () => {
    const out = mkdtempSync(join(tmpdir(), "wasm-optim-gn-"));
    const r = run("gradients", "vanishing", "--depth", "12", "--width", "16", "--epochs", "1", "--subset", "200", "--out", out, "--name", "v");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/sigmoid, default init: first ÷ last layer/);
    expect(r.stdout).toMatch(/At the first step the gradient vanished/);
    const html = readFileSync(join(out, "v", "report.html"), "utf8");
    expect(html).toContain("Vanishing gradients in a deep MLP");
    expect(JSON.parse(readFileSync(join(out, "v", "vanishing.json"), "utf8")).runs).toHaveLength(12);
    // The same experiment, named with --experiment.
    expect(run("gradients", "--experiment", "vanishing", "--depth", "2", "--width", "4", "--epochs", "1", "--subset", "50", "--out", out, "--name", "w").status).toBe(0);
  });

  it("exploding counts the clipped steps", () => {
    const out = mkdtempSync(join(tmpdir(), "wasm-optim-gn-"));
    const r = run("gradients", "exploding", "--length", "20", "--hidden", "8", "--epochs", "1", "--out", out, "--name", "e");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/scale 3, clipGradNorm 1: largest gradient norm [\d.e+]+, [1-9]\d* steps clipped/);
    expect(JSON.parse(readFileSync(join(out, "e", "exploding.json"), "utf8")).runs).toHaveLength(4);
  });

  it.each([
    [["exploding", "--depth", "3"], /--depth does not apply to the exploding experiment/],
    [["vanishing", "--scale", "3"], /--scale does not apply to the vanishing experiment/],
    [[], /name an experiment: wasm-optim gradients </],
    [["vanishin"], /unknown experiment 'vanishin' \(known: .*did you mean 'vanishing'\?\)/],
    [["vanishing", "--experiment", "exploding"], /the experiment is given twice/],
    [["vanishing", "--depth", "1"], /--depth must be at least 2/],
    [["vanishing", "--lr", "0"], /--lr must be a number > 0, got '0'/],
  ])("usage errors exit 2 with one line: %j", (args, message) => {
    const r = run("gradients", ...(args as string[]));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message as RegExp);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
