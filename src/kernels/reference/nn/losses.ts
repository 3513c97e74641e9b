// Plain TypeScript twins of assembly/nn/losses.ts.
import type { Heap } from "../../heap.js";
import type { KernelsFrom } from "../../kernels.js";
import { expf32, logf32 } from "./math.js";

const f = Math.fround;

/** The kernels of assembly/nn/losses.ts, typed from the generated ABI. */
export type LossKernels = KernelsFrom<"nn/losses">;

export function lossReference(heap: Heap) {
  return {
    f32_cross_entropy(logits, labels, dLogits, rows, cols, gradScale) {
      const m = heap.f32, lab = heap.i32;
      const gs = f(gradScale);
      let total = 0;
      for (let r = 0; r < rows; r++) {
        const x = (logits >>> 2) + r * cols;
        const d = (dLogits >>> 2) + r * cols;
        const label = lab[(labels >>> 2) + r]!;
        let max = -Infinity;
        for (let j = 0; j < cols; j++) max = Math.max(max, m[x + j]!);
        let s = 0;
        for (let j = 0; j < cols; j++) {
          const e = expf32(f(m[x + j]! - max));
          if (dLogits) m[d + j] = e;
          s = f(s + e);
        }
        const lse = f(max + logf32(s));
        total += f(lse - m[x + label]!);
        if (dLogits) {
          for (let j = 0; j < cols; j++) {
            const p = f(m[d + j]! / s);
            m[d + j] = (j === label ? f(p - 1) : p) * gs;
          }
        }
      }
      return total;
    },
    f32_mse(pred, target, dPred, n, gradScale) {
      const m = heap.f32;
      const gs = f(gradScale);
      pred >>>= 2, target >>>= 2, dPred >>>= 2;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const diff = f(m[pred + i]! - m[target + i]!);
        total += diff * diff;
        if (dPred) m[dPred + i] = diff * gs;
      }
      return total;
    },
    f32_bce_with_logits(pred, target, dPred, n, gradScale) {
      const m = heap.f32;
      const gs = f(gradScale);
      pred >>>= 2, target >>>= 2, dPred >>>= 2;
      let total = 0;
      for (let i = 0; i < n; i++) {
        const x = m[pred + i]!, t = m[target + i]!;
        const e = expf32(-Math.abs(x));
        total += f(f(Math.max(x, 0) - f(x * t)) + logf32(f(1 + e)));
        if (dPred) {
          const sigmoid = x >= 0 ? f(1 / f(1 + e)) : f(e / f(1 + e));
          m[dPred + i] = f(sigmoid - t) * gs;
        }
      }
      return total;
    },
    i32_find_out_of_range(labels, n, limit) {
      const lab = heap.i32;
      labels >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = lab[labels + i]!;
        if (v < 0 || v >= limit) return i;
      }
      return -1;
    },
    f32_argmax_hits(pred, labels, rows, cols) {
      const m = heap.f32, lab = heap.i32;
      let hits = 0;
      for (let r = 0; r < rows; r++) {
        const x = (pred >>> 2) + r * cols;
        let best = 0;
        for (let j = 1; j < cols; j++) if (m[x + j]! > m[x + best]!) best = j;
        if (best === lab[(labels >>> 2) + r]) hits++;
      }
      return hits;
    },
  } satisfies LossKernels;
}
