// Bundles the library into dist/: index.js (browser-safe: Node, browsers, workers, edge runtimes; the wasm builds
// are embedded), node.js (the Node-only parts: files, progress bar, reports) and cli.js (the command line). One
// build with code splitting, so the entries share their common modules as chunks: there is one Dataset class,
// one Optimizer class ..., and `instanceof` holds across the entries. Packages and node: modules stay imports.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync } from "node:fs";

// Chunk names change with their contents: remove the previous build's JavaScript (the types in dist/types stay).
mkdirSync("dist", { recursive: true });
for (const f of readdirSync("dist", { withFileTypes: true }).filter((e) => e.isFile())) rmSync(`dist/${f.name}`);

await build({
  entryPoints: ["src/index.ts", "src/node.ts", "src/cli.ts"],
  outdir: "dist",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "neutral",
  packages: "external",
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
