// Plain TypeScript twins of assembly/optim/sgd.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";

const f = Math.fround;

export interface SgdKernels {
  f32_sgd(p: number, g: number, n: number, lr: number, weightDecay: number, gradSign: number): void;
  f32_sgd_momentum(
    p: number, g: number, b: number, n: number,
    lr: number, weightDecay: number, momentum: number, oneMinusDampening: number, nesterov: number, first: number,
    gradSign: number,
  ): void;
}

export function sgdReference(heap: Heap): SgdKernels {
  return {
    f32_sgd(p, g, n, lr, weightDecay, gradSign) {
      const m = heap.f32;
      const negLr = f(-lr), wd = f(weightDecay), sign = f(gradSign);
      p >>= 2, g >>= 2;
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
      p >>= 2, g >>= 2, b >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        let gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const bi = first ? gi : f(f(omd * gi) + f(mu * m[b + i]!));
        m[b + i] = bi;
        gi = nesterov ? f(f(mu * bi) + gi) : bi;
        m[p + i] = f(negLr * gi) + pi;
      }
    },
  };
}
