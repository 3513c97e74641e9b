// Runs that go wrong, and resumes that ask for changes: the output, the exit status and the report say what ran.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { readCheckpoint } from "../../src/train/checkpoint-file.js";
import { buildIfNeeded, cli, expectCleanFailure, snapshot } from "./cli-run.js";

let dir = "";
beforeAll(() => {
  buildIfNeeded();
  dir = mkdtempSync(join(tmpdir(), "wasm-optim-runs-"));
  for (const [name, extra] of [["adam.ckpt", []], ["cosine.ckpt", ["--schedule", "cosine:tMax=4"]]] as const) {
    const r = cli(["train", "--epochs", "2", "--save", name, "--out", "reports", ...extra], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
  }
}, 180_000);

const history = (name: string) => JSON.parse(readFileSync(join(dir, "reports", name, "history.json"), "utf8"));

describe("divergence", () => {
  it("train stops a diverging run, writes the report, says so and exits 1", () => {
    const r = cli(["train", "--opt", "sgd:lr=1000", "--epochs", "50", "--out", "reports", "--name", "diverged"], { cwd: dir });
    expectCleanFailure(r, /error: the run diverged: the smoothed training loss .* rose above 10 × its first value .* at step \d+/, 1);
    const h = history("diverged");
    expect(h.divergence.step).toBeLessThan(10);
    expect(h.epochs.length).toBeLessThan(2);
    expect(readFileSync(join(dir, "reports", "diverged", "report.html"), "utf8")).toContain("The run diverged");
  });

  it("compare marks diverged runs, does not time them, and takes the target from the others", () => {
    const r = cli(["compare", "--opt", "sgd:lr=1000", "--opt", "adam:lr=1e-3", "--epochs", "2", "--out", "reports", "--name", "cmp"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/SGD \(lr=1000\) +diverged .*diverged @ \d/);
    expect(r.stdout).toMatch(/Fastest to a training loss of [\d.]+: Adam/);
    expect(r.stdout).toMatch(/Diverged: SGD \(lr=1000\) at step \d+/);
    const h = history("cmp");
    const sgd = h.runs.find((x: { name: string }) => x.name === "SGD (lr=1000)");
    expect(sgd.summary.diverged).toBe(true);
    expect(sgd.summary.stepsToTarget).toBeNull();
  });
});

describe("train --resume with --opt", () => {
  it("applies an explicit change to the checkpoint's parameter groups and records it", async () => {
    const r = cli(["train", "--resume", "adam.ckpt", "--save", "adam-lr.ckpt", "--opt", "adam:lr=0.002", "--epochs", "3", "--out", "reports", "--name", "lr"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toContain("resuming after epoch 2 from adam.ckpt, with lr 0.002 (the checkpoint had 0.001)");
    expect(history("lr").options.lr).toBe(0.002);
    const saved = await readCheckpoint(join(dir, "adam-lr.ckpt"));
    expect(saved.optimizer!.paramGroups[0]!.lr).toBe(0.002);
  });

  it("without --opt, continues with the checkpoint's optimizer", () => {
    const r = cli(["train", "--resume", "adam.ckpt", "--save", "adam-same.ckpt", "--epochs", "3", "--out", "reports", "--name", "same"], { cwd: dir });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^Adam \(from adam.ckpt\), 3 epochs/m);
    expect(history("same").options.lr).toBe(0.001);
  });

  it.each([
    [["--resume", "adam.ckpt", "--opt", "sgd:lr=0.1", "--epochs", "3"], /--opt sgd: the checkpoint adam.ckpt holds the state of Adam/],
    [["--resume", "cosine.ckpt", "--schedule", "cosine:tMax=4", "--opt", "adam:lr=0.5", "--epochs", "3"], /--opt lr: the checkpoint's CosineAnnealingLR schedule sets it at every step/],
    [["--resume", "cosine.ckpt", "--epochs", "3"], /the checkpoint's run has a CosineAnnealingLR schedule; give the same --schedule/],
    [["--resume", "adam.ckpt", "--epochs", "2"], /--epochs 2: the checkpoint adam.ckpt is already at epoch 2/],
  ])("refuses %j before training, and leaves the checkpoint alone", (args, message) => {
    const before = snapshot(dir);
    const r = cli(["train", ...(args as string[]), "--out", "reports", "--name", "refused"], { cwd: dir });
    expectCleanFailure(r, message as RegExp, 2);
    expect(snapshot(dir)).toEqual(before);
    expect(existsSync(join(dir, "reports", "refused"))).toBe(false);
  });
});
