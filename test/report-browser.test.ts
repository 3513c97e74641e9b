// A report as a person opens it: `compare` writes report.html, Chromium opens the file with the network cut off,
// and every chart renders (a visible SVG with drawn lines) without a request leaving the file.
import { execFileSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";

describe.skipIf(!existsSync(CHROMIUM))("a compare report in Chromium", () => {
  let browser: Browser;
  let dir: string;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { stdio: "pipe" });
    dir = mkdtempSync(join(tmpdir(), "wasm-optim-report-"));
    execFileSync(process.execPath, ["dist/cli.js", "compare", "--epochs", "2", "--opt", "sgd:lr=0.1", "--opt", "adam:lr=1e-3",
      "--schedule", "cosine", "--out", dir, "--name", "r"], { stdio: "pipe" });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("opens offline and renders every chart", async () => {
    const page = await browser.newPage();
    const requests: string[] = [];
    const errors: string[] = [];
    await page.route("**/*", (route) => (route.request().url().startsWith("file:") ? route.continue() : (requests.push(route.request().url()), route.abort())));
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => m.type() === "error" && errors.push(m.text()));
    await page.goto(pathToFileURL(join(dir, "r", "report.html")).href);
    const charts = await page.$$eval("svg.marks", (svgs) =>
      svgs.map((svg) => {
        const box = svg.getBoundingClientRect();
        return { width: box.width, height: box.height, lines: svg.querySelectorAll("path").length };
      }),
    );
    expect(requests).toEqual([]);
    expect(errors).toEqual([]);
    expect(charts.length).toBeGreaterThanOrEqual(4); // loss per step, per second, test loss, test accuracy, lr ...
    for (const c of charts) {
      expect(c.width).toBeGreaterThan(100);
      expect(c.height).toBeGreaterThan(100);
      expect(c.lines).toBeGreaterThan(2);
    }
    await page.close();
  });
});
