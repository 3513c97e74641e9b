// Plain TypeScript twins of assembly/nn/recurrent.ts and embedding.ts.
import type { Heap } from "../../heap.js";
import type { KernelsFrom } from "../../kernels.js";
import { sigmoidf32, tanhf32 } from "./math.js";

const f = Math.fround;

/** The kernels of assembly/nn/recurrent.ts and embedding.ts, typed from the generated ABI. */
export type RecurrentKernels = KernelsFrom<"nn/recurrent" | "nn/embedding">;

export function recurrentReference(heap: Heap) {
  return {
    f32_lstm_cell(gates, cPrev, c, tc, h, rows, hidden) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const gi = (gates >>> 2) + 4 * r * hidden, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
        const o = r * hidden;
        for (let j = 0; j < hidden; j++) {
          const i = sigmoidf32(m[gi + j]!), fg = sigmoidf32(m[gf + j]!), g = tanhf32(m[gg + j]!), og = sigmoidf32(m[go + j]!);
          const cv = f(f(fg * m[(cPrev >>> 2) + o + j]!) + f(i * g));
          const t = tanhf32(cv);
          m[gi + j] = i, m[gf + j] = fg, m[gg + j] = g, m[go + j] = og;
          m[(c >>> 2) + o + j] = cv, m[(tc >>> 2) + o + j] = t, m[(h >>> 2) + o + j] = og * t;
        }
      }
    },
    f32_lstm_cell_backward(dGates, dh, dc, gates, cPrev, tc, rows, hidden) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const gi = (gates >>> 2) + 4 * r * hidden, gf = gi + hidden, gg = gf + hidden, go = gg + hidden;
        const di = (dGates >>> 2) + 4 * r * hidden, df = di + hidden, dg = df + hidden, dO = dg + hidden;
        const o = r * hidden;
        for (let j = 0; j < hidden; j++) {
          const i = m[gi + j]!, fg = m[gf + j]!, g = m[gg + j]!, og = m[go + j]!;
          const t = m[(tc >>> 2) + o + j]!, d = m[(dh >>> 2) + o + j]!;
          const dct = f(f(f(d * og) * f(1 - f(t * t))) + m[(dc >>> 2) + o + j]!);
          m[di + j] = f(dct * g) * f(f(1 - i) * i);
          m[df + j] = f(dct * m[(cPrev >>> 2) + o + j]!) * f(f(1 - fg) * fg);
          m[dg + j] = f(dct * i) * f(1 - f(g * g));
          m[dO + j] = f(d * t) * f(f(1 - og) * og);
          m[(dc >>> 2) + o + j] = dct * fg;
        }
      }
    },
    f32_gru_cell(gx, gh, hPrev, h, rows, hidden) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const xr = (gx >>> 2) + 3 * r * hidden, xz = xr + hidden, xn = xz + hidden;
        const hr = (gh >>> 2) + 3 * r * hidden, hz = hr + hidden, hn = hz + hidden;
        const o = r * hidden;
        for (let j = 0; j < hidden; j++) {
          const rg = sigmoidf32(f(m[xr + j]! + m[hr + j]!));
          const z = sigmoidf32(f(m[xz + j]! + m[hz + j]!));
          const n = tanhf32(f(f(rg * m[hn + j]!) + m[xn + j]!));
          m[xr + j] = rg, m[xz + j] = z, m[xn + j] = n;
          m[(h >>> 2) + o + j] = f(f(m[(hPrev >>> 2) + o + j]! - n) * z) + n;
        }
      }
    },
    f32_gru_cell_backward(dgx, dgh, dhPrev, dh, gates, gh, hPrev, rows, hidden, carry) {
      const m = heap.f32;
      for (let r = 0; r < rows; r++) {
        const gr = (gates >>> 2) + 3 * r * hidden, gz = gr + hidden, gn = gz + hidden;
        const hn = (gh >>> 2) + 3 * r * hidden + 2 * hidden;
        const xr = (dgx >>> 2) + 3 * r * hidden, xz = xr + hidden, xn = xz + hidden;
        const yr = (dgh >>> 2) + 3 * r * hidden, yz = yr + hidden, yn = yz + hidden;
        const o = r * hidden;
        for (let j = 0; j < hidden; j++) {
          const rg = m[gr + j]!, z = m[gz + j]!, n = m[gn + j]!, d = m[(dh >>> 2) + o + j]!;
          const an = f(f(d * f(1 - z)) * f(1 - f(n * n)));
          const az = f(f(d * f(m[(hPrev >>> 2) + o + j]! - n)) * f(f(1 - z) * z));
          const ar = f(f(an * m[hn + j]!) * f(f(1 - rg) * rg));
          m[xr + j] = ar, m[xz + j] = az, m[xn + j] = an;
          m[yr + j] = ar, m[yz + j] = az, m[yn + j] = an * rg;
          if (carry) m[(dhPrev >>> 2) + o + j] = f(d * z) + m[(dhPrev >>> 2) + o + j]!;
        }
      }
    },
    f32_swap_axes(dst, src, A, B, C) {
      const m = heap.f32;
      for (let a = 0; a < A; a++) {
        for (let b = 0; b < B; b++) {
          const from = (src >>> 2) + (a * B + b) * C;
          m.copyWithin((dst >>> 2) + (b * A + a) * C, from, from + C);
        }
      }
    },
    f32_embedding(y, weight, ids, n, dim) {
      const m = heap.f32;
      for (let i = 0; i < n; i++) {
        const from = (weight >>> 2) + Math.trunc(m[(ids >>> 2) + i]!) * dim;
        m.copyWithin((y >>> 2) + i * dim, from, from + dim);
      }
    },
    f32_embedding_backward(dWeight, dy, ids, n, dim) {
      const m = heap.f32;
      for (let i = 0; i < n; i++) {
        const w = (dWeight >>> 2) + Math.trunc(m[(ids >>> 2) + i]!) * dim, g = (dy >>> 2) + i * dim;
        for (let j = 0; j < dim; j++) m[w + j] = m[w + j]! + m[g + j]!;
      }
    },
    f32_find_bad_id(ids, n, limit) {
      const m = heap.f32;
      for (let i = 0; i < n; i++) {
        const v = m[(ids >>> 2) + i]!;
        if (!(v >= 0 && v < limit && Math.floor(v) === v)) return i;
      }
      return -1;
    },
  } satisfies RecurrentKernels;
}
