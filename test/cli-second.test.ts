// The command line of the second-order, regularization and constrained commands, as a user runs it (dist/cli.js).
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { cli, expectCleanFailure } from "./robustness/cli-run.js";

const run = (...args: string[]) => cli(args, { timeoutMs: 120_000 });

beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
}, 180_000);

describe("second-order, regularization and constrained commands", () => {
  const out = mkdtempSync(join(tmpdir(), "wasm-optim-second-"));

  it("landscape --opt newton,damped-newton,lm: the table, and the report's curvature section", () => {
    const r = run("landscape", "--fn", "rosenbrock,saddle", "--opt", "newton,damped-newton,lm", "--opt", "adam:lr=0.05", "--steps", "100", "--out", out, "--name", "ls");
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Newton +\d+ /m);
    expect(r.stdout).toMatch(/^Damped Newton +\d+ /m);
    expect(r.stdout).toMatch(/^Levenberg-Marquardt +\d+ /m);
    const html = readFileSync(join(out, "ls", "report.html"), "utf8");
    expect(html).toContain("Curvature: the Hessian&#39;s eigenvalues");
    expect(html).toContain("the eigenvalues have opposite signs (-2 &lt; 0 &lt; 2): a saddle.");
  });

  it("regularization, constrained and newton write their reports", () => {
    const reg = run("regularization", "--epochs", "2", "--model", "mlp:16", "--out", out, "--name", "reg");
    expect(reg.status, reg.stderr).toBe(0);
    expect(reg.stdout).toMatch(/^proximal L1 +ProximalSGD/m);
    const con = run("constrained", "--steps", "200", "--out", out, "--name", "con");
    expect(con.status, con.stderr).toBe(0);
    expect(con.stdout).toContain("KKT point (0.400000, 0.600000), μ* = 3.20000");
    const nt = run("newton", "--subset", "200", "--max-iter", "50", "--tolerance", "1e-6", "--out", out, "--name", "nt");
    expect(nt.status, nt.stderr).toBe(0);
    expect(nt.stdout).toMatch(/^Newton +yes/m);
    for (const name of ["reg", "con", "nt"]) expect(existsSync(join(out, name, "report.html"))).toBe(true);
  }, 120_000);

  it("train --l1 / --elastic-net / --max-norm run; bad values exit 2 with one line", () => {
    const ok = run("train", "--epochs", "1", "--model", "mlp:16", "--l1", "1e-4", "--max-norm", "3", "--out", out, "--name", "tr");
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("L1 0.0001, max-norm 3");
    for (const [args, message] of [
      [["train", "--l1", "-1"], "--l1 must be a number >= 0, got '-1'"],
      [["train", "--elastic-net", "1e-4"], "--elastic-net takes alpha,l1Ratio"],
      [["compare", "--elastic-net", "1e-4,2"], "--elastic-net takes alpha,l1Ratio"],
      [["train", "--l1", "1e-4", "--elastic-net", "1e-4,0.5", "--epochs", "1", "--out", out], "--l1 and --elastic-net cannot be combined"],
      [["landscape", "--opt", "damped-newton:c1=3"], "Invalid c1: 3 (must be in (0, 1))"],
      [["constrained", "--problem", "lines"], "unknown problem 'lines' (known: line, disc, or all; did you mean 'line'?)"],
    ] as const) {
      expectCleanFailure(run(...args), new RegExp(message.replace(/[()[\]*+?.]/g, "\\$&")), 2);
    }
  }, 120_000);
});
