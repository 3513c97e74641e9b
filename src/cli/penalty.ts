// The penalty and constraint flags of `train` and `compare`: --l1, --elastic-net, --max-norm (fit's l1,
// elasticNet and constrain options, train/penalty.ts).
import type { Command } from "commander";
import type { FitOptions } from "../train/fit.js";
import type { ElasticNetOptions } from "../train/penalty.js";
import { nonNegativeNumber, positiveNumber } from "./options.js";
import { argument, UsageError } from "./usage.js";

export interface PenaltyFlags {
  l1?: number;
  elasticNet?: ElasticNetOptions;
  maxNorm?: number;
}

const parseElasticNet = argument((value: string): ElasticNetOptions => {
  const parts = value.split(",").map((s) => s.trim());
  const [alpha, l1Ratio] = parts.map(Number);
  if (parts.length !== 2 || parts.some((s) => s === "") || !(alpha! >= 0 && Number.isFinite(alpha)) || !(l1Ratio! >= 0 && l1Ratio! <= 1)) {
    throw new UsageError(`--elastic-net takes alpha,l1Ratio with alpha >= 0 and l1Ratio in [0, 1] (e.g. 1e-4,0.5), got '${value}'`);
  }
  return { alpha: alpha!, l1Ratio: l1Ratio! };
});

export function addPenaltyOptions(cmd: Command): Command {
  return cmd
    .option("--l1 <λ>", "L1 penalty λ‖θ‖₁ on every parameter: λ·sign(θ) added to each gradient (coupled, before clipping)", nonNegativeNumber("--l1"))
    .option("--elastic-net <alpha,l1Ratio>", "elastic-net penalty α·r‖θ‖₁ + ½α(1−r)‖θ‖² (scikit-learn's alpha, l1_ratio), e.g. 1e-4,0.5", parseElasticNet)
    .option("--max-norm <m>", "after each step, scale every unit's incoming weights (a row of each weight) to norm ≤ m (Keras' MaxNorm)", positiveNumber("--max-norm"));
}

/** fit's options for these flags; --l1 and --elastic-net together are a usage error. */
export function penaltyOptions(flags: PenaltyFlags): Pick<FitOptions, "l1" | "elasticNet" | "constrain"> {
  if (flags.l1 !== undefined && flags.elasticNet !== undefined) throw new UsageError("--l1 and --elastic-net cannot be combined (--elastic-net λ,1 is --l1 λ)");
  return {
    ...(flags.l1 !== undefined ? { l1: flags.l1 } : {}),
    ...(flags.elasticNet !== undefined ? { elasticNet: flags.elasticNet } : {}),
    ...(flags.maxNorm !== undefined ? { constrain: { maxNorm: flags.maxNorm } } : {}),
  };
}

/** ', L1 1e-4', ', elastic net α 1e-4 r 0.5', ', max-norm 3': for the run's one-line description. */
export function describePenalty(flags: PenaltyFlags): string {
  return (flags.l1 !== undefined ? `, L1 ${flags.l1}` : "") +
    (flags.elasticNet ? `, elastic net α ${flags.elasticNet.alpha} r ${flags.elasticNet.l1Ratio}` : "") +
    (flags.maxNorm !== undefined ? `, max-norm ${flags.maxNorm}` : "");
}
