// Threads in Chromium (playwright-core, Debian's /usr/bin/chromium): served cross-origin isolated (COOP/COEP by
// scripts/serve.mjs), a page runs web/threads-check.js on 1-4 threads of every backend — its engines' workers are
// Web Workers started from an inline Blob URL — and must get the bits of one thread and of Node. A page served
// without the headers runs on one thread and says why; the demo says how many threads it trains on.
// Skipped when /usr/bin/chromium is missing.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("..", import.meta.url));

interface Run {
  backend: string;
  threads: number;
  runs: number;
  reason: string;
  gemm: string;
  optimizers: string;
  mlp: string;
}
interface ThreadsCheck {
  isolated: boolean | null;
  results: Run[];
}

describe.skipIf(!existsSync(CHROMIUM))("threads in Chromium", () => {
  let snapshot = "";
  const servers: { url: string; close(): Promise<void> }[] = [];
  let browser: Browser;
  let node: ThreadsCheck;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { cwd: ROOT, stdio: "inherit" });
    snapshot = mkdtempSync(join(tmpdir(), "wasm-optim-threads-browser-"));
    cpSync(join(ROOT, "web"), join(snapshot, "web"), { recursive: true });
    cpSync(join(ROOT, "dist"), join(snapshot, "dist"), { recursive: true, filter: (f) => !/(node|cli)\.js(\.map)?$/.test(f) });
    const serve = await import(pathToFileURL(join(ROOT, "scripts/serve.mjs")).href);
    for (const isolated of [true, false]) servers.push(await serve.startServer({ root: snapshot, port: 0, isolated }));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    const check = await import(pathToFileURL(join(snapshot, "web/threads-check.js")).href);
    node = await check.runThreads();
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    for (const s of servers) await s.close();
    if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  });

  async function open(server: number) {
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => void (m.type() === "error" && errors.push(`console: ${m.text()}`)));
    await page.goto(servers[server]!.url + "web/");
    return { page, errors };
  }

  it("a cross-origin isolated page runs 1-4 threads with the bits of one thread and of Node", async () => {
    const { page, errors } = await open(0);
    // A string, not a function: vitest would rewrite a function's import() into its own loader.
    const check: ThreadsCheck = await page.evaluate(`import(new URL("threads-check.js", location.href).href).then((m) => m.runThreads())`);
    expect(check.isolated).toBe(true);
    const key = (r: Run) => `${r.backend} ×${r.threads}`;
    const nodeRuns = new Map(node.results.map((r) => [key(r), r]));
    for (const r of check.results) {
      expect(r.runs, key(r)).toBe(r.backend === "js" ? 1 : r.threads);
      const one = check.results.find((o) => o.backend === r.backend && o.threads === 1)!;
      expect([r.gemm, r.optimizers, r.mlp], `${key(r)} vs one thread`).toEqual([one.gemm, one.optimizers, one.mlp]);
      // relaxed SIMD may fuse differently on another engine build; the exact backends must match Node.
      if (r.backend !== "relaxed-simd") expect([r.gemm, r.optimizers, r.mlp], `${key(r)} vs Node`).toEqual([nodeRuns.get(key(r))!.gemm, nodeRuns.get(key(r))!.optimizers, nodeRuns.get(key(r))!.mlp]);
    }
    expect(new Set(check.results.map((r) => r.backend))).toEqual(new Set(["relaxed-simd", "simd", "scalar", "js"]));
    expect(errors).toEqual([]);
    await page.close();
  });

  it("a page served without COOP/COEP runs on one thread and says why", async () => {
    const { page, errors } = await open(1);
    const probe = await page.evaluate(`import(new URL("threads-check.js", location.href).href).then((m) => m.probeThreads())`);
    expect(probe).toEqual({ threads: 1, reason: expect.stringMatching(/cross-origin isolated|SharedArrayBuffer/) });
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the demo trains on the page's cores and shows how many threads it uses", async () => {
    const { page, errors } = await open(0);
    await page.fill("#epochs", "1");
    await page.click("#train");
    await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 60_000 });
    expect(await page.textContent("#status")).toMatch(/^Done in/);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    expect(await page.textContent("#threads-used")).toBe(String(cores));
    expect(errors).toEqual([]);
    await page.close();
  });
});
