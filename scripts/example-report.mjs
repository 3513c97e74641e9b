// Renders an example report of the lab's charts: optimizers on the classic 2-D landscapes, a loss chart, a learning-
// rate range test on the ravine, two schedules, and what each optimizer does. Bundles the library's two entries
// first (into node_modules/.cache, from where the bundles find their dependencies).
//
//   node scripts/example-report.mjs [out-dir]       (default reports/example-landscapes)
import { build } from "esbuild";

const bundles = new URL("../node_modules/.cache/example-report/", import.meta.url);
await build({
  entryPoints: ["src/index.ts", "src/node.ts"], outdir: bundles.pathname, bundle: true, splitting: true, format: "esm",
  platform: "node", packages: "external", logLevel: "warning",
});
const lib = await import(new URL("index.js", bundles));
const node = await import(new URL("node.js", bundles));
const { createEngine, runLandscape, SGD, Adam, AdamW, RMSprop, Adagrad, Lion, LBFGS, NAdam, OneCycleLR, CosineAnnealingLR } = lib;
const { landscapeChart, lineChart, lrFinderChart, scheduleChart, renderReport, writeReport, explainOptimizer, toCsv } = node;

const outDir = process.argv[2] ?? "reports/example-landscapes";
const engine = await createEngine();

const optimizersFor = {
  ravine: [
    { name: "SGD", make: (p) => new SGD(p, { lr: 0.05 }) },
    { name: "SGD momentum 0.9", make: (p) => new SGD(p, { lr: 0.05, momentum: 0.9 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 0.05 }) },
    { name: "RMSprop", make: (p) => new RMSprop(p, { lr: 0.01 }) },
  ],
  rosenbrock: [
    { name: "SGD momentum 0.9", make: (p) => new SGD(p, { lr: 2e-4, momentum: 0.9 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 0.02 }) },
    { name: "Adagrad", make: (p) => new Adagrad(p, { lr: 0.5 }) },
    { name: "Lion", make: (p) => new Lion(p, { lr: 0.003 }) },
    { name: "LBFGS", make: (p) => new LBFGS(p, { lineSearchFn: "strong_wolfe" }) },
  ],
  beale: [
    { name: "SGD momentum 0.9", make: (p) => new SGD(p, { lr: 0.001, momentum: 0.9 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 0.05 }) },
    { name: "NAdam", make: (p) => new NAdam(p, { lr: 0.05 }) },
    { name: "Adagrad", make: (p) => new Adagrad(p, { lr: 0.5 }) },
  ],
  himmelblau: [
    { name: "SGD", make: (p) => new SGD(p, { lr: 0.005 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 0.1 }) },
    { name: "RMSprop", make: (p) => new RMSprop(p, { lr: 0.05 }) },
    { name: "AdamW", make: (p) => new AdamW(p, { lr: 0.1, weightDecay: 0.5 }) },
  ],
  rastrigin: [
    { name: "SGD", make: (p) => new SGD(p, { lr: 0.002 }) },
    { name: "SGD momentum 0.9", make: (p) => new SGD(p, { lr: 0.002, momentum: 0.9 }) },
    { name: "Adam", make: (p) => new Adam(p, { lr: 0.3 }) },
  ],
};

const sections = [];
const raw = {};
const statusTable = (result) => ({
  columns: ["optimizer", "status", "steps to tolerance", "final x", "final y", "final f", "distance to a minimum"],
  rows: result.runs.map((r) => [r.name, r.status, r.reachedAt ?? "–", r.final.x, r.final.y, r.final.value, r.final.distance]),
});

for (const [fn, optimizers] of Object.entries(optimizersFor)) {
  const steps = fn === "rosenbrock" ? 4000 : 1500;
  const result = runLandscape({ fn, optimizers, steps, tolerance: 1e-2, engine });
  raw[fn] = result.runs.map((r) => ({ name: r.name, status: r.status, reachedAt: r.reachedAt, path: Array.from(r.path) }));
  const charts = [await landscapeChart(result)];
  if (fn === "ravine") {
    charts.push(await lineChart({
      title: "Ravine: f against step", yLabel: "f (log scale)", logY: true,
      series: result.runs.map((r) => ({ name: r.name, y: r.values })),
    }));
  }
  sections.push({
    heading: `${result.landscape.title}: f = ${result.landscape.formula}`,
    text: `From (${result.start.join(", ")}), ${steps} steps; converged means within ${result.tolerance} of a minimum (Euclidean distance) at the end.`,
    charts,
    table: statusTable(result),
  });
}

