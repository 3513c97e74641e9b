// The CLI runs itself again with --experimental-wasm-relaxed-simd on Node 18-20 (src/cli/relaunch.ts): 'auto'
// then picks relaxed-simd, and the relaunch is invisible otherwise: the same exit status and stderr for a usage
// error, a signal to the parent ends the child and the parent by that signal, no process left behind.
import { execFileSync, spawn } from "node:child_process";
import { beforeAll, describe, expect, it } from "vitest";
import { needsRelaunch } from "../../src/cli/relaunch.js";
import { buildIfNeeded, cli, expectCleanFailure } from "./cli-run.js";

const major = Number(process.versions.node.split(".")[0]);
const FLAG = "--experimental-wasm-relaxed-simd";
/** Whether the CLI, started as cli() starts it (without the flag), relaunches itself. */
const relaunches = major >= 18 && major <= 20 && !(process.env.NODE_OPTIONS ?? "").includes(FLAG);
const TRAIN = ["train", "--data", "digits", "--model", "mlp:16", "--epochs", "1"];

beforeAll(() => buildIfNeeded());

describe("the relaunch with the relaxed-SIMD flag", () => {
  it("is needed on Node 18-20 only, and not when the flag is given or switched off", () => {
    expect(needsRelaunch({}, [FLAG])).toBe(false);
    expect(needsRelaunch({ NODE_OPTIONS: `--max-old-space-size=512 ${FLAG}` }, [])).toBe(false);
    expect(needsRelaunch({ WASM_OPTIM_RELAUNCH: "0" }, [])).toBe(false);
  });

  it.runIf(relaunches)("lets 'auto' pick relaxed-simd in the CLI; WASM_OPTIM_RELAUNCH=0 stays on simd", () => {
    const r = cli(TRAIN);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/relaxed-simd kernels/);
    const plain = execFileSync(process.execPath, ["dist/cli.js", ...TRAIN], { encoding: "utf8", env: { ...process.env, WASM_OPTIM_RELAUNCH: "0" } });
    expect(plain).toMatch(/, simd kernels/);
  });

  it("keeps a usage error's exit status 2 and its one line on stderr", () => {
    const r = cli(["train", "--epochs", "x"]);
    expectCleanFailure(r, /--epochs must be a positive integer, got 'x'/, 2);
    expect(r.stdout).toBe("");
  });

  it.runIf(relaunches)("passes a SIGTERM on to the child: both end, the parent by the same signal", async () => {
    const parent = spawn(process.execPath, ["dist/cli.js", "train", "--data", "digits", "--model", "mlp:256,256", "--epochs", "200"], { stdio: ["ignore", "pipe", "pipe"] });
    await new Promise((resolve) => parent.stdout.once("data", resolve)); // the child is running
    const children = execFileSync("pgrep", ["-P", String(parent.pid)], { encoding: "utf8" }).trim().split("\n").map(Number);
    expect(children).toHaveLength(1);
    const ended = new Promise<[number | null, string | null]>((resolve) => parent.on("exit", (code, signal) => resolve([code, signal])));
    parent.kill("SIGTERM");
    expect(await ended).toEqual([null, "SIGTERM"]);
    expect(() => process.kill(children[0]!, 0)).toThrow(); // gone
  });
});
