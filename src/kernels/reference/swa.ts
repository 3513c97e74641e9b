// Plain TypeScript twin of assembly/optim/swa.ts (float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/swa.ts, typed from the generated ABI. */
export type SwaKernels = KernelsFrom<"optim/swa">;

export function swaReference(heap: Heap) {
  return {
    f32_swa_average(avg, p, n, count) {
      const h = heap.f32;
      const c = f(count);
      avg >>>= 2, p >>>= 2;
      for (let i = 0; i < n; i++) h[avg + i] = f(h[avg + i]! + f(f(h[p + i]! - h[avg + i]!) / c));
    },
  } satisfies SwaKernels;
}
