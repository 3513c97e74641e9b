// Plain TypeScript twins of assembly/optim/lowbit.ts (same arithmetic, float32 rounding after each operation):
// Adam, AdamW and SGD with momentum on bf16 and int8 (blockwise dynamic quantization) state. See the kernels'
// file for the quantization rules; the maps and their tables are in memory, laid out by src/optim/qmap.ts.
import type { Heap } from "../heap.js";
import { WASM_CONSTANTS, type KernelsFrom } from "../kernels.js";
import { flush, MIN_NORMAL } from "./flush.js";

const f = Math.fround;
const { Q8_BLOCK, QMAP_CODE, QMAP_MID, QMAP_BUCKETS, QMAP_BUCKET_LOW, QMAP_BUCKET_COUNT, QMAP_BYTES } = WASM_CONSTANTS;

/** The kernels of assembly/optim/lowbit.ts, typed from the generated ABI. */
export type LowbitKernels = KernelsFrom<"optim/lowbit">;

const word = new Uint32Array(1);
const float = new Float32Array(word.buffer);

/** The float32 bits of x. */
function bitsOf(x: number): number {
  float[0] = x;
  return word[0]!;
}

/** x rounded to bf16 (nearest, ties to even; NaN stays a quiet NaN), as its 16 bits. */
export function bf16Round(x: number): number {
  const bits = bitsOf(x);
  if (Number.isNaN(x)) return (bits >>> 16) | 0x40;
  return ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16) & 0xffff;
}

/** The float32 value of bf16 bits. */
export function bf16Value(bits: number): number {
  word[0] = bits << 16;
  return float[0]!;
}

/** s / absmax (float32), or 0 in a block of zeros. */
const scaled = (s: number, top: number) => (top > 0 ? f(s / top) : 0);

