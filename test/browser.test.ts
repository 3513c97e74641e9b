// The library in a real browser: Debian's Chromium, driven by playwright-core, loads the bundle from a localhost
// server. web/determinism.js runs the same seeded training and optimizer steps in Node, in a page and in a Web
// Worker; the simd, scalar and js backends must give bit-identical weights (equal SHA-256) in all three. The
// demo page must train without a console error. Skipped when /usr/bin/chromium is missing (apt install chromium).
//
// Node and the browser run one snapshot of web/ and dist/ (copied to a temporary directory), so a
// rebuild of dist/ by someone else during the test cannot make the two sides run different code.
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const CHROMIUM = "/usr/bin/chromium";
const ROOT = fileURLToPath(new URL("..", import.meta.url));
const EXACT_BACKENDS = ["simd", "scalar", "js"];

interface Trained {
  hash: string;
  loss: number;
  accuracy: number;
  valLoss?: number;
  valAccuracy?: number;
}
interface DeterminismResult {
  backend: string;
  mlp: Trained;
  cnn: Trained;
  optimizers: Record<string, string>;
  ms: number;
}
interface CheckResult {
  supported: string[];
  results: DeterminismResult[];
}

if (!existsSync(CHROMIUM)) console.warn(`test/browser.test.ts skipped: ${CHROMIUM} not found (on Debian: apt install chromium)`);

describe.skipIf(!existsSync(CHROMIUM))("in Chromium (playwright-core, /usr/bin/chromium)", () => {
  let snapshot = "";
  let server: { url: string; close(): Promise<void> };
  let browser: Browser;
  let node: CheckResult;

  beforeAll(async () => {
    execFileSync(process.execPath, ["scripts/build-if-needed.mjs"], { cwd: ROOT, stdio: "inherit" });
    snapshot = mkdtempSync(join(tmpdir(), "wasm-optim-browser-"));
    cpSync(join(ROOT, "web"), join(snapshot, "web"), { recursive: true });
    // index.js and the chunks it imports (the bundle is split into chunks shared with dist/node.js and dist/cli.js).
    cpSync(join(ROOT, "dist"), join(snapshot, "dist"), { recursive: true, filter: (f) => !/(node|cli)\.js(\.map)?$/.test(f) });
    const serve = await import(pathToFileURL(join(ROOT, "scripts/serve.mjs")).href);
    server = await serve.startServer({ root: snapshot, port: 0 });
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update"],
    });
    const check = await import(pathToFileURL(join(snapshot, "web/determinism.js")).href);
    node = await check.runAll();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (snapshot) rmSync(snapshot, { recursive: true, force: true });
  });

  /** A page of the demo's origin whose page errors, console errors and failed requests are collected. */
  async function openPage(path = "web/"): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1000, height: 900 } });
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
    page.on("console", (m) => void (m.type() === "error" && errors.push(`console: ${m.text()}`)));
    page.on("worker", (w) => w.on("console", (m) => void (m.type() === "error" && errors.push(`worker console: ${m.text()}`))));
    page.on("requestfailed", (r) => errors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    page.on("response", (r) => void (r.status() >= 400 && errors.push(`HTTP ${r.status()}: ${r.url()}`)));
    await page.goto(server.url + path);
    return { page, errors };
  }

  function byBackend(check: CheckResult): Map<string, Omit<DeterminismResult, "ms">> {
    return new Map(check.results.map(({ ms: _ms, ...rest }) => [rest.backend, rest]));
  }

  /** simd, scalar and js equal Node's, bit for bit; relaxed-simd close to Node's (its fused multiply-adds may differ). */
  function compareWithNode(where: string, check: CheckResult): void {
    expect(check.supported).toEqual(expect.arrayContaining(EXACT_BACKENDS));
    const mine = byBackend(check), nodes = byBackend(node);
    for (const backend of EXACT_BACKENDS) {
      expect(nodes.get(backend), `Node ${backend}`).toBeDefined();
      expect(mine.get(backend), `${where} ${backend}`).toEqual(nodes.get(backend));
      expect({ ...mine.get(backend), backend: "" }, `${where} ${backend} vs simd`).toEqual({ ...mine.get("simd"), backend: "" });
    }
    const relaxed = mine.get("relaxed-simd"), nodeRelaxed = nodes.get("relaxed-simd");
    if (relaxed && nodeRelaxed) {
      for (const model of ["mlp", "cnn"] as const) {
        expect(relaxed[model].loss).toBeCloseTo(nodeRelaxed[model].loss, 3);
        expect(Math.abs(relaxed[model].accuracy - nodeRelaxed[model].accuracy)).toBeLessThanOrEqual(0.01);
      }
      const same = JSON.stringify(relaxed) === JSON.stringify(nodeRelaxed);
      const sameAsSimd = relaxed.mlp.hash === mine.get("simd")!.mlp.hash;
      console.info(`${where}: relaxed-simd is ${same ? "bit-identical to" : "different from"} Node's relaxed-simd, ${sameAsSimd ? "equal to" : "different from"} simd`);
    }
  }

  it("the check itself trains: real accuracies, and every optimizer moves the parameters its own way", () => {
    for (const r of node.results) {
      expect(r.mlp.valAccuracy, r.backend).toBeGreaterThan(0.9);
      expect(r.cnn.accuracy, r.backend).toBeGreaterThan(0.4);
      const hashes = Object.values(r.optimizers);
      expect(hashes).toHaveLength(15);
      expect(new Set(hashes).size, r.backend).toBe(hashes.length);
    }
  });

  it("runs the seeded training and every optimizer bit-identically to Node (page)", async () => {
    const { page, errors } = await openPage();
    // A string, not a function: vitest would rewrite a function's import() into its own loader.
    const check: CheckResult = await page.evaluate(`import(new URL("determinism.js", location.href).href).then((m) => m.runAll())`);
    compareWithNode("page", check);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("does the same inside a Web Worker", async () => {
    const { page, errors } = await openPage();
    const check = await page.evaluate(
      () =>
        new Promise<CheckResult | { error: string }>((resolve) => {
          const worker = new Worker(new URL("check-worker.js", location.href), { type: "module" });
          worker.onmessage = (e) => resolve(e.data);
          worker.onerror = (e) => resolve({ error: `worker failed to run: ${e.message}` });
          worker.postMessage("run");
        }),
    );
    if ("error" in check) throw new Error(check.error);
    compareWithNode("worker", check);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("the demo page trains an epoch in its worker and shows the result, without errors", async () => {
    const { page, errors } = await openPage();
    await page.selectOption("#optimizer", "momentum");
    expect(await page.inputValue("#lr")).toBe("0.02");
    await page.fill("#epochs", "1");
    await page.click("#train");
    await page.waitForSelector('#status[data-state="done"], #status[data-state="error"]', { timeout: 30_000 });
    expect(await page.textContent("#status")).toMatch(/^Done in \d+\.\d s: test loss \d\.\d{4}, accuracy \d+\.\d %\.$/);
    expect(await page.textContent("#backend-used")).toBe("relaxed-simd"); // 'auto' in Chromium (relaxed SIMD since 114)
    expect(await page.textContent("#epoch")).toBe("1 / 1");
    expect(await page.locator("#chart circle").count()).toBe(3);
    expect(await page.locator("#digits figure").count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });
});
