// Batch gathering: copy the rows of a dataset that an index list names into a contiguous batch, converting
// to float32 on the way:
//
//   dst[r, c] = src[idx[r], c] · scale + offset        (r < rows, c < cols)
//
// Raw images stay bytes in memory (4× smaller than float32) and are scaled here, e.g. by 1/255. The index list
// is the loader's shuffled order, so a batch is gathered in one pass and nothing is allocated.
import { madd } from "../simd";

/** Rows of uint8 samples → float32 batch, x · scale + offset. 16 bytes per SIMD step, then 4, then one. */
export function f32_gather_rows_u8(
  dst: usize, src: usize, idx: usize, rows: i32, cols: i32, scale: f32, offset: f32,
): void {
  for (let r = 0; r < rows; r++) {
    const s = src + <usize>load<i32>(idx + (<usize>r << 2)) * <usize>cols;
    const d = dst + (<usize>r * <usize>cols << 2);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const vScale = f32x4.splat(scale);
      const vOffset = f32x4.splat(offset);
      for (; c + 16 <= cols; c += 16) {
        const bytes = v128.load(s + <usize>c);
        const lo = i16x8.extend_low_i8x16_u(bytes);
        const hi = i16x8.extend_high_i8x16_u(bytes);
        const o = d + (<usize>c << 2);
        v128.store(o, scaleU16x4(i32x4.extend_low_i16x8_u(lo), vScale, vOffset));
        v128.store(o + 16, scaleU16x4(i32x4.extend_high_i16x8_u(lo), vScale, vOffset));
        v128.store(o + 32, scaleU16x4(i32x4.extend_low_i16x8_u(hi), vScale, vOffset));
        v128.store(o + 48, scaleU16x4(i32x4.extend_high_i16x8_u(hi), vScale, vOffset));
      }
      for (; c + 4 <= cols; c += 4) {
        const bytes = v128.load32_zero(s + <usize>c);
        const words = i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(bytes));
        v128.store(d + (<usize>c << 2), scaleU16x4(words, vScale, vOffset));
      }
    }
    for (; c < cols; c++) {
      store<f32>(d + (<usize>c << 2), <f32>load<u8>(s + <usize>c) * scale + offset);
    }
  }
}

/** Four small non-negative integers → float32, times scale plus offset. Called only inside ASC_FEATURE_SIMD. */
// @ts-ignore: decorator
@inline function scaleU16x4(words: v128, vScale: v128, vOffset: v128): v128 {
  return madd(f32x4.convert_i32x4_s(words), vScale, vOffset);
}

/** Rows of float32 samples → float32 batch, x · scale + offset (scale 1, offset 0 copies, turning −0 into +0). */
export function f32_gather_rows_f32(
  dst: usize, src: usize, idx: usize, rows: i32, cols: i32, scale: f32, offset: f32,
): void {
  for (let r = 0; r < rows; r++) {
    const s = src + (<usize>load<i32>(idx + (<usize>r << 2)) * <usize>cols << 2);
    const d = dst + (<usize>r * <usize>cols << 2);
    let c = 0;
    if (ASC_FEATURE_SIMD) {
      const vScale = f32x4.splat(scale);
      const vOffset = f32x4.splat(offset);
      for (; c + 4 <= cols; c += 4) {
        const o = <usize>c << 2;
        v128.store(d + o, madd(v128.load(s + o), vScale, vOffset));
      }
    }
    for (; c < cols; c++) {
      const o = <usize>c << 2;
      store<f32>(d + o, load<f32>(s + o) * scale + offset);
    }
  }
}

/** dst[r] = src[idx[r]] for int32 values (class labels). */
export function i32_gather(dst: usize, src: usize, idx: usize, n: i32): void {
  for (let r = 0; r < n; r++) {
    const o = <usize>r << 2;
    store<i32>(dst + o, load<i32>(src + (<usize>load<i32>(idx + o) << 2)));
  }
}

/** dst[r, :] = src[idx[r], :] for rows of `cols` int32 values (the labels of a sequence). */
export function i32_gather_rows(dst: usize, src: usize, idx: usize, rows: i32, cols: i32): void {
  const row = <usize>cols << 2;
  for (let r = 0; r < rows; r++) {
    memory.copy(dst + <usize>r * row, src + <usize>load<i32>(idx + (<usize>r << 2)) * row, row);
  }
}
