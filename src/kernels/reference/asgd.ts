// Plain TypeScript twins of assembly/optim/asgd.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/asgd.ts, typed from the generated ABI. */
export type AsgdKernels = KernelsFrom<"optim/asgd">;

export function asgdReference(heap: Heap) {
  return {
    f32_asgd(p, g, ax, n, eta, decay, weightDecay, mu, average, gradSign) {
      const m = heap.f32;
      const negEta = f(-eta), dec = f(decay), wd = f(weightDecay), w = f(mu), sign = f(gradSign);
      p >>>= 2, g >>>= 2, ax >>>= 2;
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
  } satisfies AsgdKernels;
}
