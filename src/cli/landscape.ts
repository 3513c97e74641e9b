// wasm-optim landscape: the optimizers on 2-D test functions; a table of steps to tolerance / divergence and a
// report of contour charts with their paths.
import { Command } from "commander";
import { createEngine } from "../engine/engine.js";
import { runLandscape, type LandscapeResult } from "../lab/landscape.js";
import { LANDSCAPES, type LandscapeName } from "../lab/landscapes.js";
import { HESSIAN_METHODS, parseHessianSpec, type HessianLandscapeOptimizer } from "../lab/landscape-newton.js";
import { describeLandscapeRun, landscapeReport } from "../lab/html/landscape-report.js";
import { suggest } from "../lab/spec.js";
import { optimizerOptions, parseOptimizerSpec, type OptimizerSpec } from "../lab/spec-optimizers.js";
import { commandLine } from "./compare.js";
import { checkOptimizers, engineFor, finishRunCommand, nonNegativeNumber, OPT_HELP, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";
import { argument, UsageError } from "./usage.js";

/** Rates that suit these small functions: SGD's must stay below 2 / 1002, the largest curvature at Rosenbrock's minimum. */
export const DEFAULT_LANDSCAPE_OPTIMIZERS: readonly [string, string][] = [
  ["SGD", "sgd:lr=2e-3"],
  ["SGD+momentum", "sgd:lr=2e-3,momentum=0.9"],
  ["Nesterov", "sgd:lr=2e-3,momentum=0.9,nesterov"],
  ["Adagrad", "adagrad:lr=0.5"],
  ["RMSprop", "rmsprop:lr=0.01"],
  ["Adam", "adam:lr=0.05"],
  ["L-BFGS", "lbfgs:lr=1,lineSearchFn=strong_wolfe"],
];

type LandscapeSpec = OptimizerSpec | HessianLandscapeOptimizer;

interface LandscapeFlags {
  fn: LandscapeName[];
  opt?: LandscapeSpec[];
  steps: number;
  tolerance: number;
  noise: number;
  seed: number;
  backend: "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
  threads: number | "auto";
  out: string;
  name?: string;
}

const NAMES = Object.keys(LANDSCAPES);

const parseFunctions = argument((value: string): LandscapeName[] => {
  if (value === "all") return NAMES as LandscapeName[];
  return value.split(",").map((raw) => {
    const name = raw.trim().toLowerCase();
    if (!NAMES.includes(name)) {
      const guess = suggest(name, NAMES);
      throw new UsageError(`--fn: unknown landscape '${raw}' (known: ${NAMES.join(", ")}, or all${guess ? `; did you mean '${guess}'?` : ""})`);
    }
    return name as LandscapeName;
  });
});

/**
 * --opt here also takes the second-order methods (newton, damped-newton, lm, with their options), and a list of
 * bare names: '--opt newton,damped-newton,lm,adam'.
 */
const collectLandscapeOptimizer = argument((value: string, previous: LandscapeSpec[] | undefined): LandscapeSpec[] => {
  const texts = value.includes(":") || value.includes("=") ? [value] : value.split(",");
  return [...(previous ?? []), ...texts.map((text) => parseHessianSpec(text) ?? parseOptimizerSpec(text))];
});

export function landscapeCommand(): Command {
  const cmd = new Command("landscape").description("run optimizers on 2-D test functions (Rosenbrock, Beale, …): steps to a minimum or divergence, and contour charts of their paths");
  cmd
    .option("--fn <names>", `comma-separated landscapes, or all: ${NAMES.join(", ")}`, parseFunctions, NAMES as LandscapeName[])
    .option(
      "--opt <spec>",
      `${OPT_HELP}, lbfgs, and the second-order ${Object.keys(HESSIAN_METHODS).join(", ")} (Newton with the analytic Hessian; ` +
        `damped-newton:c1=1e-4,shrink=0.5; lm:damping=1e-3,up=2,down=3); bare names may be listed with commas ` +
        `(default: ${DEFAULT_LANDSCAPE_OPTIMIZERS.map(([, s]) => s).join(" ")})`,
      collectLandscapeOptimizer,
    )
    .option("--steps <n>", "steps per run (an L-BFGS step runs up to 20 iterations)", positiveInteger("--steps"), 1000)
    .option("--tolerance <d>", "distance to a minimum that counts as reached", positiveNumber("--tolerance"), 0.01)
    .option("--noise <σ>", "standard deviation of Gaussian noise added to each gradient component", nonNegativeNumber("--noise"), 0)
    .option("--seed <n>", "seed of the noise", seedFlag("--seed"), 0);
  return finishRunCommand(cmd, "report", [
    "wasm-optim landscape",
    "wasm-optim landscape --fn rosenbrock,ravine --opt sgd:lr=2e-3,momentum=0.9 --opt adam:lr=0.1 --steps 2000",
    "wasm-optim landscape --fn rosenbrock,saddle --opt newton,damped-newton,lm --opt adam:lr=0.05 --opt lbfgs:lineSearchFn=strong_wolfe --steps 200",
  ], runLandscapes);
}

async function runLandscapes(flags: LandscapeFlags): Promise<void> {
  const dir = await prepareReport(flags, "landscape");
  const probe = await engineFor(flags.backend, flags.threads);
  const specs = flags.opt ?? DEFAULT_LANDSCAPE_OPTIMIZERS.map(([name, spec]) => parseOptimizerSpec(spec, name));
  const firstOrder = specs.filter((s): s is OptimizerSpec => !("begin" in s));
  checkOptimizers(firstOrder, probe, { allowClosure: true });
  const names = specs.map((s) => s.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new UsageError(`--opt '${twice}' is given twice`);
  const results: LandscapeResult[] = [];
  for (const fn of flags.fn) {
    // A fresh engine per landscape: each run allocates a parameter, and the arena never frees.
    const engine = await createEngine({ backend: flags.backend });
    results.push(runLandscape({ fn, optimizers: specs, steps: flags.steps, tolerance: flags.tolerance, noise: flags.noise, seed: flags.seed, engine }));
  }
  const out = humanOutput();
  out.write(`${flags.steps} steps, tolerance ${flags.tolerance}${flags.noise ? `, gradient noise σ = ${flags.noise}` : ""}: the step from which each optimizer stayed within tolerance of a minimum\n\n`);
  const rows = specs.map((spec, i) => [spec.name, ...results.map((res) => describeLandscapeRun(res.runs[i]!))]);
  const columns = ["optimizer", ...results.map((res) => res.landscape.title)];
  out.write(`${textTable(rows, columns.map((title, j) => ({ title, value: (row: string[]) => row[j]!, align: j === 0 ? ("left" as const) : ("right" as const) })))}\n`);
  out.write(
    "\n(diverged @ n: left the box or overflowed at step n; –: not settled by the end, with the distance to the nearest minimum,\n" +
      " or for the saddle, which has none, the final f: about 0 means stuck on the saddle point, negative means it escaped)\n",
  );
  const optimizers = specs.map((s) => ({ name: s.name, label: s.label, options: "begin" in s ? s.options : optimizerOptions(s, probe) }));
  const html = await landscapeReport(results, optimizers, { steps: flags.steps, command: commandLine() });
  await writeReportFiles(dir, html, {
    "landscape.json": results.map((r) => ({
      landscape: r.landscape.name, start: r.start, tolerance: r.tolerance, noise: r.noise,
      runs: r.runs.map((x) => ({ name: x.name, status: x.status, reachedAt: x.reachedAt, divergedAt: x.divergedAt, stepsTaken: x.stepsTaken, final: x.final, path: Array.from(x.path) })),
    })),
  });
}
