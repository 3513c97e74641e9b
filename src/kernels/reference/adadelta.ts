// Plain TypeScript twins of assembly/optim/adadelta.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/adadelta.ts, typed from the generated ABI. */
export type AdadeltaKernels = KernelsFrom<"optim/adadelta">;

export function adadeltaReference(heap: Heap) {
  return {
    f32_adadelta(p, g, squareAvg, accDelta, n, lr, rho, oneMinusRho, eps, weightDecay, gradSign) {
      const m = heap.f32;
      const negLr = f(-lr), r = f(rho), omr = f(oneMinusRho), e = f(eps), wd = f(weightDecay), sign = f(gradSign);
      p >>>= 2, g >>>= 2, squareAvg >>>= 2, accDelta >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const gi = f(f(wd * pi) + f(sign * m[g + i]!));
        const vi = f(f(f(omr * gi) * gi) + f(m[squareAvg + i]! * r));
        m[squareAvg + i] = vi;
        const ui = m[accDelta + i]!;
        const delta = f(f(f(Math.sqrt(f(ui + e))) / f(Math.sqrt(f(vi + e)))) * gi);
        m[accDelta + i] = f(f(omr * delta) * delta) + f(ui * r);
        m[p + i] = f(negLr * delta) + pi;
      }
    },
  } satisfies AdadeltaKernels;
}
