// (being written) Plain TypeScript twins of the adadelta kernels.
import type { Heap } from "../heap.js";


export interface AdadeltaKernels {}

export function adadeltaReference(_heap: Heap): AdadeltaKernels {
  return {};
}
