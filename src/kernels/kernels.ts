// The Kernels interface: what the wasm module exports, and what src/kernels/reference.ts implements again in
// plain TypeScript. Pointers are byte offsets into the engine's memory, counts are element counts.
import type { SgdKernels } from "./reference/sgd.js";

export interface Kernels extends SgdKernels {
  /** First byte above the module's static data: the arena starts above it. */
  heap_base(): number;
}
