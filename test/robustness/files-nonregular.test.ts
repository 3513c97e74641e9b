// Paths that are not regular files, given to every reader of user files: a directory, a FIFO (which would block a
// reader for ever), /dev/zero (which never ends), a missing file, a dangling symbolic link, an empty file. Each
// gives a DataError naming the path at once, without reading a byte.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, symlinkSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, it } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { readCsvFile, readIdxFile, readMaybeGzipped } from "../../src/data/node/read.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { importSafetensors, readCheckpoint, readSafetensorsFile } from "../../src/train/checkpoint-file.js";
import { rejects, tempDir } from "./harness.js";

const { dir, file } = tempDir("files");

const paths: [string, () => string, RegExp][] = [
  ["a directory", () => (mkdirSync(join(dir, "a-dir"), { recursive: true }), join(dir, "a-dir")), /is a directory, not a regular file/],
  ["a FIFO", () => { const p = join(dir, "a-fifo"); if (!existsSync(p)) execFileSync("mkfifo", [p]); return p; }, /is a FIFO \(named pipe\), not a regular file/],
  ["/dev/zero", () => "/dev/zero", /is a character device, not a regular file/],
  ["/dev/null", () => "/dev/null", /is a character device, not a regular file/],
  ["a missing file", () => join(dir, "missing.bin"), /cannot open the .*: no such file/],
  ["a missing directory", () => join(dir, "no-such-dir", "x.bin"), /cannot open the .*: no such file/],
  ["a dangling symbolic link", () => { const p = join(dir, "dangling"); if (!existsSync(p)) symlinkSync(join(dir, "nowhere"), p); return p; }, /no such file/],
  ["a path through a file", () => join(file("plain.txt", "x"), "child"), /not a directory/],
];

const readers: [string, (path: string) => Promise<unknown>][] = [
  ["readCsvFile", (p) => readCsvFile(p)],
  ["readIdxFile", (p) => readIdxFile(p)],
  ["readMaybeGzipped", (p) => readMaybeGzipped(p)],
  ["readCheckpoint", (p) => readCheckpoint(p)],
  ["readSafetensorsFile", (p) => readSafetensorsFile(p)],
];

let model: Sequential;
beforeAll(async () => {
  model = new Sequential([new Linear(2, 2)]).compile(await createEngine({ backend: "js" }), { inputShape: [2], batchSize: 1 });
  readers.push(["importSafetensors", (p) => importSafetensors(model, p)]);
});

describe("non-regular files", () => {
  for (const [what, make, message] of paths) {
    it(`every reader refuses ${what} at once, naming the path`, async () => {
      const path = make();
      for (const [, read] of readers) await rejects(() => read(path), { names: [`${path}: `, message], ms: 2000 });
    });
  }

  it("every reader refuses an empty file, naming the path and saying it is empty or too short", async () => {
    const path = file("empty.bin", "");
    for (const [, read] of readers.filter(([name]) => name !== "readMaybeGzipped")) {
      await rejects(() => read(path), { names: [`${path}: `, /empty|too short|0 bytes/] });
    }
  });

  it("an unreadable file (no permission) is refused with the path", async () => {
    if (process.getuid?.() === 0) return; // root reads everything
    const path = file("locked.csv", "1,2,0\n");
    const { chmodSync } = await import("node:fs");
    chmodSync(path, 0o000);
    for (const [, read] of readers) await rejects(() => read(path), { names: [`${path}: `, /permission denied/] });
  });
});
