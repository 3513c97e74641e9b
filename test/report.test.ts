import fc from "fast-check";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Adadelta, Adagrad, Adam, Adamax, AdamW, ASGD, createEngine, LBFGS, Lion, NAdam, RAdam, RMSprop, Rprop, SGD } from "../src/index.js";
import { Adafactor, AdamWScheduleFree, Lookahead, Muon, SAM, MuonWithAdamW, SGDScheduleFree } from "../src/index.js";
import { runLandscape } from "../src/lab/landscape.js";
import { himmelblau, rastrigin } from "../src/lab/landscapes.js";
import { contourLevels, isolines, sampleGrid } from "../src/report/contour.js";
import { toCsv } from "../src/report/csv.js";
import { explainOptimizer, optimizerExplanations } from "../src/report/explain.js";
import { escapeHtml, formatNumber, renderReport } from "../src/report/html.js";
import { landscapeChart } from "../src/report/landscape-chart.js";
import { lineChart, scheduleChart } from "../src/report/line-chart.js";
import { lrFinderChart } from "../src/report/lr-finder-chart.js";
import { SERIES_COLORS } from "../src/report/palette.js";
import { uniqueIds } from "../src/report/render.js";
import { thinSeries } from "../src/report/thin.js";
import { writeReport } from "../src/report/write.js";

/** Throws unless `svg` is one well-formed <svg> element: tags nest and close, attributes are quoted, & is escaped. */
function assertWellFormedSvg(svg: string): void {
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg.endsWith("</svg>")).toBe(true);
  expect(svg).toMatch(/^<svg[^>]* width="\d+" height="\d+" viewBox="0 0 \d+ \d+"/);
  expect(svg).not.toMatch(/&(?!(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/);
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<]*")*)\s*(\/?)>/g;
  let last = 0;
  for (let m = tag.exec(svg); m; m = tag.exec(svg)) {
    expect(svg.slice(last, m.index), `text before <${m[2]}>`).not.toMatch(/[<>]/);
    last = tag.lastIndex;
    const [, closing, name, , selfClosing] = m;
    if (closing) expect(stack.pop(), `</${name}>`).toBe(name);
    else if (!selfClosing) stack.push(name!);
  }
  expect(last, "the whole document is tags and text").toBe(svg.length);
  expect(stack).toEqual([]);
}

/** The SVG groups of one named mark, and the <path> elements in them. */
function markPaths(svg: string, markName: string): string[] {
  const groups = [...svg.matchAll(new RegExp(`<g class="mark-line role-mark ${markName}_marks"[^>]*>(.*?)</g>`, "g"))];
  return groups.flatMap((g) => g[1]!.match(/<path [^>]*>/g) ?? []);
}

function pathPoints(path: string): number {
  return (path.match(/ d="([^"]*)"/)![1]!.match(/[ML]/g) ?? []).length;
}

