// (being written) Plain TypeScript twins of the adam kernels.
import type { Heap } from "../heap.js";


export interface AdamKernels {}

export function adamReference(_heap: Heap): AdamKernels {
  return {};
}
