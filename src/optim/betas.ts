// The `betas` option of the Adam family and Lion: two coefficients of running averages, each in [0, 1).
import { requireInRange } from "./validate.js";

export type Betas = [number, number];

/** Throws a RangeError naming `betas`, or `betas[0]` / `betas[1]`, and the offending value. */
export function requireBetas(betas: unknown): asserts betas is Betas {
  if (!Array.isArray(betas) || betas.length !== 2) {
    throw new RangeError(`Invalid betas: ${JSON.stringify(betas)} (must be a pair [beta1, beta2])`);
  }
  requireInRange("betas[0]", betas[0], 0, 1);
  requireInRange("betas[1]", betas[1], 0, 1);
}
