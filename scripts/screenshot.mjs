// Screenshots of HTML reports with Debian's Chromium (playwright-core), for the README and docs/.
//
//   node scripts/screenshot.mjs <report.html> <out.png> [width]      (default width 1240; the full page)
import { chromium } from "playwright-core";
import { pathToFileURL } from "node:url";
import { resolve } from "node:path";

const [html, png, width = "1240"] = process.argv.slice(2);
if (!html || !png) {
  process.stderr.write("usage: node scripts/screenshot.mjs <report.html> <out.png> [width]\n");
  process.exit(2);
}
const browser = await chromium.launch({
  executablePath: "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
});
try {
  const page = await browser.newPage({ viewport: { width: Number(width), height: 900 } });
  await page.goto(pathToFileURL(resolve(html)).href);
  await page.screenshot({ path: png, fullPage: true });
} finally {
  await browser.close();
}
