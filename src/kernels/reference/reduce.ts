// (being written) Plain TypeScript twins of the reduce kernels.
import type { Heap } from "../heap.js";


export interface ReduceKernels {}

export function reduceReference(_heap: Heap): ReduceKernels {
  return {};
}
