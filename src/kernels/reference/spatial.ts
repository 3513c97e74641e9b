// Plain TypeScript twins of assembly/nn/conv.ts, pool.ts, batchnorm.ts and channel.ts: the same float32
// operations in the same order (Math.fround after each), and the per-channel float64 sums in the same order.
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The window arguments of the spatial kernels (C is the number of planes for pooling). */
export type Geometry = [C: number, H: number, W: number, KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number];

/** The kernels of assembly/nn/conv.ts, pool.ts and batchnorm.ts (with channel.ts), typed from the generated ABI. */
export type SpatialKernels = KernelsFrom<"nn/conv" | "nn/pool" | "nn/batchnorm">;

const SUM = 0, SQDEV = 1, DOTDEV = 2;

export function spatialReference(heap: Heap) {
  /** channel.ts: four partial sums over l < L & ~3 by l mod 4, a tail sum, ((s0 + s1) + (s2 + s3)) + t. */
  const channelSum = (a: number, b: number, n: number, C: number, L: number, c: number, m: number, kind: number): number => {
    const mem = heap.f32;
    const summand = (i: number): number => {
      const x = mem[a + i]!;
      if (kind === SUM) return x;
      const d = x - m;
      return kind === SQDEV ? d * d : mem[b + i]! * d;
    };
    const end = L & ~3;
    const s = [0, 0, 0, 0];
    let t = 0;
    for (let r = 0; r < n; r++) {
      const row = (r * C + c) * L;
      for (let l = 0; l < end; l++) s[l & 3] += summand(row + l);
      for (let l = end; l < L; l++) t += summand(row + l);
    }
    return s[0]! + s[1]! + (s[2]! + s[3]!) + t;
  };

  const geometryLoop = (
    C: number, H: number, W: number, KH: number, KW: number, SH: number, SW: number, PH: number, PW: number, OH: number, OW: number,
    visit: (colIndex: number, pixel: number) => void,
  ) => {
    for (let c = 0; c < C; c++) {
      for (let i = 0; i < KH; i++) {
        for (let j = 0; j < KW; j++) {
          const row = ((c * KH + i) * KW + j) * OH * OW;
          for (let oh = 0; oh < OH; oh++) {
            const ih = oh * SH - PH + i;
            for (let ow = 0; ow < OW; ow++) {
              const iw = ow * SW - PW + j;
              const inside = ih >= 0 && ih < H && iw >= 0 && iw < W;
              visit(row + oh * OW + ow, inside ? (c * H + ih) * W + iw : -1);
            }
          }
        }
      }
    }
  };

  const divisor = (h0: number, h1: number, w0: number, w1: number, H: number, W: number, PH: number, PW: number, countIncludePad: number) =>
    countIncludePad
      ? (Math.min(h1, H + PH) - h0) * (Math.min(w1, W + PW) - w0)
      : (Math.min(h1, H) - Math.max(h0, 0)) * (Math.min(w1, W) - Math.max(w0, 0));

  const storeGrads = (dgamma: number, dbeta: number, gmean: number, k: number, invstd: number, c: number, sdy: number, dot: number, count: number, training: number) => {
    const mem = heap.f32;
    const is = mem[invstd + c]!;
    mem[dbeta + c] = mem[dbeta + c]! + f(sdy);
    mem[dgamma + c] = mem[dgamma + c]! + f(dot * is);
    mem[gmean + c] = training ? sdy / count : 0;
    mem[k + c] = training ? (dot * is * is) / count : 0;
  };

  return {
    f32_im2col(col, x, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW) {
      const mem = heap.f32;
      col >>>= 2, x >>>= 2;
      geometryLoop(C, H, W, KH, KW, SH, SW, PH, PW, OH, OW, (ci, pixel) => {
        mem[col + ci] = pixel < 0 ? 0 : mem[x + pixel]!;
      });
    },
    f32_col2im(dx, col, C, H, W, KH, KW, SH, SW, PH, PW, OH, OW) {
      const mem = heap.f32;
      dx >>>= 2, col >>>= 2;
      mem.fill(0, dx, dx + C * H * W);
      geometryLoop(C, H, W, KH, KW, SH, SW, PH, PW, OH, OW, (ci, pixel) => {
        if (pixel >= 0) mem[dx + pixel] = mem[dx + pixel]! + mem[col + ci]!;
      });
    },
    f32_channel_fill(y, v, n, C, L) {
      const mem = heap.f32;
      y >>>= 2, v >>>= 2;
      for (let r = 0; r < n; r++) for (let c = 0; c < C; c++) mem.fill(mem[v + c]!, y + (r * C + c) * L, y + (r * C + c + 1) * L);
    },
    f32_channel_sum_add(out, x, n, C, L) {
      out >>>= 2, x >>>= 2;
      for (let c = 0; c < C; c++) {
        const s = channelSum(x, x, n, C, L, c, 0, SUM);
        heap.f32[out + c] = heap.f32[out + c]! + f(s);
      }
    },
    f32_maxpool2d(y, idx, x, P, H, W, KH, KW, SH, SW, PH, PW, OH, OW) {
      const mem = heap.f32, ids = heap.i32;
      y >>>= 2, idx >>>= 2, x >>>= 2;
      for (let p = 0; p < P; p++) {
        const plane = x + p * H * W;
        const out = p * OH * OW;
        for (let oh = 0; oh < OH; oh++) {
          const h0 = Math.max(oh * SH - PH, 0), h1 = Math.min(oh * SH - PH + KH, H);
          for (let ow = 0; ow < OW; ow++) {
            const w0 = Math.max(ow * SW - PW, 0), w1 = Math.min(ow * SW - PW + KW, W);
            let best = -Infinity;
            let where = h0 * W + w0;
            for (let h = h0; h < h1; h++) {
              for (let w = w0; w < w1; w++) {
                const v = mem[plane + h * W + w]!;
                if (v > best || Number.isNaN(v)) (best = v), (where = h * W + w);
              }
            }
            mem[y + out + oh * OW + ow] = best;
            ids[idx + out + oh * OW + ow] = where;
          }
        }
      }
    },
    f32_maxpool2d_backward(dx, dy, idx, P, HW, OHW) {
      const mem = heap.f32, ids = heap.i32;
      dx >>>= 2, dy >>>= 2, idx >>>= 2;
      mem.fill(0, dx, dx + P * HW);
      for (let p = 0; p < P; p++) {
        for (let o = p * OHW; o < (p + 1) * OHW; o++) {
          const target = dx + p * HW + ids[idx + o]!;
          mem[target] = mem[target]! + mem[dy + o]!;
        }
      }
    },
    f32_avgpool2d(y, x, countIncludePad, P, H, W, KH, KW, SH, SW, PH, PW, OH, OW) {
      const mem = heap.f32;
      y >>>= 2, x >>>= 2;
      for (let p = 0; p < P; p++) {
        const plane = x + p * H * W;
        for (let oh = 0; oh < OH; oh++) {
          const h0 = oh * SH - PH, h1 = h0 + KH;
          for (let ow = 0; ow < OW; ow++) {
            const w0 = ow * SW - PW, w1 = w0 + KW;
            let s = 0;
            for (let h = Math.max(h0, 0); h < Math.min(h1, H); h++) {
              for (let w = Math.max(w0, 0); w < Math.min(w1, W); w++) s = f(s + mem[plane + h * W + w]!);
            }
            mem[y + p * OH * OW + oh * OW + ow] = s / divisor(h0, h1, w0, w1, H, W, PH, PW, countIncludePad);
          }
        }
      }
    },
    f32_avgpool2d_backward(dx, dy, countIncludePad, P, H, W, KH, KW, SH, SW, PH, PW, OH, OW) {
      const mem = heap.f32;
      dx >>>= 2, dy >>>= 2;
      mem.fill(0, dx, dx + P * H * W);
      for (let p = 0; p < P; p++) {
        const plane = dx + p * H * W;
        for (let oh = 0; oh < OH; oh++) {
          const h0 = oh * SH - PH, h1 = h0 + KH;
          for (let ow = 0; ow < OW; ow++) {
            const w0 = ow * SW - PW, w1 = w0 + KW;
            const g = f(mem[dy + p * OH * OW + oh * OW + ow]! / divisor(h0, h1, w0, w1, H, W, PH, PW, countIncludePad));
            for (let h = Math.max(h0, 0); h < Math.min(h1, H); h++) {
              for (let w = Math.max(w0, 0); w < Math.min(w1, W); w++) mem[plane + h * W + w] = mem[plane + h * W + w]! + g;
            }
          }
        }
      }
    },
    f32_bn_stats(mean, variance, x, n, C, L) {
      const mem = heap.f32;
      mean >>>= 2, variance >>>= 2, x >>>= 2;
      const count = n * L;
      for (let c = 0; c < C; c++) {
        const m = channelSum(x, x, n, C, L, c, 0, SUM) / count;
        mem[mean + c] = m;
        mem[variance + c] = channelSum(x, x, n, C, L, c, m, SQDEV) / count;
      }
    },
    f32_bn_update_running(runningMean, runningVar, mean, variance, C, momentum, unbias) {
      const mem = heap.f32;
      runningMean >>>= 2, runningVar >>>= 2, mean >>>= 2, variance >>>= 2;
      const keep = 1 - momentum;
      for (let c = 0; c < C; c++) {
        mem[runningMean + c] = momentum * mem[mean + c]! + keep * mem[runningMean + c]!;
        mem[runningVar + c] = momentum * (mem[variance + c]! * unbias) + keep * mem[runningVar + c]!;
      }
    },
    f32_bn_scale_shift(scale, shift, invstd, mean, variance, gamma, beta, C, eps) {
      const mem = heap.f32;
      scale >>>= 2, shift >>>= 2, invstd >>>= 2, mean >>>= 2, variance >>>= 2, gamma >>>= 2, beta >>>= 2;
      for (let c = 0; c < C; c++) {
        const is = 1 / Math.sqrt(mem[variance + c]! + eps);
        const s = mem[gamma + c]! * is;
        mem[invstd + c] = is;
        mem[scale + c] = s;
        mem[shift + c] = mem[beta + c]! - mem[mean + c]! * s;
      }
    },
    f32_channel_affine(y, x, scale, shift, n, C, L) {
      const mem = heap.f32;
      y >>>= 2, x >>>= 2, scale >>>= 2, shift >>>= 2;
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < C; c++) {
          const s = mem[scale + c]!, t = mem[shift + c]!;
          for (let i = (r * C + c) * L, end = i + L; i < end; i++) mem[y + i] = f(mem[x + i]! * s) + t;
        }
      }
    },
    f32_bn_backward_reduce(dgamma, dbeta, gmean, k, dy, x, mean, invstd, n, C, L, training) {
      dgamma >>>= 2, dbeta >>>= 2, gmean >>>= 2, k >>>= 2, dy >>>= 2, x >>>= 2, mean >>>= 2, invstd >>>= 2;
      for (let c = 0; c < C; c++) {
        const m = heap.f32[mean + c]!;
        const sdy = channelSum(dy, dy, n, C, L, c, m, SUM);
        const dot = channelSum(x, dy, n, C, L, c, m, DOTDEV);
        storeGrads(dgamma, dbeta, gmean, k, invstd, c, sdy, dot, n * L, training);
      }
    },
    f32_bn_backward_input(dx, dy, x, mean, gmean, k, scale, n, C, L) {
      const mem = heap.f32;
      dx >>>= 2, dy >>>= 2, x >>>= 2, mean >>>= 2, gmean >>>= 2, k >>>= 2, scale >>>= 2;
      for (let r = 0; r < n; r++) {
        for (let c = 0; c < C; c++) {
          const m = mem[mean + c]!, g = mem[gmean + c]!, kc = mem[k + c]!, s = mem[scale + c]!;
          for (let i = (r * C + c) * L, end = i + L; i < end; i++) {
            const dev = f(f(mem[x + i]! - m) * kc);
            mem[dx + i] = f(f(mem[dy + i]! - g) - dev) * s;
          }
        }
      }
    },
  } satisfies SpatialKernels;
}