const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe("charts", () => {
  it("lineChart: one path per series, the names in the legend, long series thinned, log scale without values ≤ 0", async () => {
    const n = 100_000;
    const svg = await lineChart({
      title: "Loss <train>",
      yLabel: "loss",
      logY: true,
      series: [
        { name: "SGD", y: Float64Array.from({ length: n }, (_, i) => 1 / (1 + i)) },
        { name: "Adam & co", y: Float64Array.from({ length: n }, (_, i) => (i === 5000 ? 50 : Math.exp(-i / 1e4))) },
        { name: "diverged", y: [1, 0.5, NaN, Infinity, 0, -1], x: [1, 2, 3, 4, 5, 6] },
      ],
    });
    assertWellFormedSvg(svg);
    const paths = markPaths(svg, "series");
    expect(paths).toHaveLength(3);
    expect(paths.map((p) => p.match(/stroke="([^"]*)"/)![1])).toEqual(SERIES_COLORS.slice(0, 3));
    expect(texts(svg)).toEqual(expect.arrayContaining(["SGD", "Adam &amp; co", "diverged", "Loss &lt;train&gt;", "loss", "step"]));
    for (const p of paths.slice(0, 2)) expect(pathPoints(p)).toBeLessThanOrEqual(500);
    expect(pathPoints(paths[2]!)).toBe(2); // the non-finite and the non-positive values are dropped
    expect(svg.length).toBeLessThan(60_000);
  });

  it("lineChart refuses two series of the same name, and x and y of different lengths", async () => {
    await expect(lineChart({ series: [{ name: "a", y: [1] }, { name: "a", y: [2] }] })).rejects.toThrow("two series are named 'a'");
    await expect(lineChart({ series: [{ name: "a", y: [1, 2], x: [1] }] })).rejects.toThrow("series 'a' has 1 x values and 2 y values");
  });

  it("thinSeries keeps the first and last points, every bucket's extremes (so the global ones), in order", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 3000 }), fc.integer({ min: 4, max: 600 }), (ys, max) => {
        const points = ys.map((y, x) => ({ x, y }));
        const thinned = thinSeries(points, max);
        expect(thinned.length).toBeLessThanOrEqual(Math.max(max, ys.length <= max ? ys.length : 0));
        expect(thinned[0]).toBe(points[0]);
        expect(thinned.at(-1)).toBe(points.at(-1));
        for (let i = 1; i < thinned.length; i++) expect(thinned[i]!.x).toBeGreaterThan(thinned[i - 1]!.x);
        expect(Math.min(...thinned.map((p) => p.y))).toBe(Math.min(...ys));
        expect(Math.max(...thinned.map((p) => p.y))).toBe(Math.max(...ys));
      }),
    );
  });

  it("lrFinderChart: the loss and smoothed curves on a log lr axis, a rule and a label at the suggestion", async () => {
    const lr = Array.from({ length: 100 }, (_, k) => 1e-5 * 10 ** (k / 20));
    const loss = lr.map((l) => 2 - Math.log10(l) / 10 + (l > 0.1 ? 1e3 * l : 0));
    const smoothed = loss.map((l) => l * 1.01);
    const svg = await lrFinderChart({ lr, loss, smoothed, suggestion: 0.0031 });
    assertWellFormedSvg(svg);
    expect(markPaths(svg, "curves")).toHaveLength(2);
    expect(svg).toMatch(/class="mark-rule role-mark suggestion_marks"/);
    expect(texts(svg)).toEqual(expect.arrayContaining(["suggested lr 0.0031", "loss", "smoothed", "learning rate (log scale)"]));
    await expect(lrFinderChart({ lr: [1, 2], loss: [1] })).rejects.toThrow("2 lr values and 1 loss values");
  });

  it("scheduleChart: one line per schedule", async () => {
    const svg = await scheduleChart({
      schedules: [
        { name: "cosine", lr: Array.from({ length: 50 }, (_, t) => 0.05 * (1 + Math.cos((Math.PI * t) / 50))) },
        { name: "step", lr: Array.from({ length: 50 }, (_, t) => 0.1 * 0.5 ** Math.floor(t / 10)) },
      ],
    });
    assertWellFormedSvg(svg);
    expect(markPaths(svg, "series")).toHaveLength(2);
    expect(texts(svg)).toEqual(expect.arrayContaining(["cosine", "step", "learning rate", "Learning-rate schedule"]));
  });

  it("landscapeChart: contour lines on several levels, one coloured path per optimizer, markers, a legend", async () => {
    const engine = await createEngine({ backend: "simd" });
    const result = runLandscape({
      fn: himmelblau, engine, steps: 300, tolerance: 1e-3, optimizers: [
        { name: "SGD", make: (p) => new SGD(p, { lr: 0.005 }) },
        { name: "Adam", make: (p) => new Adam(p, { lr: 0.1 }) },
        { name: "too large", make: (p) => new SGD(p, { lr: 0.5 }) }, // diverges: clipped, no end marker outside
      ],
    });
    expect(result.runs[2]!.status).toBe("diverged");
    const svg = await landscapeChart(result);
    assertWellFormedSvg(svg);
    const contours = markPaths(svg, "contours");
    expect(contours.length).toBeGreaterThanOrEqual(7);
    const paths = markPaths(svg, "paths");
    expect(paths.map((p) => p.match(/stroke="([^"]*)"/)![1])).toEqual(SERIES_COLORS.slice(0, 3));
    expect(texts(svg)).toEqual(expect.arrayContaining(["SGD", "Adam", "too large", "Himmelblau"]));
    const symbols = (name: string) => svg.match(new RegExp(`<g class="mark-symbol role-mark ${name}_marks"[^>]*>(.*?)</g>`))![1]!.match(/<path /g)!.length;
    expect(symbols("starts")).toBe(1);
    expect(symbols("ends")).toBe(2);
    expect(symbols("minima")).toBe(4);
    expect(svg.length).toBeLessThan(150_000);
  });

  it("landscapeChart keeps a landscape of many small loops (Rastrigin) small", async () => {
    const svg = await landscapeChart({ landscape: rastrigin, runs: [{ name: "here", path: [[2, 2], [1, 1]] }] });
    assertWellFormedSvg(svg);
    const contours = markPaths(svg, "contours");
    expect(contours.length).toBeGreaterThanOrEqual(7);
    // A level's many loops are one path of many subpaths (a break between loops), not one zigzag through all of them.
    const subpaths = contours.map((c) => (c.match(/M/g) ?? []).length);
    expect(Math.max(...subpaths)).toBeGreaterThan(50);
    expect(svg.length).toBeLessThan(150_000);
  });
});

