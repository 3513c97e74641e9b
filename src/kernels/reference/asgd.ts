// (being written) Plain TypeScript twins of the asgd kernels.
import type { Heap } from "../heap.js";


export interface AsgdKernels {}

export function asgdReference(_heap: Heap): AsgdKernels {
  return {};
}
