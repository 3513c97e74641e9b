// Every kernel again in plain TypeScript, over the same memory: the readable specification, the oracle of the
// tests, and the JavaScript side of the wasm-vs-JS benchmarks (`backend: 'js'` runs the library on it).
import { Heap } from "./heap.js";
import type { Kernels } from "./kernels.js";
import { sgdReference } from "./reference/sgd.js";
import { adamReference } from "./reference/adam.js";
import { lionReference } from "./reference/lion.js";
import { adagradReference } from "./reference/adagrad.js";
import { rmspropReference } from "./reference/rmsprop.js";
import { adadeltaReference } from "./reference/adadelta.js";
import { rpropReference } from "./reference/rprop.js";
import { asgdReference } from "./reference/asgd.js";
import { gemmReference } from "./reference/gemm.js";
import { reduceReference } from "./reference/reduce.js";
import { nnReference } from "./reference/nn.js";
import { dataReference } from "./reference/data.js";
import { spatialReference } from "./reference/spatial.js";

export function createReferenceKernels(memory: WebAssembly.Memory): Kernels {
  const heap = new Heap(memory);
  return {
    heap_base: () => 0,
    ...sgdReference(heap),
    ...adamReference(heap),
    ...lionReference(heap),
    ...adagradReference(heap),
    ...rmspropReference(heap),
    ...adadeltaReference(heap),
    ...rpropReference(heap),
    ...asgdReference(heap),
    ...gemmReference(heap),
    ...reduceReference(heap),
    ...nnReference(heap),
    ...spatialReference(heap),
    ...dataReference(heap),
  };
}
