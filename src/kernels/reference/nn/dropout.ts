// Plain TypeScript twin of assembly/nn/dropout.ts.
import type { Heap } from "../../heap.js";
import type { KernelsFrom } from "../../kernels.js";

const f = Math.fround;

/** The kernels of assembly/nn/dropout.ts, typed from the generated ABI. */
export type DropoutKernels = KernelsFrom<"nn/dropout">;

/** Chris Wellons' lowbias32 integer hash, on uint32. */
function lowbias32(x: number): number {
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d);
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b);
  x ^= x >>> 16;
  return x >>> 0;
}

export function dropoutReference(heap: Heap) {
  return {
    f32_dropout(y, x, n, threshold, scale, seed, counter) {
      const m = heap.f32;
      const s = f(scale);
      const key = lowbias32(lowbias32(seed >>> 0) ^ (counter >>> 0));
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) {
        const h = lowbias32((lowbias32((i ^ key) >>> 0) + key) >>> 0);
        m[y + i] = h >>> 8 >= (threshold | 0) ? m[x + i]! * s : 0;
      }
    },
  } satisfies DropoutKernels;
}
