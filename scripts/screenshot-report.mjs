// Screenshots a report page with Debian's Chromium (playwright-core), for the docs' figures.
//
//   node scripts/screenshot-report.mjs <report.html> <out.png> [width=1200]
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [page, out, width = "1200"] = process.argv.slice(2);
if (!page || !out) {
  console.error("usage: node scripts/screenshot-report.mjs <report.html> <out.png> [width]");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const tab = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await tab.goto(pathToFileURL(resolve(page)).href);
  await tab.screenshot({ path: out, fullPage: true });
} finally {
  await browser.close();
}
