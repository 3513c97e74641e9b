// Bundles the library: dist/index.js (browser-safe: Node, browsers, workers, edge runtimes), dist/node.js (the
// Node-only parts: files, progress bar, reports) and dist/cli.js (the command line).
import { build } from "esbuild";
import { existsSync } from "node:fs";

const common = { bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning" };
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js", platform: "neutral" });
for (const entry of ["node", "cli"]) {
  if (!existsSync(`src/${entry}.ts`)) continue;
  await build({
    ...common,
    entryPoints: [`src/${entry}.ts`],
    outfile: `dist/${entry}.js`,
    platform: "node",
    packages: "external",
    banner: entry === "cli" ? { js: "#!/usr/bin/env node" } : undefined,
  });
}
