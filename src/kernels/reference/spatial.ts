// (being written) Plain TypeScript twins of the spatial kernels (conv, pooling, batch norm).
import type { Heap } from "../heap.js";

export interface SpatialKernels {}

export function spatialReference(_heap: Heap): SpatialKernels {
  return {};
}