describe("contours", () => {
  it("a circle's isoline is one closed loop at the right radius", () => {
    const grid = sampleGrid((x, y) => x * x + y * y, [-2, 2], [-2, 2], 81, 81);
    const lines = isolines(grid, 1.44);
    expect(lines).toHaveLength(1);
    const loop = lines[0]!;
    expect(loop[0]).toEqual(loop.at(-1));
    for (const p of loop) expect(Math.abs(Math.hypot(p.x, p.y) - 1.2)).toBeLessThan(2e-3);
  });

  it("a plane's isoline is exact, and the two lines of a saddle's level 0 are found", () => {
    const plane = sampleGrid((x, y) => 2 * x + y, [0, 1], [0, 1], 11, 11);
    const [line, ...rest] = isolines(plane, 1.3);
    expect(rest).toEqual([]);
    for (const p of line!) expect(2 * p.x + p.y).toBeCloseTo(1.3, 12);
    const saddle = sampleGrid((x, y) => x * x - y * y, [-1, 1], [-1.1, 0.9], 21, 21);
    for (const l of isolines(saddle, 0.25)) for (const p of l) expect(p.x * p.x - p.y * p.y).toBeCloseTo(0.25, 2);
    expect(isolines(saddle, 0.25)).toHaveLength(2);
  });

  it("levels: geometric for 'log', even for 'linear', within the data", () => {
    const values = Array.from({ length: 1000 }, (_, k) => k + 1);
    const log = contourLevels(values, "log", 5);
    for (let k = 1; k < 5; k++) expect(log[k]! / log[k - 1]!).toBeCloseTo(log[1]! / log[0]!, 9);
    const lin = contourLevels(values, "linear", 5);
    for (let k = 1; k < 5; k++) expect(lin[k]! - lin[k - 1]!).toBeCloseTo(lin[1]! - lin[0]!, 9);
    for (const l of [...log, ...lin]) expect(l >= 1 && l <= 1000).toBe(true);
  });
});

