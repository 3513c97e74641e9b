// Plain TypeScript twin of assembly/optim/schedule-free.ts (same arithmetic, float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { torchLerp as lerp } from "./lerp.js";

const f = Math.fround;

/** The kernels of assembly/optim/schedule-free.ts, typed from the generated ABI. */
export type ScheduleFreeKernels = KernelsFrom<"optim/schedule-free">;


export function scheduleFreeReference(heap: Heap) {
  /** y ← lerp(y, z, c) + yStep ĝ;  z ← z − γ ĝ. */
  function averageAndStep(h: Float32Array, y: number, z: number, gn: number, c: number, omc: number, yStep: number, negLr: number): void {
    const zi = h[z]!;
    h[y] = f(f(yStep * gn) + lerp(h[y]!, zi, c, omc));
    h[z] = f(f(negLr * gn) + zi);
  }
  return {
    f32_sgd_schedule_free(y, g, z, n, ckp1, omCkp1, yStep, lr, weightDecay) {
      const h = heap.f32;
      const c = f(ckp1), omc = f(omCkp1), ys = f(yStep), negLr = -f(lr), wd = f(weightDecay);
      y >>>= 2, g >>>= 2, z >>>= 2;
      for (let i = 0; i < n; i++) {
        const gn = f(f(wd * h[y + i]!) + h[g + i]!);
        averageAndStep(h, y + i, z + i, gn, c, omc, ys, negLr);
      }
    },
    f32_adamw_schedule_free(y, g, z, v, m, n, beta2, omb2, bc2, eps, innerMomentum, omInner, invBc1, ckp1, omCkp1, yStep, lr, weightDecay) {
      const h = heap.f32;
      const b2 = f(beta2), c2 = f(omb2), fbc2 = f(bc2), e = f(eps), mu = f(innerMomentum), omMu = f(omInner), ib1 = f(invBc1);
      const c = f(ckp1), omc = f(omCkp1), ys = f(yStep), negLr = -f(lr), wd = f(weightDecay);
      y >>>= 2, g >>>= 2, z >>>= 2, v >>>= 2, m >>>= 2;
      for (let i = 0; i < n; i++) {
        const gi = h[g + i]!;
        const vi = f(f(h[v + i]! * b2) + f(c2 * f(gi * gi)));
        h[v + i] = vi;
        const denom = f(f(Math.sqrt(f(vi / fbc2))) + e);
        let num = gi;
        if (mu !== 0) {
          const mi = f(f(h[m + i]! * mu) + f(omMu * gi));
          h[m + i] = mi;
          num = f(mi * ib1);
        }
        const gn = f(f(wd * h[y + i]!) + f(num / denom));
        averageAndStep(h, y + i, z + i, gn, c, omc, ys, negLr);
      }
    },
    f32_lerp(a, b, n, w, omw) {
      const h = heap.f32;
      const fw = f(w), fo = f(omw);
      a >>>= 2, b >>>= 2;
      for (let i = 0; i < n; i++) h[a + i] = lerp(h[a + i]!, h[b + i]!, fw, fo);
    },
  } satisfies ScheduleFreeKernels;
}
