// Shared by the robustness tests: temporary files, and one assertion for "a bad input gives a clear error": a
// DataError (or the given class) whose message names what it must name, with no stack-trace line in the message,
// thrown within a time bound, leaving an engine's memory as it was.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect } from "vitest";
import type { Engine } from "../../src/engine/engine.js";
import { DataError } from "../../src/data/errors.js";

/** A temporary directory removed after the file's tests. */
export function tempDir(prefix: string): { dir: string; file: (name: string, bytes: Uint8Array | string) => string } {
  const dir = mkdtempSync(join(tmpdir(), `wasm-optim-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return {
    dir,
    file(name, bytes) {
      const path = join(dir, name);
      mkdirSync(join(path, ".."), { recursive: true });
      writeFileSync(path, bytes);
      return path;
    },
  };
}

/** Bad inputs tried by this test file (each call of rejects/throws counts one); the total is printed at the end. */
let tried = 0;
afterAll(() => {
  if (tried > 0) console.log(`robustness: ${tried} bad inputs tried in this file`);
});

export interface Expectation {
  /** Strings or patterns the message must contain (the file path, the field, the sizes). */
  names: (string | RegExp)[];
  /** The error class (default DataError). */
  type?: new (...args: never[]) => Error;
  /** An engine whose memory must not grow. */
  engine?: Engine;
  /** Time bound in milliseconds (default 5000). */
  ms?: number;
}

function check(e: unknown, start: number, before: number | null, expect_: Expectation): Error {
  const ms = performance.now() - start;
  expect(e, "expected an error").toBeInstanceOf(expect_.type ?? DataError);
  const err = e as Error;
  for (const n of expect_.names) {
    if (typeof n === "string") expect(err.message).toContain(n);
    else expect(err.message).toMatch(n);
  }
  expect(err.message).not.toMatch(/\n\s+at /);
  expect(ms).toBeLessThan(expect_.ms ?? 5000);
  if (before !== null) expect(expect_.engine!.memory.buffer.byteLength).toBe(before);
  return err;
}

/** Asserts that `run` rejects as `expectation` says; returns the error. */
export async function rejects(run: () => Promise<unknown>, expectation: Expectation): Promise<Error> {
  tried++;
  const before = expectation.engine ? expectation.engine.memory.buffer.byteLength : null;
  const start = performance.now();
  try {
    await run();
  } catch (e) {
    return check(e, start, before, expectation);
  }
  throw new Error(`expected an error naming ${expectation.names.join(", ")}, got none`);
}

/** Asserts that `run` throws as `expectation` says; returns the error. */
export function throws(run: () => unknown, expectation: Expectation): Error {
  tried++;
  const before = expectation.engine ? expectation.engine.memory.buffer.byteLength : null;
  const start = performance.now();
  try {
    run();
  } catch (e) {
    return check(e, start, before, expectation);
  }
  throw new Error(`expected an error naming ${expectation.names.join(", ")}, got none`);
}
