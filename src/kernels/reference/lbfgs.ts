// LBFGS needs no kernels of its own: its vector operations are the reduce kernels (src/kernels/reference/reduce.ts:
// f32_dot, f32_axpy, f32_scale, f32_copy, f32_max_abs, f32_sum_abs). This family stays empty.
import type { Heap } from "../heap.js";

export interface LbfgsKernels {}

export function lbfgsReference(_heap: Heap): LbfgsKernels {
  return {};
}
