// Every kernel again in plain TypeScript, over the same memory: the readable specification, the oracle of the
// tests, and the JavaScript side of the wasm-vs-JS benchmarks (`backend: 'js'` runs the library on it).
import { Heap } from "./heap.js";
import type { KernelName, Kernels } from "./kernels.js";
import { sgdReference } from "./reference/sgd.js";
import { adamReference } from "./reference/adam.js";
import { lionReference } from "./reference/lion.js";
import { adagradReference } from "./reference/adagrad.js";
import { rmspropReference } from "./reference/rmsprop.js";
import { adadeltaReference } from "./reference/adadelta.js";
import { rpropReference } from "./reference/rprop.js";
import { asgdReference } from "./reference/asgd.js";
import { regularizeReference } from "./reference/regularize.js";
import { constrainReference } from "./reference/constrain.js";
import { adafactorReference } from "./reference/adafactor.js";
import { scheduleFreeReference } from "./reference/schedule-free.js";
import { muonReference } from "./reference/muon.js";
import { axpbyReference } from "./reference/axpby.js";
import { swaReference } from "./reference/swa.js";
import { samReference } from "./reference/sam.js";
import { gemmReference } from "./reference/gemm.js";
import { reduceReference } from "./reference/reduce.js";
import { nnReference } from "./reference/nn.js";
import { dataReference } from "./reference/data.js";
import { spatialReference } from "./reference/spatial.js";
import { lowbitReference } from "./reference/lowbit.js";

function twins(heap: Heap) {
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
    ...regularizeReference(heap),
    ...constrainReference(heap),
    ...adafactorReference(heap),
    ...scheduleFreeReference(heap),
    ...muonReference(heap),
    ...axpbyReference(heap),
    ...swaReference(heap),
    ...samReference(heap),
    ...gemmReference(heap),
    ...reduceReference(heap),
    ...nnReference(heap),
    ...spatialReference(heap),
    ...dataReference(heap),
    ...lowbitReference(heap),
  };
}

// Each family is checked against its part of the generated ABI (`satisfies KernelsFrom<file>`): a twin missing,
// extra, or taking other types is a type error there. TypeScript accepts a function that takes fewer parameters
// than its type declares, so the number of parameters is checked here, kernel by kernel: a parameter added in
// assembly/ and not in its twin makes `arity` name the kernel.
type Twins = ReturnType<typeof twins>;
type ArityMismatch = { [K in KernelName]: Parameters<Twins[K]>["length"] extends Parameters<Kernels[K]>["length"] ? never : K }[KernelName];
const arity: [ArityMismatch] extends [never] ? true : ArityMismatch = true;

/** The reference kernels on `memory`: exactly the functions of the kernel module (test/engine.test.ts). */
export function createReferenceKernels(memory: WebAssembly.Memory): Kernels {
  void arity;
  return twins(new Heap(memory)) satisfies Kernels;
}
