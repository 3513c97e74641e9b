// momentum: SGD with momentum 0, 0.5, 0.9, 0.99 and Nesterov (0.9), all at the same learning rate, first on the
// ravine f = 0.05 x² + 5 y² (curvatures 0.1 and 10: a long, narrow valley), then on a real model (the digits).
//
//   heavy ball (torch's SGD):  v ← μ v + g,  θ ← θ − η v           Nesterov:  θ ← θ − η (g + μ v)
//   along a direction of curvature h, plain SGD shrinks the error by |1 − η h| per step; momentum averages the
//   gradients over about 1 / (1 − μ) steps, so along the flat floor of the valley the step grows up to η / (1 − μ),
//   while across it the alternating gradients cancel. Too much momentum (0.99) overshoots and oscillates long.
import { landscapeChart } from "../../report/landscape-chart.js";
import type { CompareResult } from "../compare.js";
import { formatLoss, formatLr, formatPercent } from "../format.js";
import { runLandscape, type LandscapeResult } from "../landscape.js";
import { labRun, parseRunSpec } from "../run-spec.js";
import { parseOptimizerSpec } from "../spec-optimizers.js";
import { DIGITS, digits, mean, prepare, runComparisonExperiment } from "./common.js";
import type { ExperimentEntry, ExperimentOptions, ExperimentResult } from "./registry.js";

export const MOMENTA: readonly [string, string][] = [
  ["momentum 0", "momentum=0"], ["momentum 0.5", "momentum=0.5"], ["momentum 0.9", "momentum=0.9"], ["momentum 0.99", "momentum=0.99"], ["Nesterov 0.9", "momentum=0.9,nesterov"],
];
const RAVINE_LR = 0.05;
const MODEL_LR = 0.01;

export async function momentumExperiment(options: ExperimentOptions = {}): Promise<ExperimentResult & { comparison: CompareResult; ravine: LandscapeResult }> {
  const prepared = await prepare("momentum", options);
  const steps = prepared.small ? 600 : 1500;
  const epochs = prepared.small ? 2 : 10;
  const ravine = runLandscape({
    fn: "ravine", steps, tolerance: 1e-2, engine: prepared.engine,
    optimizers: MOMENTA.map(([name, m]) => ({ name, make: parseOptimizerSpec(`sgd:lr=${RAVINE_LR},${m}`).make })),
  });
  const experiment = await runComparisonExperiment({
    name: "momentum",
    title: "Momentum: 0, 0.5, 0.9, 0.99 and Nesterov",
    dataDescription: DIGITS,
    compare: { data: digits(), model: "mlp:32", epochs, batchSize: 32, optimizers: MOMENTA.map(([name, m]) => labRun(parseRunSpec(`sgd:lr=${MODEL_LR},${m} label=${name}`))) },
    question:
      `What does momentum do, and how much is too much? Plain SGD and SGD with momentum 0.5, 0.9, 0.99 and Nesterov's variant, all at the same learning rate, ` +
      `first on a two-dimensional ravine (lr ${RAVINE_LR}, ${steps} steps), then on a network learning the digits (lr ${MODEL_LR}, ${epochs} epochs).`,
    theory: [
      "In a long narrow valley the gradient points mostly across it, towards the steep walls, and hardly along its floor, where the minimum lies. " +
        "Plain gradient descent zig-zags between the walls and creeps along the floor. Momentum keeps a running sum of past gradients: " +
        "across the valley they alternate in sign and cancel, along the floor they agree and add up, so the step along the floor grows to about 1 / (1 − momentum) times the plain one: 2× for 0.5, 10× for 0.9, 100× for 0.99.",
      "Too much momentum overshoots: at 0.99 the weights swing past the minimum and take a long time to settle. Nesterov's variant looks ahead, taking the gradient where the momentum is about to carry it, which damps those swings.",
    ],
    findings: (r) => [...ravineFindings(ravine), ...modelFindings(r)],
    async extra() {
      return [{
        heading: "On the ravine",
        text: `f = ${ravine.landscape.formula}, from (${ravine.start.join(", ")}). Each path is one optimizer's ${steps} steps; 'converged' means it ended within ${ravine.tolerance} of the minimum.`,
        charts: [await landscapeChart(ravine)],
        table: {
          columns: ["optimizer", "status", "steps to within 0.01", "final f"],
          rows: ravine.runs.map((r) => [r.name, r.status, r.reachedAt ?? "–", r.final.value]),
        },
      }];
    },
  }, prepared, options);
  return { ...experiment, ravine };
}

function ravineFindings(ravine: LandscapeResult): string[] {
  const reached = ravine.runs.filter((r) => r.reachedAt !== null).sort((a, b) => a.reachedAt! - b.reachedAt!);
  const never = ravine.runs.filter((r) => r.reachedAt === null).map((r) => r.name);
  const at = (name: string) => ravine.runs.find((r) => r.name === name)!.reachedAt ?? Infinity;
  const overshoot = at("momentum 0.99") > at("momentum 0.9")
    ? [`Too much momentum: at 0.99 the path swings from wall to wall across the valley (see the chart) and needed ${Number.isFinite(at("momentum 0.99")) ? `${at("momentum 0.99")} steps` : "more steps than it had"}, against ${at("momentum 0.9")} at 0.9.`]
    : [];
  return [
    `On the ravine: ${reached.map((r) => `${r.name} reached the minimum in ${r.reachedAt} steps`).join(", ")}` +
      `${never.length ? `; ${never.join(", ")} did not get within ${ravine.tolerance} in ${ravine.runs[0]!.stepsTaken} steps` : ""}.`,
    ...overshoot,
  ];
}

function modelFindings(r: CompareResult): string[] {
  const names = r.statistics.map((s) => s.name);
  const ranked = names.filter((n) => r.statistics.find((s) => s.name === n)!.diverged === 0).sort((a, b) => mean(r, a, "finalLoss") - mean(r, b, "finalLoss"));
  const diverged = names.filter((n) => !ranked.includes(n));
  return [
    `On the digits network, final training loss: ${ranked.map((n) => `${n} ${formatLoss(mean(r, n, "finalLoss"))}`).join(", ")}` +
      `${diverged.length ? `; ${diverged.join(", ")} diverged` : ""}. Test accuracy: ${ranked.map((n) => `${n} ${formatPercent(mean(r, n, "finalTestAccuracy"))}`).join(", ")}.`,
    `On the network every run used lr ${MODEL_LR}, small for plain SGD here, so the longer effective step of momentum (lr / (1 − momentum): ${formatLr(MODEL_LR / 0.1)} at 0.9, ${formatLr(MODEL_LR / 0.01)} at 0.99) mostly helped. ` +
      "A fair test of momentum gives each setting its own learning rate (compare --tune lr): momentum and the learning rate are tuned together.",
  ];
}

export const momentumEntry: ExperimentEntry = {
  name: "momentum",
  title: "Momentum: 0, 0.5, 0.9, 0.99 and Nesterov",
  question: "How do momentum 0, 0.5, 0.9, 0.99 and Nesterov's variant change gradient descent, on a narrow ravine and on a real model?",
  run: momentumExperiment,
};
