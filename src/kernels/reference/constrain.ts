// Plain TypeScript twin of assembly/optim/constrain.ts: the row norms in the fixed-order float64 sum of the
// reduce kernels, the factor in float64, each value times the factor rounded to float32.
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { reduceReference } from "./reduce.js";

/** The kernels of assembly/optim/constrain.ts, typed from the generated ABI. */
export type ConstrainKernels = KernelsFrom<"optim/constrain">;

export function constrainReference(heap: Heap) {
  const reduce = reduceReference(heap);
  return {
    f32_max_norm_rows(p, rows, cols, maxNorm, eps) {
      for (let r = 0; r < rows; r++) {
        const row = p + 4 * r * cols;
        const norm = Math.sqrt(reduce.f32_sum_squares(row, cols));
        reduce.f32_scale(row, cols, Math.min(norm, maxNorm) / (eps + norm));
      }
    },
  } satisfies ConstrainKernels;
}
