// Plain TypeScript twin of assembly/optim/adafactor.ts (same arithmetic, float32 rounding after each operation;
// the factors' sums in float64, in the same order).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { torchLerp as lerp } from "./lerp.js";

const f = Math.fround;

/** The kernels of assembly/optim/adafactor.ts, typed from the generated ABI. */
export type AdafactorKernels = KernelsFrom<"optim/adafactor">;


export function adafactorReference(heap: Heap) {
  return {
    f32_adafactor_factors(g, r, c, rows, cols, w, omw) {
      const h = heap.f32;
      const fw = f(w), fo = f(omw);
      g >>>= 2, r >>>= 2, c >>>= 2;
      for (let i = 0; i < rows; i++) {
        let s = 0;
        for (let j = 0; j < cols; j++) s += h[g + i * cols + j]! ** 2;
        h[r + i] = lerp(h[r + i]!, f(s / cols), fw, fo);
      }
      for (let j = 0; j < cols; j++) {
        let s = 0;
        for (let i = 0; i < rows; i++) s += h[g + i * cols + j]! ** 2;
        h[c + j] = lerp(h[c + j]!, f(s / rows), fw, fo);
      }
    },
    f32_adafactor_factored_dir(u, g, r, c, rows, cols, m, eps1Sq, gradSign) {
      const h = heap.f32;
      const fm = f(m), fe = f(eps1Sq), fs = f(gradSign);
      u >>>= 2, g >>>= 2, r >>>= 2, c >>>= 2;
      for (let i = 0; i < rows; i++) {
        const ri = h[r + i]!;
        for (let j = 0; j < cols; j++) {
          const k = i * cols + j;
          const v = Math.max(f(f(ri * h[c + j]!) / fm), fe);
          h[u + k] = f(f(1 / f(Math.sqrt(v))) * f(h[g + k]! * fs));
        }
      }
    },
    f32_adafactor_vector_dir(u, g, v, n, w, omw, eps1Sq, gradSign) {
      const h = heap.f32;
      const fw = f(w), fo = f(omw), fe = f(eps1Sq), fs = f(gradSign);
      u >>>= 2, g >>>= 2, v >>>= 2;
      for (let i = 0; i < n; i++) {
        const gi = f(h[g + i]! * fs);
        const vi = lerp(h[v + i]!, f(gi * gi), fw, fo);
        h[v + i] = vi;
        h[u + i] = f(f(1 / f(Math.sqrt(Math.max(vi, fe)))) * gi);
      }
    },
  } satisfies AdafactorKernels;
}
