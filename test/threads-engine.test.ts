// The threads option of createEngine: what it accepts, what the engine reports, and that its workers never keep a
// Node process alive: a script that creates a threaded engine exits by itself, whether it calls dispose() or
// forgets to (the workers are unref'd). The scripts run in child processes, bundled from src/ by esbuild.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import { afterAll, describe, expect, it } from "vitest";
import { createEngine } from "../src/index.js";
import { withSharedMemoryImport } from "../src/engine/shared-module.js";

describe("createEngine({ threads })", () => {
  it("runs on the threads asked for, 'auto' on the cores the runtime reports, and ends them on dispose()", async () => {
    const engine = await createEngine({ backend: "simd", threads: 3 });
    expect([engine.threads, engine.threadsReason]).toEqual([3, ""]);
    engine.dispose();
    expect(engine.threads).toBe(1);
    engine.dispose(); // idempotent
    const p = engine.tensor(new Float32Array(100_000).fill(2));
    engine.kernels.f32_scale(p.ptr, p.length, 0.5); // still works, on the calling thread
    expect(p.array[99_999]).toBe(1);
    const auto = await createEngine({ backend: "simd", threads: "auto" });
    expect(auto.threads).toBe(availableParallelism());
    auto.dispose();
    expect((await createEngine()).threads).toBe(1);
  });

  it("the js backend runs on one thread and says why", async () => {
    const engine = await createEngine({ backend: "js", threads: 2 });
    expect(engine.threads).toBe(1);
    expect(engine.threadsReason).toMatch(/js backend runs every kernel on the calling thread/);
  });

  it("rejects a bad thread count by name before any work", async () => {
    for (const threads of [0, -1, 1.5, 65, NaN, "many"]) {
      await expect(createEngine({ threads: threads as number }), String(threads)).rejects.toThrow(/createEngine: threads must be an integer from 1 to 64 or 'auto'/);
    }
  });
});

describe("withSharedMemoryImport", () => {
  it("declares the memory import of a build shared, with the 4 GiB maximum, and refuses a module that imports none", async () => {
    const { wasmBytes } = await import("../src/engine/embedded.js");
    const shared = withSharedMemoryImport(wasmBytes("scalar"));
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 65536, shared: true });
    const { instance } = await WebAssembly.instantiate(shared, { env: { memory } });
    expect(typeof instance.exports.f32_scale).toBe("function");
    await expect(WebAssembly.instantiate(shared, { env: { memory: new WebAssembly.Memory({ initial: 2, maximum: 10 }) } })).rejects.toThrow();
    const noImports = new Uint8Array([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
    expect(() => withSharedMemoryImport(noImports)).toThrow("the kernel module imports no memory");
  });
});

describe("a Node process with a threaded engine", () => {
  const dir = mkdtempSync(join(tmpdir(), "wasm-optim-threads-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function runScript(name: string, body: string): Promise<{ code: number | null; stdout: string; ms: number }> {
    const entry = join(dir, `${name}.ts`);
    writeFileSync(entry, `import { createEngine } from ${JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)))};\n${body}`);
    await build({ entryPoints: [entry], outfile: join(dir, `${name}.mjs`), bundle: true, format: "esm", platform: "node", logLevel: "warning" });
    const start = Date.now();
    return new Promise((resolve) => {
      const child = execFile(process.execPath, [join(dir, `${name}.mjs`)], { timeout: 30_000 }, (error, stdout) => {
        resolve({ code: child.exitCode ?? (error ? -1 : 0), stdout, ms: Date.now() - start });
      });
    });
  }

  const work = `
const engine = await createEngine({ backend: "simd", threads: 2 });
const p = engine.tensor(new Float32Array(1 << 20).fill(3));
engine.kernels.f32_scale(p.ptr, p.length, 2);
console.log(engine.threads, p.array[(1 << 20) - 1]);
`;

  it("exits by itself after dispose()", async () => {
    const r = await runScript("disposed", `${work}engine.dispose();\n`);
    expect([r.code, r.stdout.trim()]).toEqual([0, "2 6"]);
  });

  it("runs its workers from a minified bundle, with and without keepNames (the worker is its function's source)", async () => {
    for (const keepNames of [false, true]) {
      const entry = join(dir, "lib.ts");
      writeFileSync(entry, `export * from ${JSON.stringify(fileURLToPath(new URL("../src/index.ts", import.meta.url)))};\n`);
      const outfile = join(dir, `lib-${keepNames}.mjs`);
      await build({ entryPoints: [entry], outfile, bundle: true, format: "esm", platform: "node", minify: true, keepNames, logLevel: "warning" });
      const lib = (await import(outfile)) as typeof import("../src/index.js");
      const engine = await lib.createEngine({ backend: "simd", threads: 2 });
      const p = engine.tensor(new Float32Array(1 << 18).fill(3));
      expect(engine.kernels.f32_sum_abs(p.ptr, p.length), `keepNames ${keepNames}`).toBe(3 * (1 << 18));
      engine.dispose();
    }
  });

  it("exits by itself when the engine is never disposed", async () => {
    const r = await runScript("forgotten", work);
    expect([r.code, r.stdout.trim()]).toEqual([0, "2 6"]);
    expect(r.ms).toBeLessThan(25_000);
  });
});
