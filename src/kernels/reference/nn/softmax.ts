// Plain TypeScript twins of assembly/nn/softmax.ts, with the kernels' fixed order of the row sums: four partial
// sums by column mod 4 over the columns below cols & ~3, combined as (s0 + s1) + (s2 + s3), then the rest.
import type { Heap } from "../../heap.js";
import type { KernelsFrom } from "../../kernels.js";
import { expf32 } from "./math.js";

const f = Math.fround;

/** The kernels of assembly/nn/softmax.ts, typed from the generated ABI. */
export type SoftmaxKernels = KernelsFrom<"nn/softmax">;

/** The fixed-order float32 sum of term(j) for j < n. */
function orderedSum(n: number, term: (j: number) => number): number {
  const end = n & ~3;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let j = 0; j < end; j += 4) {
    s0 = f(s0 + term(j));
    s1 = f(s1 + term(j + 1));
    s2 = f(s2 + term(j + 2));
    s3 = f(s3 + term(j + 3));
  }
  let s = f(f(s0 + s1) + f(s2 + s3));
  for (let j = end; j < n; j++) s = f(s + term(j));
  return s;
}

export function softmaxReference(heap: Heap) {
  return {
    f32_softmax_rows(y, x, rows, cols) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const xr = (x >>> 2) + r * cols;
        const yr = (y >>> 2) + r * cols;
        let max = -Infinity;
        for (let j = 0; j < cols; j++) max = Math.max(max, m[xr + j]!);
        const sum = orderedSum(cols, (j) => (m[yr + j] = expf32(f(m[xr + j]! - max))));
        const inv = f(1 / sum);
        for (let j = 0; j < cols; j++) m[yr + j] = m[yr + j]! * inv;
      }
    },
    f32_softmax_rows_backward(dx, dy, y, rows, cols) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const off = r * cols;
        const g = (dy >>> 2) + off, o = (y >>> 2) + off, d = (dx >>> 2) + off;
        const dot = orderedSum(cols, (j) => f(m[g + j]! * m[o + j]!));
        for (let j = 0; j < cols; j++) m[d + j] = m[o + j]! * f(m[g + j]! - dot);
      }
    },
  } satisfies SoftmaxKernels;
}
