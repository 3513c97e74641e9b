// Bundles the library into dist/: index.js (browser-safe: Node, browsers, workers, edge runtimes; the wasm builds
// are embedded), lean.js (the same without the embedded builds), node.js (the Node-only parts: files, progress
// bar, reports) and cli.js (the command line). The library entries are one build with code splitting, so they
// share their common modules as chunks: there is one Dataset class, one Optimizer class ..., and `instanceof`
// holds across the entries. Packages and node: modules stay imports (vega and vega-lite, optional peers, are
// imported on the first chart). The command line is a build of its own that carries its packages (commander,
// vega, vega-lite; whitespace-minified), so that the package has no runtime dependency and `npx wasm-optim` runs
// and draws its reports all the same.
import { build } from "esbuild";
import { mkdirSync, readdirSync, rmSync } from "node:fs";

// Chunk names change with their contents: remove the previous build's JavaScript (the types in dist/types stay).
mkdirSync("dist", { recursive: true });
for (const f of readdirSync("dist", { withFileTypes: true }).filter((e) => e.isFile())) rmSync(`dist/${f.name}`);

await build({
  entryPoints: ["src/index.ts", "src/lean.ts", "src/node.ts"],
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

await build({
  entryPoints: ["src/cli.ts"],
  outfile: "dist/cli.js",
  bundle: true,
  format: "esm",
  platform: "node",
  external: ["canvas"], // vega-canvas tries it for PNG output, which the reports do not use
  minifyWhitespace: true,
  minifySyntax: true,
  // commander is CommonJS and requires node's modules: give the ES module a require.
  banner: { js: 'import { createRequire as __wasmOptimRequire } from "node:module"; const require = __wasmOptimRequire(import.meta.url);' },
  target: "es2022",
  sourcemap: true,
  logLevel: "warning",
});