// The saddle: exactly on the ridge plain gradient descent slides into the saddle point and stays; noise or a
// tiny perturbation (amplified by momentum) escapes.
const saddleRuns = [
  ...runLandscape({ fn: "saddle", steps: 400, tolerance: 1e-2, engine, optimizers: [{ name: "GD on the ridge", make: (p) => new SGD(p, { lr: 0.01 }) }] }).runs,
  ...runLandscape({ fn: "saddle", steps: 400, tolerance: 1e-2, engine, noise: 0.3, seed: 3, optimizers: [{ name: "GD + gradient noise 0.3", make: (p) => new SGD(p, { lr: 0.01 }) }] }).runs,
  ...runLandscape({ fn: "saddle", steps: 400, tolerance: 1e-2, engine, start: [1.5, 1e-4], optimizers: [
    { name: "GD, y₀ = 1e-4", make: (p) => new SGD(p, { lr: 0.01 }) },
    { name: "momentum 0.9, y₀ = 1e-4", make: (p) => new SGD(p, { lr: 0.01, momentum: 0.9 }) },
  ] }).runs,
];
const saddle = lib.saddle;
sections.push({
  heading: `Saddle: f = ${saddle.formula}`,
  text: "The ridge y = 0 has no gradient across it: exact gradient descent slides into the saddle point (0, 0) and stays. Gradient noise, or a tiny offset amplified by momentum, escapes downhill.",
  charts: [await landscapeChart({ landscape: saddle, runs: saddleRuns })],
  table: {
    columns: ["run", "status", "left the box at step", "max |y|"],
    rows: saddleRuns.map((r) => [r.name, r.status, r.divergedAt ?? "–", Math.max(...Array.from({ length: r.path.length / 2 }, (_, k) => Math.abs(r.path[2 * k + 1])))]),
  },
});

// A learning-rate range test on the ravine (SGD, lr growing geometrically each step), and two schedules.
const lrs = Array.from({ length: 120 }, (_, k) => 1e-4 * 10 ** ((4 * k) / 119));
const param = engine.parameter([-2.5, 0.8], [2], "range-test");
const sgd = new SGD([param], { lr: lrs[0] });
const losses = lrs.map((lr) => {
  sgd.paramGroups[0].lr = lr;
  const [gx, gy] = lib.ravine.gradient(param.data[0], param.data[1]);
  param.grad.set([gx, gy]);
  sgd.step();
  return lib.ravine.f(param.data[0], param.data[1]);
});
const smoothed = [];
losses.reduce((avg, l, k) => ((avg = 0.9 * avg + 0.1 * l), smoothed.push(avg / (1 - 0.9 ** (k + 1))), avg), 0);
let steepest = 1;
for (let k = 1; k < smoothed.length; k++) if (smoothed[k] - smoothed[k - 1] < smoothed[steepest] - smoothed[steepest - 1]) steepest = k;
const schedule = (make) => {
  const p = engine.parameter([0], [1], "schedule");
  const opt = new SGD([p], { lr: 0.1, momentum: 0.9 });
  const scheduler = make(opt);
  return Array.from({ length: 300 }, () => {
    const lr = scheduler.getLastLr()[0];
    opt.step();
    scheduler.step();
    return lr;
  });
};
sections.push({
  heading: "Learning rate",
  text: "A range test: one SGD step per learning rate, growing geometrically, on the ravine. The suggestion is the steepest descent of the smoothed loss.",
  charts: [
    await lrFinderChart({ lr: lrs, loss: losses, smoothed, suggestion: lrs[steepest], subtitle: "SGD on the ravine" }),
    await scheduleChart({ schedules: [
      { name: "OneCycleLR (max 0.1)", lr: schedule((o) => new OneCycleLR(o, { maxLr: 0.1, totalSteps: 300 })) },
      { name: "CosineAnnealingLR (T = 300)", lr: schedule((o) => new CosineAnnealingLR(o, { tMax: 300 })) },
    ] }),
  ],
});

const names = ["SGD", "SGD momentum", "SGD Nesterov", "Adagrad", "RMSprop", "Adadelta", "Adam", "AdamW", "Adamax", "NAdam", "RAdam", "Lion", "Rprop", "ASGD", "LBFGS"];
sections.push({
  heading: "What each optimizer does",
  table: { columns: ["optimizer", "update rule", "in words"], rows: names.map((n) => { const e = explainOptimizer(n); return [e.name, e.rule, e.summary]; }) },
});

const html = renderReport({
  title: "Optimizers on 2-D landscapes",
  subtitle: `wasm-optim example report · backend ${engine.backend}`,
  sections,
  footer: "Generated by scripts/example-report.mjs.",
});
const summary = Object.entries(raw).flatMap(([fn, runs]) => runs.map((r) => ({ landscape: fn, optimizer: r.name, status: r.status, reachedAt: r.reachedAt })));
const written = await writeReport(outDir, html, { "landscapes.json": raw, "summary.csv": toCsv(summary) });
console.log(written.join("\n"));
