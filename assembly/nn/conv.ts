// 2-D convolution by im2col + GEMM (torch.nn.Conv2d, groups = 1, dilation = 1), one image [C, H, W] at a time:
//
//   col[(c·KH + i)·KW + j, oh·OW + ow] = x[c, oh·SH − PH + i, ow·SW − PW + j]   (0 outside the image)
//   y[n]  = W · col + b            W: [C_out, C·KH·KW]          (f32_gemm_nn after f32_channel_fill)
//   ∂W   += dy[n] · colᵀ,  ∂b += Σ dy                           (f32_gemm_nt, f32_channel_sum_add)
//   dx[n] = col2im(Wᵀ · dy[n])                                  (f32_gemm_tn, then f32_col2im)
//
// col2im adds every column entry back onto the pixel it was copied from; the additions reach each pixel in the
// same order in every build, so the builds agree bit for bit.
import { at, simdEnd } from "../simd";
import { channelSum, pairSum, SUM } from "./channel";

// The output columns ow whose input column ow·SW − PW + j lies inside [0, W): [owStart(..), owEnd(..)).
// @ts-ignore: decorator
@inline function owStart(PW: i32, j: i32, SW: i32): i32 {
  const before = PW - j;
  return before > 0 ? (before + SW - 1) / SW : 0;
}
// @ts-ignore: decorator
@inline function owEnd(W: i32, PW: i32, j: i32, SW: i32, OW: i32): i32 {
  const last = W - 1 + PW - j;
  return last < 0 ? 0 : min(OW, last / SW + 1);
}

/** col [C·KH·KW, OH·OW] ← the patches of one image x [C, H, W] (stride SH×SW, zero padding PH×PW). */
export function f32_im2col(
  col: usize, x: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++) {
        const row = col + at(((c * KH + i) * KW + j) * OH * OW);
        const lo = owStart(PW, j, SW);
        const hi = max(lo, owEnd(W, PW, j, SW, OW));
        for (let oh = 0; oh < OH; oh++) {
          const dst = row + at(oh * OW);
          const ih = oh * SH - PH + i;
          if (ih < 0 || ih >= H) {
            zeroRun(dst, OW);
            continue;
          }
          const src = x + at((c * H + ih) * W + j - PW);
          zeroRun(dst, lo);
          if (SW == 1) copyRun(dst + at(lo), src + at(lo), hi - lo);
          else for (let ow = lo; ow < hi; ow++) store<f32>(dst + at(ow), load<f32>(src + at(ow * SW)));
          zeroRun(dst + at(hi), OW - hi);
        }
      }
    }
  }
}

// Rows of a patch are short (OW floats): plain loops, as memory.copy and memory.fill cost a call each.
// dst[0..n) = 0
// @ts-ignore: decorator
@inline function zeroRun(dst: usize, n: i32): void {
  for (let k = 0; k < n; k++) store<f32>(dst + at(k), 0);
}

// dst[0..n) = src[0..n)
// @ts-ignore: decorator
@inline function copyRun(dst: usize, src: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let k = 0; k < end; k += 4) v128.store(dst + at(k), v128.load(src + at(k)));
  }
  for (let k = end; k < n; k++) store<f32>(dst + at(k), load<f32>(src + at(k)));
}

/** dx [C, H, W] ← the sum, onto each pixel, of the col [C·KH·KW, OH·OW] entries im2col copied from it (dx overwritten). */
export function f32_col2im(
  dx: usize, col: usize, C: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  memory.fill(dx, 0, at(C * H * W));
  for (let c = 0; c < C; c++) {
    for (let i = 0; i < KH; i++) {
      for (let j = 0; j < KW; j++) {
        const row = col + at(((c * KH + i) * KW + j) * OH * OW);
        const lo = owStart(PW, j, SW);
        const hi = max(lo, owEnd(W, PW, j, SW, OW));
        for (let oh = 0; oh < OH; oh++) {
          const ih = oh * SH - PH + i;
          if (ih < 0 || ih >= H) continue;
          const src = row + at(oh * OW);
          const dst = dx + at((c * H + ih) * W + j - PW);
          if (SW == 1) addRun(dst + at(lo), src + at(lo), hi - lo);
          else for (let ow = lo; ow < hi; ow++) store<f32>(dst + at(ow * SW), load<f32>(dst + at(ow * SW)) + load<f32>(src + at(ow)));
        }
      }
    }
  }
}

// dst[0..n) += src[0..n)
// @ts-ignore: decorator
@inline function addRun(dst: usize, src: usize, n: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let k = 0; k < end; k += 4) v128.store(dst + at(k), f32x4.add(v128.load(dst + at(k)), v128.load(src + at(k))));
  }
  for (let k = end; k < n; k++) store<f32>(dst + at(k), load<f32>(dst + at(k)) + load<f32>(src + at(k)));
}

/** y[r, c, l] = v[c] over y [n, C, L] (the bias, before the GEMM accumulates onto it). */
export function f32_channel_fill(y: usize, v: usize, n: i32, C: i32, L: i32): void {
  const end = simdEnd(L);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < C; c++) {
      const row = y + at((r * C + c) * L);
      const value = load<f32>(v + at(c));
      if (ASC_FEATURE_SIMD) {
        const vv = f32x4.splat(value);
        for (let l = 0; l < end; l += 4) v128.store(row + at(l), vv);
      }
      for (let l = end; l < L; l++) store<f32>(row + at(l), value);
    }
  }
}

/** out[c] += Σ_{r,l} x[r, c, l] over x [n, C, L] (float64 sum in the order of channel.ts). The bias gradient. */
export function f32_channel_sum_add(out: usize, x: usize, n: i32, C: i32, L: i32): void {
  let c = 0;
  if (ASC_FEATURE_SIMD) {
    if (L == 1) {
      const zero = f64x2.splat(0);
      for (; c + 2 <= C; c += 2) {
        const s = pairSum(x, x, n, C, c, zero, SUM);
        store<f32>(out + at(c), load<f32>(out + at(c)) + <f32>f64x2.extract_lane(s, 0));
        store<f32>(out + at(c + 1), load<f32>(out + at(c + 1)) + <f32>f64x2.extract_lane(s, 1));
      }
    }
  }
  for (; c < C; c++) store<f32>(out + at(c), load<f32>(out + at(c)) + <f32>channelSum(x, x, n, C, L, c, 0, SUM));
}
