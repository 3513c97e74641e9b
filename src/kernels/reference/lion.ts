// (being written) Plain TypeScript twins of the lion kernels.
import type { Heap } from "../heap.js";


export interface LionKernels {}

export function lionReference(_heap: Heap): LionKernels {
  return {};
}
