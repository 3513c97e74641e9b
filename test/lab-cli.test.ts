// The lab's new flags through the command line: --run, --experiment-file, --seeds, --tune, and `experiment`.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfNeeded, cli, expectCleanFailure } from "./robustness/cli-run.js";

const out = mkdtempSync(join(tmpdir(), "wasm-optim-lab-cli-"));
const run = (...args: string[]) => cli(args, { timeoutMs: 120_000 });

beforeAll(buildIfNeeded, 180_000);

describe("compare with per-run settings and seeds", () => {
  it("runs each --run with its own batch and label over the seeds, and says what the seed noise allows", () => {
    const r = run("compare", "--data", "moons", "--model", "mlp:8", "--run", "sgd:lr=0.5 batch=full label=GD", "--run", "sgd:lr=0.05 batch=32 label=mini-batch",
      "--epochs", "2", "--seeds", "3", "--out", out, "--name", "runs");
    expect(r.stderr.replace(/WARN .*\n/g, "")).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("seeds 0…2");
    expect(r.stdout).toMatch(/^GD +[\d.]+ ± [\d.]+/m);
    expect(r.stdout).toMatch(/in \d of 3 seeds/);
    const history = JSON.parse(readFileSync(join(out, "runs", "history.json"), "utf8"));
    expect(history.seeds).toEqual([0, 1, 2]);
    expect(history.runs).toHaveLength(6);
    expect(history.runs[0].settings.stepsPerEpoch).toBe(1);
    expect(history.runs[1].settings.batchSize).toBe(32);
    expect(history.statistics[0].metrics.finalTestLoss.n).toBe(3);
  });

  it("reads runs from an experiment file", () => {
    const file = join(out, "runs.json");
    writeFileSync(file, JSON.stringify({ runs: [{ optimizer: "adam:lr=0.01", batch: 16, label: "Adam, batch 16" }, "sgd:lr=0.1 epochs=1"] }));
    const r = run("compare", "--data", "moons", "--model", "mlp:8", "--experiment-file", file, "--epochs", "2", "--out", out, "--name", "file");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Adam, batch 16 +\d/m);
  });

  it.each([
    [["--run", "sgd:lr=0.1 batch=zero"], /run 'sgd:lr=0\.1 batch=zero': batch must be a positive integer or 'full', got 'zero'/],
    [["--run", "sgd:lr=0.1 bach=3"], /unknown setting 'bach'.*did you mean 'batch'/],
    [["--run", "sgd:lr=-1"], /lr/],
    [["--seeds", "0"], /--seeds must be a positive integer/],
    [["--tune", "momentum"], /--tune.*momentum/],
    [["--experiment-file", "/nonexistent.json"], /--experiment-file \/nonexistent\.json: cannot read it \(ENOENT\)/],
  ])("a bad flag exits 2 with one line naming it: %j", (flags, message) => {
    expectCleanFailure(run("compare", "--data", "moons", "--out", out, ...flags), message, 2);
  });
});

describe("experiment", () => {
  it("lists the experiments in its help, runs one small and writes its report", () => {
    expect(run("experiment", "--help").stdout).toMatch(/batch-modes .*\n.*learning-rate/s);
    const r = run("experiment", "learning-rate", "--size", "small", "--out", out, "--name", "lr");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("At lr 30 the run diverged");
    const html = readFileSync(join(out, "lr", "report.html"), "utf8");
    expect(html).toContain("What theory expects");
    expect(JSON.parse(readFileSync(join(out, "lr", "experiment.json"), "utf8")).experiment).toBe("learning-rate");
  });

  it("names an unknown experiment with a suggestion, exit 2", () => {
    expectCleanFailure(run("experiment", "momentun", "--out", out), /unknown experiment 'momentun' \(known: .*; did you mean 'momentum'\?\)/, 2);
  });
});
