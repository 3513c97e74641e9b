// Renders the report of every ready-made experiment (or of those named) and screenshots each with Chromium into
// docs/experiment-<name>.png, for the README. Bundles the library's Node entry first.
//
//   node scripts/experiment-reports.mjs [--seeds n] [--size small|full] [name ...]     (default: --seeds 3, full)
import { build } from "esbuild";
import { mkdirSync, writeFileSync } from "node:fs";
import { chromium } from "playwright-core";

const args = process.argv.slice(2);
const flag = (name, fallback) => {
  const i = args.indexOf(name);
  return i < 0 ? fallback : args.splice(i, 2)[1];
};
const seeds = Number(flag("--seeds", "3"));
const size = flag("--size", "full");

const bundles = new URL("../node_modules/.cache/experiment-reports/", import.meta.url);
await build({
  entryPoints: ["src/index.ts", "src/node.ts"], outdir: bundles.pathname, bundle: true, splitting: true, format: "esm",
  platform: "node", packages: "external", logLevel: "warning",
});
const { createEngine } = await import(new URL("index.js", bundles));
const { EXPERIMENTS } = await import(new URL("node.js", bundles));
const engine = await createEngine();
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
const page = await browser.newPage({ viewport: { width: 1240, height: 900 } });
mkdirSync("reports/experiments", { recursive: true });
for (const entry of EXPERIMENTS.filter((e) => args.length === 0 || args.includes(e.name))) {
  const started = performance.now();
  const result = await entry.run({ engine, seeds, size });
  const html = await result.report({ command: `wasm-optim experiment ${entry.name}${seeds > 1 ? ` --seeds ${seeds}` : ""}${size === "small" ? " --size small" : ""}` });
  const file = `reports/experiments/${entry.name}.html`;
  writeFileSync(file, html);
  await page.setContent(html);
  await page.screenshot({ path: `docs/experiment-${entry.name}.png`, fullPage: true });
  console.log(`${entry.name}: ${((performance.now() - started) / 1000).toFixed(1)} s → ${file}, docs/experiment-${entry.name}.png`);
}
await browser.close();
