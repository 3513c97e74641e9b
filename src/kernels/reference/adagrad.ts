// Plain TypeScript twins of assembly/optim/adagrad.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/adagrad.ts, typed from the generated ABI. */
export type AdagradKernels = KernelsFrom<"optim/adagrad">;

export function adagradReference(heap: Heap) {
  return {
    f32_adagrad(p, g, sum, n, clr, eps, weightDecay, gradSign) {
      const m = heap.f32;
      const negClr = f(-clr), e = f(eps), wd = f(weightDecay), sign = f(gradSign);
      p >>>= 2, g >>>= 2, sum >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const si = f(f(gi * gi) + m[sum + i]!);
        m[sum + i] = si;
        m[p + i] = pi + f(f(negClr * gi) / f(f(Math.sqrt(si)) + e));
      }
    },
  } satisfies AdagradKernels;
}
