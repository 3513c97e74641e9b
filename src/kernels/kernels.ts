// The Kernels interface: what the wasm module exports, and what src/kernels/reference.ts implements again in
// plain TypeScript. It is not written here but generated from the AssemblyScript exports (src/kernels/abi.gen.ts,
// written by scripts/build-wasm.mjs from the declarations asc emits), so that a changed signature in assembly/ is
// a type error in every twin and at every call site. Pointers are byte offsets into the engine's memory, counts
// are element counts.
import { WASM_CONSTANTS, type KernelSources, type WasmKernels } from "./abi.gen.js";

export { KERNEL_NAMES, WASM_CONSTANTS, WASM_EXPORTS } from "./abi.gen.js";

/** Every kernel function of the module (heap_base: the first byte above its static data; the arena starts above). */
export type Kernels = WasmKernels;

/** The name of a kernel. */
export type KernelName = keyof Kernels;

/** The kernels defined in the given files of assembly/ (without `.ts`), e.g. `KernelsFrom<"optim/adam">`: the type
 * of the twin of those files, which must then implement each of them and nothing else. */
export type KernelsFrom<File extends string> = Pick<Kernels, { [K in KernelName]: KernelSources[K] extends File ? K : never }[KernelName]>;

/** Floats of scratch the `pack` argument of the gemm kernels must point at (exported by the module as
 * GEMM_PACK_FLOATS: KC·NC floats of packed B, MC·KC of packed A and one MR×NR edge tile). */
export const GEMM_PACK_FLOATS: number = WASM_CONSTANTS.GEMM_PACK_FLOATS;
