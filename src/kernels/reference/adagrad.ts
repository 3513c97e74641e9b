// (being written) Plain TypeScript twins of the adagrad kernels.
import type { Heap } from "../heap.js";


export interface AdagradKernels {}

export function adagradReference(_heap: Heap): AdagradKernels {
  return {};
}
