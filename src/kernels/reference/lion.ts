// Plain TypeScript twin of assembly/optim/lion.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";

const f = Math.fround;

export interface LionKernels {
  /** One Lion step: c = β1 m + omb1 g; θ = θ · decay − lr · sign(c); m = β2 m + omb2 g (omb = 1 − β, decay =
   * 1 − lr λ, computed by the caller in float64). */
  f32_lion(
    p: number, g: number, m: number, n: number,
    lr: number, beta1: number, beta2: number, omb1: number, omb2: number, decay: number,
  ): void;
}

export function lionReference(heap: Heap): LionKernels {
  return {
    f32_lion(p, g, m, n, lr, beta1, beta2, omb1, omb2, decay) {
      const h = heap.f32;
      const negLr = f(-lr), b1 = f(beta1), b2 = f(beta2), dec = f(decay);
      const c1 = f(omb1), c2 = f(omb2);
      p >>= 2, g >>= 2, m >>= 2;
      for (let i = 0; i < n; i++) {
        const gi = h[g + i]!, mi = h[m + i]!;
        const ci = f(f(b1 * mi) + f(c1 * gi));
        const sign = ci > 0 ? 1 : ci < 0 ? -1 : ci; // ±0 and NaN pass through, as in the kernel
        h[p + i] = f(f(negLr * sign) + f(h[p + i]! * dec));
        h[m + i] = f(f(b2 * mi) + f(c2 * gi));
      }
    },
  };
}
