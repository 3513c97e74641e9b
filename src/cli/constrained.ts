// wasm-optim constrained: projected gradient, the penalty method and the augmented Lagrangian on 2-D problems with
// an equality (a line) or an inequality (a disc) constraint, against the KKT point and its multiplier.
import { Command } from "commander";
import { CONSTRAINED_PROBLEMS, runConstrained, type ConstrainedProblemName } from "../lab/constrained.js";
import { constrainedReport } from "../lab/html/constrained-report.js";
import { formatLoss } from "../lab/format.js";
import { suggest } from "../lab/spec.js";
import { commandLine } from "./compare.js";
import { finishRunCommand, positiveInteger, positiveNumber } from "./options.js";
import { humanOutput } from "./console.js";
import { prepareReport, writeReportFiles } from "./output.js";
import { textTable } from "./table.js";
import { argument, UsageError } from "./usage.js";

interface ConstrainedFlags {
  problem: ConstrainedProblemName[];
  steps: number;
  outer: number;
  rho: number;
  out: string;
  name?: string;
  backend: string;
  threads: number | "auto";
}

const NAMES = Object.keys(CONSTRAINED_PROBLEMS);

const parseProblems = argument((value: string): ConstrainedProblemName[] => value === "all" ? (NAMES as ConstrainedProblemName[]) : value.split(",").map((raw) => {
  const name = raw.trim().toLowerCase();
  if (!NAMES.includes(name)) {
    const guess = suggest(name, NAMES);
    throw new UsageError(`--problem: unknown problem '${raw}' (known: ${NAMES.join(", ")}, or all${guess ? `; did you mean '${guess}'?` : ""})`);
  }
  return name as ConstrainedProblemName;
}));

export function constrainedCommand(): Command {
  const cmd = new Command("constrained").description("constrained optimization on 2-D problems: projected gradient, penalty method, augmented Lagrangian, against the KKT point and multiplier");
  cmd
    .option("--problem <names>", `comma-separated: ${NAMES.join(" (x + y = 1), ")} (x² + y² ≤ 1), or all`, parseProblems, NAMES as ConstrainedProblemName[])
    .option("--steps <n>", "projected gradient's steps", positiveInteger("--steps"), 3000)
    .option("--outer <n>", "outer iterations of the penalty method (ρ ×10 each) and the augmented Lagrangian", positiveInteger("--outer"), 10)
    .option("--rho <ρ>", "the augmented Lagrangian's fixed ρ", positiveNumber("--rho"), 10);
  return finishRunCommand(cmd, "report", ["wasm-optim constrained", "wasm-optim constrained --problem disc --rho 1 --outer 20"], runCommand);
}

async function runCommand(flags: ConstrainedFlags): Promise<void> {
  if (flags.backend !== "auto") throw new UsageError("--backend: the constrained problems run in float64 TypeScript, not on the kernels (leave it out)");
  if (flags.threads !== "auto") throw new UsageError("--threads: the constrained problems run in float64 TypeScript, not on the kernels (leave it out)");
  const dir = await prepareReport(flags, "constrained");
  const results = flags.problem.map((problem) => runConstrained({ problem, steps: flags.steps, outer: flags.outer, rho: flags.rho }));
  const out = humanOutput();
  for (const r of results) {
    out.write(`${r.problem.title}: f = ${r.problem.objective.formula}, ${r.problem.constraint.formula}\n`);
    out.write(`KKT point (${r.kkt.x.toPrecision(6)}, ${r.kkt.y.toPrecision(6)}), μ* = ${r.kkt.multiplier.toPrecision(6)}\n`);
    out.write(`${textTable(r.runs, [
      { title: "method", value: (x) => x.name, align: "left" },
      { title: "distance to x*", value: (x) => formatLoss(x.final.distance) },
      { title: "violation", value: (x) => formatLoss(x.final.violation) },
      { title: "μ", value: (x) => x.final.multiplier.toPrecision(6) },
      { title: "|μ − μ*|", value: (x) => formatLoss(Math.abs(x.final.multiplier - r.kkt.multiplier)) },
    ])}\n\n`);
  }
  const html = await constrainedReport(results, { command: commandLine() });
  await writeReportFiles(dir, html, {
    "constrained.json": results.map((r) => ({ problem: r.problem.name, kkt: r.kkt, runs: r.runs.map((x) => ({ ...x, path: Array.from(x.path) })) })),
  });
}
