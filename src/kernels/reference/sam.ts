// Plain TypeScript twin of assembly/optim/sam.ts (float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/sam.ts, typed from the generated ABI. */
export type SamKernels = KernelsFrom<"optim/sam">;

export function samReference(heap: Heap) {
  return {
    f32_sam_weighted(out, p, g, n, square) {
      const h = heap.f32;
      out >>>= 2, p >>>= 2, g >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = h[p + i]!;
        h[out + i] = f((square ? f(pi * pi) : Math.abs(pi)) * h[g + i]!);
      }
    },
  } satisfies SamKernels;
}
