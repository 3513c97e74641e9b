// Every command checks its outputs before any work: an unwritable, clashing or dangerous output path is a usage
// error (exit 2) that names the flag, comes within seconds although the run asked for 100000 epochs, and leaves
// every file as it was.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildIfNeeded, cli, expectCleanFailure, snapshot } from "./cli-run.js";

const LONG: Record<string, string[]> = {
  compare: ["compare", "--opt", "sgd:lr=0.1", "--epochs", "100000"],
  train: ["train", "--epochs", "100000"],
  "lr-find": ["lr-find", "--num-iter", "100000"],
  landscape: ["landscape", "--steps", "100000000"],
  advise: ["advise", "--epochs", "100000"],
};

let dir = "";
beforeAll(() => {
  buildIfNeeded();
  dir = mkdtempSync(join(tmpdir(), "wasm-optim-outputs-"));
  writeFileSync(join(dir, "a-file"), "not a folder\n");
  mkdirSync(join(dir, "folder"));
  const rows = Array.from({ length: 60 }, (_, i) => `${(i % 7) / 7},${(i % 5) / 5},${i % 3}`);
  writeFileSync(join(dir, "data.csv"), `${rows.join("\n")}\n`);
  const made = cli(["train", "--epochs", "1", "--save", "good.ckpt", "--out", "reports"], { cwd: dir });
  expect(made.status, made.stderr).toBe(0);
}, 180_000);

function expectRefused(args: string[], message: RegExp): void {
  const before = snapshot(dir);
  const r = cli(args, { cwd: dir });
  expectCleanFailure(r, message, 2);
  expect(r.seconds).toBeLessThan(15);
  expect(snapshot(dir)).toEqual(before);
}

describe.each(Object.keys(LONG))("%s", (command) => {
  const args = LONG[command]!;
  it("refuses --out under a file", () => expectRefused([...args, "--out", "a-file/sub"], /--out a-file\/sub.*a-file is a file, not a folder/));
  it("refuses --out that is a file", () => expectRefused([...args, "--out", "a-file"], /--out a-file.*is a file, not a folder/));
  it("refuses --out where nothing can be written", () => expectRefused([...args, "--out", "/proc/wasm-optim-test"], /--out \/proc\/wasm-optim-test.*cannot write in \/proc/));
  it("refuses a --name with a path in it", () => expectRefused([...args, "--name", "../up"], /--name '..\/up'/));
});

describe("train's files", () => {
  const train = LONG.train!;
  it.each([
    [["--save", "folder"], /--save folder: is a folder/],
    [["--save", "/dev/null"], /--save \/dev\/null: is not a regular file/],
    [["--export", "/dev/zero"], /--export \/dev\/zero: is not a regular file/],
    [["--save", "missing/run.ckpt"], /--save missing\/run.ckpt: the folder .*missing does not exist/],
    [["--save", "a-file/run.ckpt"], /--save a-file\/run.ckpt: .*a-file is not a folder|--save a-file\/run.ckpt: cannot use it/],
    [["--export", "/proc/model.safetensors"], /--export \/proc\/model.safetensors: cannot write in \/proc/],
    [["--save", "x.ckpt", "--export", "x.ckpt"], /--export x.ckpt: the same file as --save/],
    [["--resume", "good.ckpt", "--export", "good.ckpt"], /--export good.ckpt: the same file as --resume/],
    [["--resume", "good.ckpt", "--save", "next.ckpt", "--export", "good.ckpt"], /--export good.ckpt: that is the input of --resume/],
    [["--data", "data.csv", "--save", "data.csv"], /--save data.csv: that is the input of --data/],
    [["--data", "data.csv", "--export", "./data.csv"], /--export .*data.csv: that is the input of --data/],
  ])("refuses %j", (extra, message) => expectRefused([...train, ...(extra as string[]), "--out", "reports"], message as RegExp));
});