export function lowbitReference(heap: Heap) {
  /** Index of the map entry nearest to a ∈ [0, 1] (ties to even), by the bucket table at byte offset `map`. */
  function nearest(map: number, a: number): number {
    const b = Math.min(Math.max((bitsOf(a) >>> 15) - QMAP_BUCKET_LOW, 0), QMAP_BUCKET_COUNT - 1);
    let k = heap.u8[map + QMAP_BUCKETS + b]!;
    const mid = heap.f32[(map + QMAP_MID + 4 * k) >>> 2]!;
    if (a > mid || (a === mid && k & 1)) k++;
    return k;
  }
  /** The code of s on the signed map, in a block of absmax `top`. */
  function signedCode(map: number, s: number, top: number): number {
    const x = scaled(s, top);
    let k = nearest(map, Math.abs(x));
    if (x < 0) k = Math.max(0, 254 - k);
    if (k === 127 && bitsOf(s) >>> 31) k = 126;
    return k;
  }
  /** Element i of an int8 state: map[code] · absmax. */
  const q8 = (map: number, codes: number, i: number, absmax: number) => f(heap.f32[(map + QMAP_CODE + 4 * heap.u8[codes + i]!) >>> 2]! * absmax);
  const bf16 = (s: number, i: number) => bf16Value(heap.u16[(s >>> 1) + i]!);

  /** One Adam or AdamW element: [θ decayed, g, m, v] from θ, g and the dequantized m, v (flushed, ./flush.ts). */
  function adamElement(decoupled: boolean, p: number, g: number, i: number, mOld: number, vOld: number, s: AdamScalars): [number, number, number, number] {
    const h = heap.f32;
    const pi = decoupled ? f(h[(p >>> 2) + i]! * f(s.decay)) : h[(p >>> 2) + i]!;
    let gi = f(f(s.gradSign) * h[(g >>> 2) + i]!);
    if (!decoupled) gi = f(f(f(s.weightDecay) * pi) + gi);
    const mi = flush(f(f(f(s.beta1) * mOld) + f(f(s.omb1) * gi)), s.tiny); //   m = β1 m + (1 − β1) g
    const vi = flush(f(f(f(f(s.omb2) * gi) * gi) + f(f(s.beta2) * vOld)), s.tiny); // v = β2 v + (1 − β2) g²
    return [pi, gi, mi, vi];
  }
  /** θ − stepSize · m / (√v · (1/√bc2) + ε). */
  const adamStep = (pi: number, mi: number, vi: number, s: AdamScalars) =>
    f(f(f(-s.stepSize) * f(mi / f(f(f(Math.sqrt(vi)) * f(s.invBc2Sqrt)) + f(s.eps)))) + pi);

  function bf16Adam(decoupled: boolean, p: number, g: number, m: number, v: number, n: number, s: AdamScalars): void {
    for (let i = 0; i < n; i++) {
      const [pi, , mi, vi] = adamElement(decoupled, p, g, i, bf16(m, i), bf16(v, i), s);
      heap.u16[(m >>> 1) + i] = bf16Round(mi);
      heap.u16[(v >>> 1) + i] = bf16Round(vi);
      heap.f32[(p >>> 2) + i] = adamStep(pi, mi, vi, s);
    }
  }

  function q8Adam(decoupled: boolean, p: number, g: number, m: number, v: number, absmax: number, n: number, qmap: number, s: AdamScalars): void {
    const umap = qmap + QMAP_BYTES, blocks = Math.ceil(n / Q8_BLOCK), h = heap.f32;
    for (let start = 0; start < n; start += Q8_BLOCK) {
      const end = Math.min(start + Q8_BLOCK, n), am = (absmax >>> 2) + start / Q8_BLOCK, av = am + blocks;
      const oldM = h[am]!, oldV = h[av]!;
      let topM = 0, topV = 0;
      for (let i = start; i < end; i++) {
        const [, , mi, vi] = adamElement(decoupled, p, g, i, q8(qmap, m, i, oldM), q8(umap, v, i, oldV), s);
        topM = Math.max(topM, Math.abs(mi));
        topV = Math.max(topV, vi);
      }
      for (let i = start; i < end; i++) {
        const [pi, , mi, vi] = adamElement(decoupled, p, g, i, q8(qmap, m, i, oldM), q8(umap, v, i, oldV), s);
        heap.u8[m + i] = signedCode(qmap, mi, topM);
        heap.u8[v + i] = nearest(umap, scaled(vi, topV));
        h[(p >>> 2) + i] = adamStep(pi, mi, vi, s);
      }
      h[am] = topM;
      h[av] = topV;
    }
  }

  /** One SGD-with-momentum element: [θ, g, b]. */
  function sgdElement(p: number, g: number, i: number, bOld: number, s: SgdScalars, first: number): [number, number, number] {
    const h = heap.f32;
    const pi = h[(p >>> 2) + i]!;
    const gi = f(f(f(s.weightDecay) * pi) + f(f(s.gradSign) * h[(g >>> 2) + i]!));
    const bi = flush(first ? gi : f(f(f(s.oneMinusDampening) * gi) + f(f(s.momentum) * bOld)), MIN_NORMAL);
    return [pi, gi, bi];
  }
  const sgdStep = (pi: number, gi: number, bi: number, s: SgdScalars, nesterov: number) =>
    f(f(f(-s.lr) * (nesterov ? f(f(f(s.momentum) * bi) + gi) : bi)) + pi);

  return {
    bf16_adam(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, stepSize, invBc2Sqrt, gradSign) {
      bf16Adam(false, p, g, m, v, n, adamScalars(beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign));
    },
    bf16_adamw(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, decay, stepSize, invBc2Sqrt, gradSign) {
      bf16Adam(true, p, g, m, v, n, adamScalars(beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign));
    },
    q8_adam(p, g, m, v, absmax, n, qmap, beta1, beta2, omb1, omb2, eps, weightDecay, stepSize, invBc2Sqrt, gradSign) {
      q8Adam(false, p, g, m, v, absmax, n, qmap, adamScalars(beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign));
    },
    q8_adamw(p, g, m, v, absmax, n, qmap, beta1, beta2, omb1, omb2, eps, decay, stepSize, invBc2Sqrt, gradSign) {
      q8Adam(true, p, g, m, v, absmax, n, qmap, adamScalars(beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign));
    },
    bf16_sgd_momentum(p, g, b, n, lr, weightDecay, momentum, oneMinusDampening, nesterov, first, gradSign) {
      const s = { lr, weightDecay, momentum, oneMinusDampening, gradSign };
      for (let i = 0; i < n; i++) {
        const [pi, gi, bi] = sgdElement(p, g, i, bf16(b, i), s, first);
        heap.u16[(b >>> 1) + i] = bf16Round(bi);
        heap.f32[(p >>> 2) + i] = sgdStep(pi, gi, bi, s, nesterov);
      }
    },
    q8_sgd_momentum(p, g, b, absmax, n, qmap, lr, weightDecay, momentum, oneMinusDampening, nesterov, first, gradSign) {
      const s = { lr, weightDecay, momentum, oneMinusDampening, gradSign }, h = heap.f32;
      for (let start = 0; start < n; start += Q8_BLOCK) {
        const end = Math.min(start + Q8_BLOCK, n), a = (absmax >>> 2) + start / Q8_BLOCK, old = h[a]!;
        let top = 0;
        for (let i = start; i < end; i++) top = Math.max(top, Math.abs(sgdElement(p, g, i, q8(qmap, b, i, old), s, first)[2]));
        for (let i = start; i < end; i++) {
          const [pi, gi, bi] = sgdElement(p, g, i, q8(qmap, b, i, old), s, first);
          heap.u8[b + i] = signedCode(qmap, bi, top);
          h[(p >>> 2) + i] = sgdStep(pi, gi, bi, s, nesterov);
        }
        h[a] = top;
      }
    },
  } satisfies LowbitKernels;
}

interface AdamScalars {
  beta1: number; beta2: number; omb1: number; omb2: number; eps: number; weightDecay: number; decay: number;
  stepSize: number; invBc2Sqrt: number; gradSign: number;
  /** MIN_NORMAL when ε > 0 (flush the moments), else 0. */
  tiny: number;
}

function adamScalars(beta1: number, beta2: number, omb1: number, omb2: number, eps: number, weightDecay: number, decay: number,
  stepSize: number, invBc2Sqrt: number, gradSign: number): AdamScalars {
  return { beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, invBc2Sqrt, gradSign, tiny: f(eps) > 0 ? MIN_NORMAL : 0 };
}

interface SgdScalars {
  lr: number; weightDecay: number; momentum: number; oneMinusDampening: number; gradSign: number;
}
