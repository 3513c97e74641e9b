// Plain TypeScript twins of assembly/optim/regularize.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/regularize.ts, typed from the generated ABI. */
export type RegularizeKernels = KernelsFrom<"optim/regularize">;

/** sign(z) · max(|z| − t, 0), +0 where |z| ≤ t, in float32. */
export function softThreshold(z: number, t: number): number {
  const shrunk = f(Math.abs(z) - t);
  return shrunk <= 0 ? 0 : z < 0 ? -shrunk : shrunk;
}

export function regularizeReference(heap: Heap) {
  return {
    f32_l1_l2_grad(p, g, n, l1, l2) {
      const m = heap.f32;
      const a = f(l1), b = f(l2);
      p >>>= 2, g >>>= 2;
      for (let i = 0; i < n; i++) {
        const pi = m[p + i]!;
        const l1Sign = (pi > 0 ? a : 0) - (pi < 0 ? a : 0); // as the SIMD masks: +0 when λ₁ = 0
        m[g + i] = f(b * pi) + f(m[g + i]! + l1Sign);
      }
    },
    f32_sgd_prox_l1(p, g, n, lr, threshold) {
      const m = heap.f32;
      const negLr = f(-lr), t = f(threshold);
      p >>>= 2, g >>>= 2;
      for (let i = 0; i < n; i++) m[p + i] = softThreshold(f(f(negLr * m[g + i]!) + m[p + i]!), t);
    },
  } satisfies RegularizeKernels;
}
