// (being written) Plain TypeScript twins of the rmsprop kernels.
import type { Heap } from "../heap.js";


export interface RmspropKernels {}

export function rmspropReference(_heap: Heap): RmspropKernels {
  return {};
}
