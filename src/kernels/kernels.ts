// The Kernels interface: what the wasm module exports, and what src/kernels/reference.ts implements again in
// plain TypeScript. Pointers are byte offsets into the engine's memory, counts are element counts. Each family's
// part is declared next to its reference implementation in src/kernels/reference/<family>.ts.
import type { SgdKernels } from "./reference/sgd.js";
import type { AdamKernels } from "./reference/adam.js";
import type { LionKernels } from "./reference/lion.js";
import type { AdagradKernels } from "./reference/adagrad.js";
import type { RmspropKernels } from "./reference/rmsprop.js";
import type { AdadeltaKernels } from "./reference/adadelta.js";
import type { RpropKernels } from "./reference/rprop.js";
import type { AsgdKernels } from "./reference/asgd.js";
import type { GemmKernels } from "./reference/gemm.js";
import type { ReduceKernels } from "./reference/reduce.js";
import type { NnKernels } from "./reference/nn.js";
import type { DataKernels } from "./reference/data.js";
import type { SpatialKernels } from "./reference/spatial.js";

export interface Kernels extends SgdKernels, AdamKernels, LionKernels, AdagradKernels, RmspropKernels, AdadeltaKernels, RpropKernels, AsgdKernels, GemmKernels, ReduceKernels, NnKernels, SpatialKernels, DataKernels {
  /** First byte above the module's static data: the arena starts above it. */
  heap_base(): number;
}
