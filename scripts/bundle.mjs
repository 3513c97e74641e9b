// Bundles the library (dist/index.js, for Node, browsers, workers and edge runtimes) and the CLI (dist/cli.js).
import { build } from "esbuild";
import { existsSync } from "node:fs";

const common = { bundle: true, format: "esm", target: "es2022", sourcemap: true, logLevel: "warning" };
await build({ ...common, entryPoints: ["src/index.ts"], outfile: "dist/index.js", platform: "neutral" });
if (existsSync("src/cli.ts")) {
  await build({
    ...common,
    entryPoints: ["src/cli.ts"],
    outfile: "dist/cli.js",
    platform: "node",
    packages: "external",
    banner: { js: "#!/usr/bin/env node" },
  });
}
