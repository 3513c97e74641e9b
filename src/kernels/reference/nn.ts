// (being written) Plain TypeScript twins of the nn kernels.
import type { Heap } from "../heap.js";


export interface NnKernels {}

export function nnReference(_heap: Heap): NnKernels {
  return {};
}
