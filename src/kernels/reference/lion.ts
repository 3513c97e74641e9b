// Plain TypeScript twin of assembly/optim/lion.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/lion.ts, typed from the generated ABI. */
export type LionKernels = KernelsFrom<"optim/lion">;

export function lionReference(heap: Heap) {
  return {
    f32_lion(p, g, m, n, lr, beta1, beta2, omb1, omb2, decay) {
      const h = heap.f32;
      const negLr = f(-lr), b1 = f(beta1), b2 = f(beta2), dec = f(decay);
      const c1 = f(omb1), c2 = f(omb2);
      p >>>= 2, g >>>= 2, m >>>= 2;
      for (let i = 0; i < n; i++) {
        const gi = h[g + i]!, mi = h[m + i]!;
        const ci = f(f(b1 * mi) + f(c1 * gi));
        const sign = ci > 0 ? 1 : ci < 0 ? -1 : ci; // ±0 and NaN pass through, as in the kernel
        h[p + i] = f(f(negLr * sign) + f(h[p + i]! * dec));
        h[m + i] = f(f(b2 * mi) + f(c2 * gi));
      }
    },
  } satisfies LionKernels;
}
