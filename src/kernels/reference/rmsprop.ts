// Plain TypeScript twins of assembly/optim/rmsprop.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/rmsprop.ts, typed from the generated ABI. */
export type RmspropKernels = KernelsFrom<"optim/rmsprop">;

export function rmspropReference(heap: Heap) {
  return {
    f32_rmsprop(p, g, squareAvg, gradAvg, buf, n, lr, alpha, oneMinusAlpha, eps, weightDecay, momentum, centered, gradSign) {
      const m = heap.f32;
      const negLr = f(-lr), a = f(alpha), oma = f(oneMinusAlpha), e = f(eps), wd = f(weightDecay);
      const mu = f(momentum), sign = f(gradSign);
      p >>>= 2, g >>>= 2, squareAvg >>>= 2, gradAvg >>>= 2, buf >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const vi = f(f(f(oma * gi) * gi) + f(m[squareAvg + i]! * a));
        m[squareAvg + i] = vi;
        let avg: number;
        if (centered) {
          const ai = f(f(oma * gi) + f(m[gradAvg + i]! * a));
          m[gradAvg + i] = ai;
          avg = f(f(Math.sqrt(f(vi - f(ai * ai)))) + e);
        } else {
          avg = f(f(Math.sqrt(vi)) + e);
        }
        if (mu > 0) {
          const bi = f(f(m[buf + i]! * mu) + f(gi / avg));
          m[buf + i] = bi;
          m[p + i] = f(negLr * bi) + pi;
        } else {
          m[p + i] = pi + f(f(negLr * gi) / avg);
        }
      }
    },
  } satisfies RmspropKernels;
}
