// Plain TypeScript twin of assembly/linalg/axpby.ts (float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/linalg/axpby.ts, typed from the generated ABI. */
export type AxpbyKernels = KernelsFrom<"linalg/axpby">;

export function axpbyReference(heap: Heap) {
  return {
    f32_axpby(y, x, n, alpha, beta) {
      const h = heap.f32;
      const a = f(alpha), b = f(beta);
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) h[y + i] = f(f(a * h[x + i]!) + f(h[y + i]! * b));
    },
  } satisfies AxpbyKernels;
}