describe("renderReport", () => {
  it("is self-contained: every chart inlined, no external URL, no script; ids unique across the charts", async () => {
    const a = await lineChart({ series: [{ name: "a", y: [3, 2, 1] }], title: "first" });
    const b = await lineChart({ series: [{ name: "b", y: [1, 2, 3] }], title: "second" });
    const c = await lrFinderChart({ lr: [1e-3, 1e-2, 1e-1], loss: [2, 1, 3], suggestion: 1e-2 });
    const html = renderReport({
      title: "Comparison <1>",
      subtitle: "on digits",
      sections: [
        { heading: "Loss", text: ["first paragraph", "a <b>bold</b> claim"], charts: [a, { svg: b, caption: "Adam: momentum / RMS" }] },
        { heading: "LR", charts: [c], table: { columns: ["optimizer", "best loss", "steps"], rows: [["Adam", 0.012345678, 120], ["SGD", NaN, null]] } },
      ],
      footer: "made by test",
    });
    expect(html).not.toMatch(/https?:\/\//);
    expect(html).not.toMatch(/<script|<link|<img|@import|src=/i);
    for (const svg of [a, b, c]) {
      const body = svg.slice(svg.indexOf(">") + 1);
      expect(html).toContain(body);
    }
    expect(html.match(/<svg/g)).toHaveLength(3);
    const ids = [...html.matchAll(/ id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    expect(new Set(ids).size).toBe(ids.length);
    for (const m of html.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(m[1]);
    expect(html).toContain("<title>Comparison &lt;1&gt;</title>");
    expect(html).toContain("<p>a &lt;b&gt;bold&lt;/b&gt; claim</p>");
    expect(html).toContain("<figcaption>Adam: momentum / RMS</figcaption>");
    expect(html).toContain('<td class="num">0.01235</td><td class="num">120</td>');
    expect(html).toContain('<td class="num">–</td><td></td>');
  });

  it("charts rendered apart (Vega numbers clip paths per process) still get distinct ids, references rewritten", () => {
    const chart = (stroke: string) =>
      `<svg width="10" height="10" viewBox="0 0 10 10"><defs><clipPath id="clip1"><path d="M0,0h10v10h-10Z"/></clipPath></defs><g clip-path="url(#clip1)"><path d="M1,1L9,9" stroke="${stroke}"/></g></svg>`;
    const [a, b] = [uniqueIds(chart("red")), uniqueIds(chart("blue"))];
    const id = (svg: string) => svg.match(/ id="([^"]+)"/)![1]!;
    expect(id(a)).not.toBe(id(b));
    for (const svg of [a, b]) expect(svg).toContain(`clip-path="url(#${id(svg)})"`);
  });

  it("refuses a table row of the wrong length and a chart that is not an SVG", () => {
    expect(() => renderReport({ title: "t", sections: [{ heading: "h", table: { columns: ["a", "b"], rows: [[1]] } }] })).toThrow("table row 0 has 1 cells for 2 columns");
    expect(() => renderReport({ title: "t", sections: [{ heading: "h", charts: ["<div>"] }] })).toThrow("not an SVG");
  });

  it("formats numbers and escapes text", () => {
    expect([3, 0.5, 1 / 3, 1e-5, 123456789, 2.5e7, NaN, Infinity, -Infinity].map(formatNumber)).toEqual(["3", "0.5", "0.3333", "1.00e-5", "123456789", "25000000", "–", "∞", "−∞"]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
  });
});

describe("writeReport", () => {
  const dirs: string[] = [];
  const tempDir = async () => {
    const dir = await mkdtemp(join(tmpdir(), "wasm-optim-report-"));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const d of dirs) await rm(d, { recursive: true, force: true });
  });

  it("writes report.html and the extras (JSON for values, text, bytes) into a new directory, no temporary file left", async () => {
    const dir = join(await tempDir(), "reports", "compare-digits");
    const written = await writeReport(dir, "<!doctype html><p>hi</p>", {
      "runs.json": { runs: [{ name: "Adam", loss: [1, 0.5] }] },
      "runs.csv": toCsv([{ name: "Adam", loss: 0.5 }]),
      "raw.bin": new Uint8Array([1, 2, 3]),
    });
    expect(written.map((p) => p.slice(dir.length + 1))).toEqual(["runs.json", "runs.csv", "raw.bin", "report.html"]);
    expect((await readdir(dir)).sort()).toEqual(["raw.bin", "report.html", "runs.csv", "runs.json"]);
    expect(await readFile(join(dir, "report.html"), "utf8")).toBe("<!doctype html><p>hi</p>");
    expect(JSON.parse(await readFile(join(dir, "runs.json"), "utf8"))).toEqual({ runs: [{ name: "Adam", loss: [1, 0.5] }] });
    expect(await readFile(join(dir, "runs.csv"), "utf8")).toBe("name,loss\r\nAdam,0.5\r\n");
    expect([...(await readFile(join(dir, "raw.bin")))]).toEqual([1, 2, 3]);
  });

  it("replaces a report whole; a failed write leaves the previous file and no temporary file", async () => {
    const dir = await tempDir();
    await writeReport(dir, "old report");
    await writeReport(dir, "new report");
    expect(await readFile(join(dir, "report.html"), "utf8")).toBe("new report");
    // An extra whose name is taken by a directory cannot be renamed into place: the write fails, and stops
    // before report.html, which keeps its previous content.
    await mkdir(join(dir, "data.json"));
    await writeFile(join(dir, "data.json", "keep"), "x");
    await expect(writeReport(dir, "newest report", { "data.json": [1] })).rejects.toThrow(/cannot write the report file .*data\.json/);
    expect(await readFile(join(dir, "report.html"), "utf8")).toBe("new report");
    expect((await readdir(dir)).sort()).toEqual(["data.json", "report.html"]);
  });

  it("refuses file names that leave the directory or replace the report", async () => {
    const dir = await tempDir();
    await expect(writeReport(dir, "x", { "../evil.json": 1 })).rejects.toThrow("invalid file name '../evil.json'");
    await expect(writeReport(dir, "x", { "a/b.csv": "" })).rejects.toThrow("invalid file name 'a/b.csv'");
    await expect(writeReport(dir, "x", { "report.html": "" })).rejects.toThrow("'report.html' is the report itself");
    expect(await readdir(dir)).toEqual([]);
  });
});

describe("toCsv", () => {
  it("quotes what needs quoting, leaves empty fields for missing values", () => {
    const csv = toCsv([{ a: 'say "hi"', b: 1.5 }, { a: "x,y", c: null }, { b: "line\nbreak" }]);
    expect(csv).toBe('a,b,c\r\n"say ""hi""",1.5,\r\n"x,y",,\r\n,"line\nbreak",\r\n');
  });
});

describe("explainOptimizer", () => {
  it("explains every optimizer of the library, from an instance or a label", async () => {
    const engine = await createEngine({ backend: "js" });
    const p = [engine.parameter(2)];
    const cases: [object, string][] = [
      [new SGD(p), "SGD"], [new SGD(p, { momentum: 0.9 }), "SGD with momentum"], [new SGD(p, { momentum: 0.9, nesterov: true }), "SGD with Nesterov momentum"],
      [new Adagrad(p), "Adagrad"], [new RMSprop(p), "RMSprop"], [new Adadelta(p), "Adadelta"], [new Adam(p), "Adam"], [new AdamW(p), "AdamW"],
      [new Adamax(p), "Adamax"], [new NAdam(p), "NAdam"], [new RAdam(p), "RAdam"], [new Lion(p), "Lion"], [new Rprop(p), "Rprop"],
      [new ASGD(p), "ASGD"], [new LBFGS(p), "L-BFGS"],
      [new Adafactor(p), "Adafactor"], [new SGDScheduleFree(p), "Schedule-free SGD"], [new AdamWScheduleFree(p), "Schedule-free AdamW"],
      [new Muon([engine.parameter(new Float32Array(4), [2, 2])]), "Muon"], [new MuonWithAdamW(p, { useMuon: false }), "Muon"],
      [new Lookahead(new SGD(p)), "Lookahead"], [new SAM(new SGD(p)), "SAM"],
    ];
    for (const [optimizer, name] of cases) expect(explainOptimizer(optimizer as never)?.name).toBe(name);
    expect(Object.keys(optimizerExplanations())).toHaveLength(26);
    expect(explainOptimizer("Adam lr=0.01")?.name).toBe("Adam");
    expect(explainOptimizer("adamw (wd 0.01)")?.name).toBe("AdamW");
    expect(explainOptimizer("SGD momentum 0.9")?.name).toBe("SGD with momentum");
    expect(explainOptimizer("SGD+Nesterov")?.name).toBe("SGD with Nesterov momentum");
    expect(explainOptimizer("NAdam")?.name).toBe("NAdam");
    expect(explainOptimizer("my optimizer")).toBeUndefined();
    for (const e of Object.values(optimizerExplanations())) expect(e.summary.split(". ").length).toBeGreaterThanOrEqual(2);
  });
});
