// Plain TypeScript twins of assembly/optim/adagrad.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";

const f = Math.fround;

export interface AdagradKernels {
  /** One Adagrad step: sum += g²; p += (−clr · g) / (√sum + eps), with g = gradSign·grad + weightDecay·p. */
  f32_adagrad(p: number, g: number, sum: number, n: number, clr: number, eps: number, weightDecay: number, gradSign: number): void;
}

export function adagradReference(heap: Heap): AdagradKernels {
  return {
    f32_adagrad(p, g, sum, n, clr, eps, weightDecay, gradSign) {
      const m = heap.f32;
      const negClr = f(-clr), e = f(eps), wd = f(weightDecay), sign = f(gradSign);
      p >>= 2, g >>= 2, sum >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const si = f(f(gi * gi) + m[sum + i]!);
        m[sum + i] = si;
        m[p + i] = pi + f(f(negClr * gi) / f(f(Math.sqrt(si)) + e));
      }
    },
  };
}
