// wasm-optim newton: Newton's method against gradient descent, L-BFGS and Hessian-free on one full-batch
// objective (softmax regression on the digits by default): iterations, wall time, memory, and a report.
import { Command } from "commander";
import { formatLoss, formatSeconds } from "../lab/format.js";
import { newtonReport } from "../lab/html/newton-report.js";
import { runNewtonComparison } from "../lab/newton.js";
import type { ModelSpec } from "../lab/spec-models.js";
import { commandLine } from "./compare.js";
import { loadData } from "./data.js";
import { addDataOptions, addModelOption, engineFor, finishRunCommand, nonNegativeNumber, positiveInteger, positiveNumber, seedFlag } from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";

interface NewtonFlags {
  data: string;
  dataDir?: string;
  subset?: number;
  model: ModelSpec;
  l2: number;
  tolerance: number;
  maxIter: number;
  seed: number;
  backend: "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
  threads: number | "auto";
  out: string;
  name?: string;
}

export function newtonCommand(): Command {
  const cmd = new Command("newton").description("Newton's method vs gradient descent, L-BFGS and Hessian-free on a full-batch objective: quadratic vs linear convergence, wall time, memory");
  addDataOptions(cmd);
  addModelOption(cmd, "linear");
  cmd
    .option("--l2 <λ>", "L2 term ½λ‖θ‖² added to the mean loss (makes a linear model strongly convex)", nonNegativeNumber("--l2"), 1e-3)
    .option("--tolerance <g>", "‖∇f‖ at which a run has converged", positiveNumber("--tolerance"), 1e-8)
    .option("--max-iter <n>", "gradient descent's and L-BFGS' iterations at most", positiveInteger("--max-iter"), 1000)
    .option("--seed <n>", "seed of the initial weights", seedFlag("--seed"), 0);
  return finishRunCommand(cmd, "report", [
    "wasm-optim newton                       softmax regression on the digits",
    "wasm-optim newton --model mlp:16 --subset 500     a small network: Hessian-free only (no dense Hessian)",
  ], runCommand);
}

async function runCommand(flags: NewtonFlags): Promise<void> {
  const data = await loadData(flags);
  const dir = await prepareReport(flags, `newton-${data.name}`);
  const engine = await engineFor(flags.backend, flags.threads);
  const out = humanOutput();
  out.write(`${data.description}\nmodel ${flags.model.text}, full batch, L2 ${flags.l2}, until ‖∇f‖ ≤ ${flags.tolerance} (float64)\n\n`);
  const result = await runNewtonComparison({ engine, data, model: flags.model, l2: flags.l2, tolerance: flags.tolerance, maxIterations: flags.maxIter, seed: flags.seed });
  if (result.skipped) out.write(`Newton: not run: ${result.skipped}\n`);
  out.write(`${textTable(result.runs, [
    { title: "method", value: (r) => r.name, align: "left" },
    { title: "converged", value: (r) => (r.converged ? "yes" : "no"), align: "left" },
    { title: "iterations", value: (r) => String(r.values.length - 1) },
    { title: "gradients", value: (r) => String(r.gradients.at(-1)) },
    { title: "H v", value: (r) => String(r.hessianVectors.at(-1)) },
    { title: "time", value: (r) => formatSeconds(r.seconds.at(-1)!) },
    { title: "final ‖∇f‖", value: (r) => formatLoss(r.gradientNorms.at(-1)!) },
    { title: "extra floats", value: (r) => String(r.memoryFloats) },
  ])}\n`);
  const html = await newtonReport(result, { dataDescription: data.description, command: commandLine() });
  await writeReportFiles(dir, html, { "newton.json": result.runs.map(({ theta: _theta, ...r }) => r) });
}
