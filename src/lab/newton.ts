// Newton's method against first-order and quasi-Newton methods on one full-batch objective: a model's mean loss
// over the training set plus ½ λ ‖θ‖² (strongly convex for a single Linear layer, so there is one minimum), in
// float64. Gradient descent (γ = 1/λmax), L-BFGS, Newton (only for a single Linear layer: the dense Hessian) and
// Hessian-free run from the same initial weights until ‖∇f‖ ≤ tolerance; each run's iterations, gradient
// evaluations, H v products, wall time and memory are recorded. The gap f − f* uses the lowest f any run reached.
import { createEngine, type Engine } from "../engine/engine.js";
import { checkOptions, keysOf } from "../engine/options.js";
import { requireInteger, requireNonNegative, requirePositive } from "../optim/validate.js";
import { modelObjective } from "../train/hessian.js";
import { gradientDescent, hessianFree, lbfgs, newton, type MinimizeTrace } from "../train/second-order.js";
import { defaultLoss, labModel, type LabData, type ModelSource } from "./setup.js";

export interface NewtonComparisonOptions {
  engine?: Engine;
  data: LabData;
  /** Default 'linear' (softmax regression for class labels, least squares for targets). */
  model?: ModelSource;
  /** λ of the L2 term (default 1e-3). */
  l2?: number;
  /** ‖∇f‖ at which a run has converged (default 1e-8). */
  tolerance?: number;
  /** Gradient descent's iterations at most (default 2000); the others stop far earlier. */
  maxIterations?: number;
  seed?: number;
}

export interface NewtonComparison {
  runs: (MinimizeTrace & { name: string })[];
  /** The lowest f any run reached. */
  best: number;
  parameters: number;
  samples: number;
  l2: number;
  tolerance: number;
  modelSummary: string;
  /** Why Newton did not run, when it did not. */
  skipped: string | null;
}

const NAMES: Record<MinimizeTrace["method"], string> = { "gradient-descent": "gradient descent", lbfgs: "L-BFGS", newton: "Newton", "hessian-free": "Hessian-free" };

export async function runNewtonComparison(options: NewtonComparisonOptions): Promise<NewtonComparison> {
  checkOptions("runNewtonComparison", options, NEWTON_COMPARISON_OPTIONS);
  const { l2 = 1e-3, tolerance = 1e-8, maxIterations = 2000, seed = 0 } = options;
  requireNonNegative("l2", l2);
  requirePositive("tolerance", tolerance);
  requireInteger("maxIterations", maxIterations);
  const lab = labModel(options.model ?? "linear", options.data);
  const engine = options.engine ?? (await createEngine());
  const model = lab.build(engine, 1, seed);
  const objective = modelObjective(model, defaultLoss(lab.train), lab.train, { l2 });
  const start = objective.read();
  const runs: NewtonComparison["runs"] = [];
  const named = (t: MinimizeTrace) => runs.push({ ...t, name: NAMES[t.method] });
  named(gradientDescent(objective, start, { tolerance, maxIterations }));
  named(lbfgs(objective, start, { tolerance, maxIterations }));
  const skipped = objective.hessian ? null : "the model is not a single Linear layer, so its dense Hessian is not assembled (Hessian-free needs only H v)";
  if (objective.hessian) named(newton(objective, start, { tolerance }));
  named(hessianFree(objective, start, { tolerance, maxIterations: Math.min(200, maxIterations) }));
  const best = Math.min(...runs.map((r) => Math.min(...r.values)));
  return { runs, best, parameters: objective.size, samples: lab.train.length, l2, tolerance, modelSummary: model.summary(), skipped };
}

const NEWTON_COMPARISON_OPTIONS = keysOf<NewtonComparisonOptions>({ engine: 1, data: 1, model: 1, l2: 1, tolerance: 1, maxIterations: 1, seed: 1 });
