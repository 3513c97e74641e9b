// (being written) Plain TypeScript twins of the rprop kernels.
import type { Heap } from "../heap.js";


export interface RpropKernels {}

export function rpropReference(_heap: Heap): RpropKernels {
  return {};
}
