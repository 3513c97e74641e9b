// (being written) Plain TypeScript twins of the data kernels.
import type { Heap } from "../heap.js";


export interface DataKernels {}

export function dataReference(_heap: Heap): DataKernels {
  return {};
}
