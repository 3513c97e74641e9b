// (being written) Plain TypeScript twins of the lbfgs kernels.
import type { Heap } from "../heap.js";


export interface LbfgsKernels {}

export function lbfgsReference(_heap: Heap): LbfgsKernels {
  return {};
}
