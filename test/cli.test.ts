// The command line, as a user runs it: `node dist/cli.js …` on the built bundles.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";

const CLI = join(process.cwd(), "dist/cli.js");

function run(...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [CLI, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, FORCE_COLOR: "0" } });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Builds only what is out of date (nothing, after `npm test`'s pretest): rebuilding dist/ unconditionally here
// would race with the other test files that run the bundle at the same time.
beforeAll(() => {
  execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
}, 180_000);

describe("help", () => {
  it("lists the commands", () => {
    const r = run("--help");
    expect(r.status).toBe(0);
    for (const c of ["compare", "train", "lr-find", "landscape", "advise", "bench"]) expect(r.stdout).toMatch(new RegExp(`^  ${c} \\[options\\]`, "m"));
  });

  it.each([
    ["compare", ["--data", "--model", "--opt", "--schedule", "--batch", "--epochs", "--seed", "--clip", "--weight-decay", "--backend", "--out", "--name", "--target"]],
    ["train", ["--save", "--resume", "--export", "--opt", "--schedule"]],
    ["lr-find", ["--start-lr", "--end-lr", "--num-iter", "--smoothing", "--diverge"]],
    ["landscape", ["--fn", "--steps", "--tolerance", "--noise"]],
    ["advise", ["--lr-grid", "--epochs", "--tolerance"]],
    ["bench", ["--suite", "--sizes"]],
  ])("%s --help names its flags", (command, flags) => {
    const r = run(command as string, "--help");
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(`Usage: wasm-optim ${command} [options]`);
    for (const f of flags as string[]) expect(r.stdout).toContain(f);
  });
});

describe("usage errors name the bad part and exit non-zero", () => {
  it.each([
    [["compare", "--frobnicate"], /unknown option '--frobnicate'/],
    [["compare", "--opt", "sgdd:lr=0.1"], /unknown optimizer 'sgdd' \(known: sgd, adam, .*did you mean 'sgd'\?\)/],
    [["compare", "--opt", "adam:learningRate=0.1"], /unknown option 'learningRate' \(known options of 'adam': lr, betas, eps, weightDecay, amsgrad, maximize, stateDtype\)/],
    [["compare", "--opt", "sgd:lr=-1", "--epochs", "1"], /--opt optimizer 'SGD \(lr=-1\)': Invalid lr: -1 \(must be >= 0\)/],
    [["compare", "--opt", "sgd:momentum=fast", "--epochs", "1"], /Invalid momentum: fast/],
    [["compare", "--opt", "lbfgs"], /LBFGS needs a closure/],
    [["compare", "--batch", "zero"], /--batch must be a positive integer or 'full', got 'zero'/],
    [["compare", "--epochs", "0"], /--epochs must be a positive integer, got '0'/],
    [["compare", "--schedule", "cosin"], /unknown schedule 'cosin' \(known: cosine, .*did you mean 'cosine'\?\)/],
    [["compare", "--schedule", "step:stepSze=2", "--epochs", "1"], /--schedule 'step:stepSze=2': StepLR: unknown option 'stepSze' \(known: stepSize, gamma, lastEpoch\)/],
    [["compare", "--model", "resnet"], /unknown model 'resnet' \(known: linear, mlp, cnn, rnn, lstm, gru\)/],
    [["compare", "--data", "spirals", "--model", "cnn"], /a CNN needs image samples/],
    [["compare", "--data", "digts"], /--data 'digts': not a built-in dataset \(digits, spirals, .*\).*did you mean 'digits'\?/],
    [["compare", "--backend", "gpu"], /argument 'gpu' is invalid. Allowed choices are auto, relaxed-simd, simd, scalar, js/],
    [["landscape", "--fn", "rosenbrok"], /unknown landscape 'rosenbrok' .*did you mean 'rosenbrock'\?/],
    [["advise", "--lr-grid", "0.1,abc"], /--lr-grid: 'abc' is not a learning rate/],
    [["train", "--opt", "sgd", "--opt", "adam"], /train takes one --opt \(got 2\)/],
  ])("%j", (args, message) => {
    const r = run(...(args as string[]));
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(message as RegExp);
  });

  it("says where it looked for a missing data directory, and which Debian package provides Fashion-MNIST", () => {
    const r = run("compare", "--data", "fashion-mnist", "--data-dir", "/nonexistent/fmnist");
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("no directory /nonexistent/fmnist");
    expect(r.stderr).toContain("train-images-idx3-ubyte[.gz]");
    expect(r.stderr).toContain("dataset-fashion-mnist");
  });
});

describe("runs", () => {
  const out = mkdtempSync(join(tmpdir(), "wasm-optim-cli-"));

  it("compare: a tiny run end to end, with a summary table and a report", () => {
    const r = run("compare", "--data", "moons", "--model", "mlp:8", "--opt", "sgd:lr=0.1", "--opt", "adam:lr=0.01", "--epochs", "3", "--batch", "32",
      "--schedule", "cosine", "--out", out, "--name", "tiny");
    expect(r.stderr).toBe("");
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^optimizer +train loss +test loss +test acc +best epoch +steps to /m);
    expect(r.stdout).toMatch(/^SGD \(lr=0\.1\) +\d/m);
    expect(r.stdout).toMatch(/^Adam \(lr=0\.01\) +\d/m);
    const dir = join(out, "tiny");
    const html = readFileSync(join(dir, "report.html"), "utf8");
    // Loss per step and per second, test loss and accuracy per epoch, the schedule.
    expect(html.match(/<svg/g)).toHaveLength(5);
    for (const title of ["Training loss per step", "Training loss against wall time", "Test loss per epoch", "Test accuracy per epoch", "Learning rate per step"]) {
      expect(html).toContain(title);
    }
    const history = JSON.parse(readFileSync(join(dir, "history.json"), "utf8"));
    expect(history.runs.map((x: { name: string }) => x.name)).toEqual(["SGD (lr=0.1)", "Adam (lr=0.01)"]);
    expect(history.runs[0].epochs).toHaveLength(3);
    const csv = readFileSync(join(dir, "history.csv"), "utf8").trim().split("\r\n");
    expect(csv[0]).toBe("optimizer,seed,epoch,loss,accuracy,test_loss,test_accuracy,lr,seconds,samples_per_second");
    expect(csv).toHaveLength(1 + 2 * 3);
    expect(existsSync(join(dir, "steps.csv"))).toBe(true);
  });

  it("train: --save, then --resume gives the same run as never stopping; --export writes safetensors", () => {
    const common = ["train", "--data", "moons", "--model", "mlp:8", "--opt", "sgd:lr=0.1,momentum=0.9", "--batch", "32", "--out", out];
    const ckpt = join(out, "run.ckpt");
    expect(run(...common, "--epochs", "2", "--save", ckpt, "--name", "first").status).toBe(0);
    const resumed = run(...common, "--epochs", "4", "--resume", ckpt, "--export", join(out, "w.safetensors"), "--name", "resumed");
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`resuming after epoch 2 from ${ckpt}`);
    expect(run(...common, "--epochs", "4", "--name", "straight").status).toBe(0);
    const epochs = (name: string) => JSON.parse(readFileSync(join(out, name, "history.json"), "utf8")).epochs as { loss: number; valLoss: number }[];
    expect(epochs("resumed").map((e) => [e.loss, e.valLoss])).toEqual(epochs("straight").map((e) => [e.loss, e.valLoss]));
    const weights = readFileSync(join(out, "w.safetensors"));
    const header = JSON.parse(weights.subarray(8, 8 + Number(weights.readBigUInt64LE(0))).toString("utf8"));
    expect(Object.keys(header)).toEqual(expect.arrayContaining(["0.weight", "0.bias", "2.weight", "2.bias"]));
  });

  it("lr-find, landscape and advise print their summaries and write reports", () => {
    const lr = run("lr-find", "--data", "moons", "--model", "mlp:8", "--opt", "sgd", "--num-iter", "60", "--out", out, "--name", "lr");
    expect(lr.status).toBe(0);
    expect(lr.stdout).toMatch(/SGD: suggested lr [\d.e-]+ \(steepest fall of the smoothed loss\)/);
    expect(readFileSync(join(out, "lr", "report.html"), "utf8")).toContain("<svg");

    const land = run("landscape", "--fn", "ravine,saddle", "--steps", "500", "--opt", "sgd:lr=0.15", "--opt", "sgd:lr=0.3", "--out", out, "--name", "land");
    expect(land.status).toBe(0);
    // 0.05 x² + 5 y² (curvatures 0.1 and 10): lr 0.15 < 2/10 converges, x shrinking by 0.985 per step; lr 0.3 > 2/10
    // doubles y every step until it leaves the box.
    expect(land.stdout).toMatch(/^SGD \(lr=0\.15\) +\d+ /m);
    expect(land.stdout).toMatch(/^SGD \(lr=0\.3\) +diverged @ \d+/m);
    expect(readFileSync(join(out, "land", "report.html"), "utf8").match(/<svg/g)).toHaveLength(2);

    const advice = run("advise", "--data", "moons", "--model", "mlp:8", "--opt", "sgd", "--opt", "adam", "--lr-grid", "0.003,0.03,0.3", "--epochs", "2", "--out", out, "--name", "adv");
    expect(advice.status).toBe(0);
    expect(advice.stdout).toMatch(/(SGD|Adam) was best after 2 epochs: loss [\d.]+ at lr/);
    expect(existsSync(join(out, "adv", "report.html"))).toBe(true);
  });
});
