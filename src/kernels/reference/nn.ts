// Plain TypeScript twins of the nn kernels (assembly/nn/): activations, softmax, losses, dropout.
import type { Heap } from "../heap.js";
import { type ActivationKernels, activationReference } from "./nn/activations.js";
import { type DropoutKernels, dropoutReference } from "./nn/dropout.js";
import { type LossKernels, lossReference } from "./nn/losses.js";
import { type SoftmaxKernels, softmaxReference } from "./nn/softmax.js";
import { type RecurrentKernels, recurrentReference } from "./nn/recurrent.js";

export type NnKernels = ActivationKernels & SoftmaxKernels & LossKernels & DropoutKernels & RecurrentKernels;

export function nnReference(heap: Heap) {
  return { ...activationReference(heap), ...softmaxReference(heap), ...lossReference(heap), ...dropoutReference(heap), ...recurrentReference(heap) } satisfies NnKernels;
}
