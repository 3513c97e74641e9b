// Plain TypeScript twins of assembly/data/batch.ts (same arithmetic, float32 rounding after each operation):
//
//   dst[r, c] = src[idx[r], c] · scale + offset
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/data/batch.ts, typed from the generated ABI. */
export type DataKernels = KernelsFrom<"data/batch">;

export function dataReference(heap: Heap) {
  return {
    f32_gather_rows_u8(dst, src, idx, rows, cols, scale, offset) {
      const out = heap.f32, bytes = heap.u8, index = heap.i32;
      const s = f(scale), o = f(offset);
      dst >>>= 2, idx >>>= 2;
      for (let r = 0; r < rows; r++) {
        const from = src + index[idx + r]! * cols;
        const to = dst + r * cols;
        for (let c = 0; c < cols; c++) out[to + c] = f(bytes[from + c]! * s) + o;
      }
    },
    f32_gather_rows_f32(dst, src, idx, rows, cols, scale, offset) {
      const m = heap.f32, index = heap.i32;
      const s = f(scale), o = f(offset);
      dst >>>= 2, src >>>= 2, idx >>>= 2;
      for (let r = 0; r < rows; r++) {
        const from = src + index[idx + r]! * cols;
        const to = dst + r * cols;
        for (let c = 0; c < cols; c++) m[to + c] = f(m[from + c]! * s) + o;
      }
    },
    i32_gather(dst, src, idx, n) {
      const m = heap.i32;
      dst >>>= 2, src >>>= 2, idx >>>= 2;
      for (let r = 0; r < n; r++) m[dst + r] = m[src + m[idx + r]!]!;
    },
    i32_gather_rows(dst, src, idx, rows, cols) {
      const m = heap.i32;
      dst >>>= 2, src >>>= 2, idx >>>= 2;
      for (let r = 0; r < rows; r++) {
        const from = src + m[idx + r]! * cols;
        m.copyWithin(dst + r * cols, from, from + cols);
      }
    },
  } satisfies DataKernels;
}
