// Plain TypeScript twins of assembly/optim/sgd.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { flush, MIN_NORMAL } from "./flush.js";

const f = Math.fround;

/** The kernels of assembly/optim/sgd.ts, typed from the generated ABI. */
export type SgdKernels = KernelsFrom<"optim/sgd">;

export function sgdReference(heap: Heap) {
  return {
    f32_sgd(p, g, n, lr, weightDecay, gradSign) {
      const m = heap.f32;
      const negLr = f(-lr), wd = f(weightDecay), sign = f(gradSign);
      p >>>= 2, g >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        m[p + i] = f(negLr * gi) + pi;
      }
    },
    f32_sgd_momentum(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, nesterov, first, gradSign) {
      const m = heap.f32;
      const negLr = f(-lr), wd = f(weightDecay), mu = f(momentum), sign = f(gradSign);
      const omd = f(oneMinusDampening);
      p >>>= 2, g >>>= 2, b >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        let gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const bi = flush(first ? gi : f(f(omd * gi) + f(mu * m[b + i]!)), MIN_NORMAL); // subnormal b stored as 0
        m[b + i] = bi;
        gi = nesterov ? f(f(mu * bi) + gi) : bi;
        m[p + i] = f(negLr * gi) + pi;
      }
    },
  } satisfies SgdKernels;
}
