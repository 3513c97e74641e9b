// Plain TypeScript twins of assembly/optim/asgd.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";

const f = Math.fround;

export interface AsgdKernels {
  /** One ASGD step; `decay` is 1 − lambd·eta, `average` is 0 while mu = 1 (ax is then a copy of p). */
  f32_asgd(
    p: number, g: number, ax: number, n: number,
    eta: number, decay: number, weightDecay: number, mu: number, average: number, gradSign: number,
  ): void;
}

export function asgdReference(heap: Heap): AsgdKernels {
  return {
    f32_asgd(p, g, ax, n, eta, decay, weightDecay, mu, average, gradSign) {
      const m = heap.f32;
      const negEta = f(-eta), dec = f(decay), wd = f(weightDecay), w = f(mu), sign = f(gradSign);
      p >>= 2, g >>= 2, ax >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const next = f(f(negEta * gi) + f(pi * dec));
        m[p + i] = next;
        if (average) {
          const ai = m[ax + i]!;
          m[ax + i] = f(f(next - ai) * w) + ai;
        } else {
          m[ax + i] = next;
        }
      }
    },
  };
}
