// The packed package, as a user installs it: `npm pack`, then an empty project installs the tarball (no runtime
// dependency, so nothing else arrives), type-checks a program against the published declarations under
// `--lib es2022 --types node` without skipLibCheck, bundles the smallest program (one optimizer, the lean entry,
// one build loaded from the package's wasm file) with esbuild, runs the package's example and the command line.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const root = process.cwd();
const dir = mkdtempSync(join(tmpdir(), "wasm-optim-package-"));
const run = (cmd: string, args: string[], cwd = dir) => execFileSync(cmd, args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });

/** Bytes of everything under `path`, as du counts file sizes. */
function sizeOf(path: string): number {
  const s = statSync(path);
  return s.isDirectory() ? readdirSync(path).reduce((n, e) => n + sizeOf(join(path, e)), 0) : s.size;
}

describe.skipIf(!existsSync(join(root, "dist/index.js")))("the packed package in an empty project", () => {
  beforeAll(() => {
    const [tarball] = JSON.parse(run("npm", ["pack", "--json", "--pack-destination", dir], root)) as { filename: string }[];
    writeFileSync(join(dir, "package.json"), JSON.stringify({ name: "consumer", private: true, type: "module" }));
    run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--ignore-scripts", join(dir, tarball!.filename)]);
    mkdirSync(join(dir, "node_modules/@types"), { recursive: true });
    symlinkSync(join(root, "node_modules/@types/node"), join(dir, "node_modules/@types/node")); // the checker's, not the package's
  }, 180_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("installs nothing but itself", () => {
    const installed = readdirSync(join(dir, "node_modules")).filter((e) => !e.startsWith(".") && e !== "@types");
    expect(installed).toEqual(["wasm-optim"]);
    console.log(`installed size: ${(sizeOf(join(dir, "node_modules/wasm-optim")) / 1024).toFixed(0)} KiB`);
  });

  it("type-checks against the published declarations without skipLibCheck (--lib es2022 --types node)", () => {
    writeFileSync(join(dir, "check.ts"), `
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { Adam, createEngine, Linear, Sequential, type Engine } from "wasm-optim";
import { createEngine as createLean } from "wasm-optim/lean";
import { renderSvg, loadFashionMnist } from "wasm-optim/node";
const engine: Engine = await createEngine({ backend: "simd" });
const bytes = await readFile(createRequire(import.meta.url).resolve("wasm-optim/wasm/simd.wasm"));
const lean: Engine = await createLean({ bytes });
const model = new Sequential([new Linear(2, 2)]);
model.compile(lean, { inputShape: [2], batchSize: 1, seed: 1 });
const reason: string = engine.backendReason;
console.log(reason, new Adam(model.parameters()), renderSvg, loadFashionMnist);
`);
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    expect(() => run(process.execPath, [tsc, "--lib", "es2022", "--types", "node", "--module", "nodenext", "--moduleResolution", "nodenext", "--target", "es2022", "--strict", "--noEmit", "check.ts"])).not.toThrow();
  });

  it("bundles one optimizer and one build small (esbuild, the lean entry)", async () => {
    writeFileSync(join(dir, "minimal.js"), `
import { Adam, createEngine } from "wasm-optim/lean";
import wasm from "wasm-optim/wasm/simd.wasm";
const engine = await createEngine({ bytes: wasm });
const w = engine.parameter([1, 2, 3]);
w.grad.set([1, 1, 1]);
new Adam([w], { lr: 0.1 }).step();
console.log(engine.backend, Array.from(w.data).map((x) => x.toFixed(1)).join(" "));
`);
    await build({ entryPoints: [join(dir, "minimal.js")], absWorkingDir: dir, outfile: join(dir, "out/minimal.mjs"), bundle: true, minify: true, format: "esm", platform: "neutral", target: "es2022", loader: { ".wasm": "binary" }, logLevel: "silent" });
    const js = readFileSync(join(dir, "out/minimal.mjs"), "utf8");
    const wasmBytes = statSync(join(dir, "node_modules/wasm-optim/build/simd.wasm")).size;
    const code = js.length - Math.ceil(wasmBytes / 3) * 4; // esbuild inlines the binary as base64
    console.log(`minimal bundle: ${(js.length / 1024).toFixed(0)} KiB with the simd build (${(code / 1024).toFixed(0)} KiB of JavaScript, ${(wasmBytes / 1024).toFixed(0)} KiB of wasm)`);
    expect(js.match(/AGFzbQEAAAA/g), "one wasm build in the bundle").toHaveLength(1);
    expect(code).toBeLessThan(128 * 1024); // threads and low-bit state added ~20 KiB; the prebuilt chunks tree-shake by statement, not by module: see the README
    expect(run(process.execPath, ["out/minimal.mjs"]).trim()).toBe("simd 0.9 1.9 2.9");
  });

  it("runs the example and the command line (no runtime dependency: commander is inside the CLI bundle)", () => {
    writeFileSync(join(dir, "example.mjs"), readFileSync(join(root, "examples/train-digits.mjs")));
    expect(run(process.execPath, ["example.mjs"])).toMatch(/^test accuracy 9\d\.\d %/);
    expect(run(join(dir, "node_modules/.bin/wasm-optim"), ["--help"])).toContain("Usage: wasm-optim");
    writeFileSync(join(dir, "chart.mjs"), `import { renderSvg } from "wasm-optim/node";\nawait renderSvg({}).catch((e) => console.log(e.message));\n`);
    expect(run(process.execPath, ["chart.mjs"])).toMatch(/^charts need the packages vega and vega-lite, optional peer dependencies of wasm-optim that are not installed: npm install vega vega-lite/);
  });
});
