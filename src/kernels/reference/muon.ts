// Plain TypeScript twin of assembly/optim/muon.ts (float32 rounding after each operation).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { torchLerp as lerp } from "./lerp.js";

const f = Math.fround;

/** The kernels of assembly/optim/muon.ts, typed from the generated ABI. */
export type MuonKernels = KernelsFrom<"optim/muon">;


export function muonReference(heap: Heap) {
  return {
    f32_muon_momentum(u, g, buf, n, momentum, omMomentum, nesterov) {
      const h = heap.f32;
      const mu = f(momentum), om = f(omMomentum);
      u >>>= 2, g >>>= 2, buf >>>= 2;
      for (let i = 0; i < n; i++) {
        const gi = h[g + i]!;
        const bi = lerp(h[buf + i]!, gi, om, mu);
        h[buf + i] = bi;
        h[u + i] = nesterov ? lerp(gi, bi, mu, om) : bi;
      }
    },
    f32_transpose(dst, src, rows, cols) {
      const h = heap.f32;
      dst >>>= 2, src >>>= 2;
      for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) h[dst + j * rows + i] = h[src + i * cols + j]!;
    },
  } satisfies MuonKernels;
}
