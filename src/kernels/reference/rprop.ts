// Plain TypeScript twins of assembly/optim/rprop.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/rprop.ts, typed from the generated ABI. */
export type RpropKernels = KernelsFrom<"optim/rprop">;

export function rpropReference(heap: Heap) {
  return {
    f32_rprop(p, g, prev, stepSize, n, etaMinus, etaPlus, stepMin, stepMax, gradSign) {
      const m = heap.f32;
      const down = f(etaMinus), up = f(etaPlus), lo = f(stepMin), hi = f(stepMax), sign = f(gradSign);
      p >>>= 2, g >>>= 2, prev >>>= 2, stepSize >>>= 2;
      for (let i = 0; i < n; i++) {
        const gi = f(sign * m[g + i]!);
        const product = f(gi * m[prev + i]!);
        const factor = product > 0 ? up : product < 0 ? down : 1;
        const si = Math.min(Math.max(f(m[stepSize + i]! * factor), lo), hi);
        m[stepSize + i] = si;
        const kept = product < 0 ? 0 : gi;
        m[prev + i] = kept;
        const direction = kept > 0 ? 1 : kept < 0 ? -1 : 0;
        m[p + i] = m[p + i]! - direction * si;
      }
    },
  } satisfies RpropKernels;
}
