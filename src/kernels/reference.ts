// Every kernel again in plain TypeScript, over the same memory: the readable specification, the oracle of the
// tests, and the JavaScript side of the wasm-vs-JS benchmarks (`backend: 'js'` runs the library on it).
import { Heap } from "./heap.js";
import type { Kernels } from "./kernels.js";
import { sgdReference } from "./reference/sgd.js";

export function createReferenceKernels(memory: WebAssembly.Memory): Kernels {
  const heap = new Heap(memory);
  return {
    heap_base: () => 0,
    ...sgdReference(heap),
  };
}
