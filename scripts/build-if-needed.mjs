// Runs `npm run build` when a build output is missing or older than its sources (used by `npm test`).
import { execSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";

function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : e.name.endsWith(".gen.ts") ? 0 : statSync(p).mtimeMs);
  }
  return t;
}
const age = (f) => (existsSync(f) ? statSync(f).mtimeMs : -1);
const wasmInputs = Math.max(newest("assembly"), age("asconfig.json"), age("scripts/build-wasm.mjs"));
const wasmStale = Math.min(age("src/engine/wasm-binaries.gen.ts"), age("src/kernels/abi.gen.ts")) < wasmInputs;
if (wasmStale) execSync("npm run build:wasm --silent", { stdio: "inherit" });
if (wasmStale || age("dist/index.js") < newest("src")) execSync("npm run build:ts --silent", { stdio: "inherit" });
