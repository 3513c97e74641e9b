// Plain TypeScript twins of assembly/optim/rprop.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";

const f = Math.fround;

export interface RpropKernels {
  /** One Rprop step over parameters p, gradients g, previous gradients `prev` and step sizes `stepSize`. */
  f32_rprop(
    p: number, g: number, prev: number, stepSize: number, n: number,
    etaMinus: number, etaPlus: number, stepMin: number, stepMax: number, gradSign: number,
  ): void;
}

export function rpropReference(heap: Heap): RpropKernels {
  return {
    f32_rprop(p, g, prev, stepSize, n, etaMinus, etaPlus, stepMin, stepMax, gradSign) {
      const m = heap.f32;
      const down = f(etaMinus), up = f(etaPlus), lo = f(stepMin), hi = f(stepMax), sign = f(gradSign);
      p >>= 2, g >>= 2, prev >>= 2, stepSize >>= 2;
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
  };
}
