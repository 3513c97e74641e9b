// 2-D max and average pooling (torch.nn.MaxPool2d / AvgPool2d, ceil_mode = False) over planes [P, H, W]
// (P = N·C), window KH×KW, stride SH×SW, padding PH×PW (PyTorch requires P ≤ K/2, so every window holds a pixel):
//
//   max:  y[p, oh, ow] = max over the window of x (padding never wins; NaN wins, as in PyTorch),
//         idx[p, oh, ow] = h·W + w of that maximum;   dx[p, idx] += dy
//   avg:  y[p, oh, ow] = Σ_window x / d,   d = the window's size clipped to the padded image (count_include_pad)
//         or to the image;                 dx[p, window] += dy / d
//
// Each window is scanned row by row, left to right. The SIMD build runs four neighbouring windows of a row at
// once (one per lane, same scan order, so the same bits) where they lie inside the image horizontally; the
// windows at the left and right borders, and all of them in the scalar build, run one at a time.
import { at } from "../simd";

// Output columns [start, end) whose windows lie inside the image horizontally, with `extra` more readable floats
// after the last pixel of the last window (the stride-2 gather loads two vectors).
// @ts-ignore: decorator
@inline function insideStart(SW: i32, PW: i32): i32 {
  return (PW + SW - 1) / SW;
}
// @ts-ignore: decorator
@inline function insideEnd(W: i32, KW: i32, SW: i32, PW: i32, OW: i32, extra: i32): i32 {
  const room = W - KW + PW - extra;
  return room < 0 ? 0 : min(OW, room / SW + 1);
}

// Lanes l = 0..3 hold the pixels p + l·SW·4 bytes.
// @ts-ignore: decorator
@inline function gather4(p: usize, SW: i32): v128 {
  if (SW == 1) return v128.load(p);
  if (SW == 2) return v128.shuffle<f32>(v128.load(p), v128.load(p, 16), 0, 2, 4, 6);
  let v = f32x4.splat(load<f32>(p));
  v = f32x4.replace_lane(v, 1, load<f32>(p + at(SW)));
  v = f32x4.replace_lane(v, 2, load<f32>(p + at(2 * SW)));
  return f32x4.replace_lane(v, 3, load<f32>(p + at(3 * SW)));
}

/** Max pooling with the argmax of each window saved in idx (int32). */
export function f32_maxpool2d(
  y: usize, idx: usize, x: usize, P: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const start = min(insideStart(SW, PW), OW);
  const end = insideEnd(W, KW, SW, PW, OW, SW == 2 ? 1 : 0);
  for (let p = 0; p < P; p++) {
    const plane = x + at(p * H * W);
    const out = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = max(oh * SH - PH, 0);
      const h1 = min(oh * SH - PH + KH, H);
      const row = out + oh * OW;
      let ow = 0;
      for (; ow < start; ow++) maxWindow(y, idx, plane, row, ow, h0, h1, W, KW, SW, PW);
      if (ASC_FEATURE_SIMD) {
        const lanes = i32x4.mul(i32x4(0, 1, 2, 3), i32x4.splat(SW));
        for (; ow + 4 <= end; ow += 4) {
          const w0 = ow * SW - PW;
          let best = f32x4.splat(-Infinity);
          let where = i32x4.add(i32x4.splat(h0 * W + w0), lanes);
          for (let h = h0; h < h1; h++) {
            for (let j = 0; j < KW; j++) {
              const v = gather4(plane + at(h * W + w0 + j), SW);
              const wins = v128.or(f32x4.gt(v, best), f32x4.ne(v, v));
              best = v128.bitselect(v, best, wins);
              where = v128.bitselect(i32x4.add(i32x4.splat(h * W + w0 + j), lanes), where, wins);
            }
          }
          v128.store(y + at(row + ow), best);
          v128.store(idx + at(row + ow), where);
        }
      }
      for (; ow < OW; ow++) maxWindow(y, idx, plane, row, ow, h0, h1, W, KW, SW, PW);
    }
  }
}

// @ts-ignore: decorator
@inline function maxWindow(y: usize, idx: usize, plane: usize, row: i32, ow: i32, h0: i32, h1: i32, W: i32, KW: i32, SW: i32, PW: i32): void {
  const w0 = max(ow * SW - PW, 0);
  const w1 = min(ow * SW - PW + KW, W);
  let best: f32 = -Infinity;
  let where = h0 * W + w0;
  for (let h = h0; h < h1; h++) {
    for (let w = w0; w < w1; w++) {
      // Branch-free: on random data the comparison is a coin flip, which a branch mispredicts half the time.
      const v = load<f32>(plane + at(h * W + w));
      const wins = v > best || v != v;
      best = select<f32>(v, best, wins);
      where = select<i32>(h * W + w, where, wins);
    }
  }
  store<f32>(y + at(row + ow), best);
  store<i32>(idx + at(row + ow), where);
}

/** dx (overwritten) [P, H·W] ← dy [P, OH·OW] routed to the saved argmax positions. */
export function f32_maxpool2d_backward(dx: usize, dy: usize, idx: usize, P: i32, HW: i32, OHW: i32): void {
  memory.fill(dx, 0, at(P * HW));
  for (let p = 0; p < P; p++) {
    const plane = dx + at(p * HW);
    for (let o = p * OHW, end = o + OHW; o < end; o++) {
      const target = plane + at(load<i32>(idx + at(o)));
      store<f32>(target, load<f32>(target) + load<f32>(dy + at(o)));
    }
  }
}

// The divisor of the window with unclipped bounds [h0, h1) × [w0, w1), as PyTorch's avg_pool2d computes it.
// @ts-ignore: decorator
@inline function divisor(h0: i32, h1: i32, w0: i32, w1: i32, H: i32, W: i32, PH: i32, PW: i32, countIncludePad: i32): f32 {
  if (countIncludePad) return <f32>((min(h1, H + PH) - h0) * (min(w1, W + PW) - w0));
  return <f32>((min(h1, H) - max(h0, 0)) * (min(w1, W) - max(w0, 0)));
}

/** Average pooling; countIncludePad (0/1) counts the padding in the divisor, as PyTorch's default does. */
export function f32_avgpool2d(
  y: usize, x: usize, countIncludePad: i32,
  P: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  const start = min(insideStart(SW, PW), OW);
  const end = insideEnd(W, KW, SW, PW, OW, SW == 2 ? 1 : 0);
  for (let p = 0; p < P; p++) {
    const plane = x + at(p * H * W);
    const out = y + at(p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * SH - PH;
      const h1 = h0 + KH;
      const row = out + at(oh * OW);
      let ow = 0;
      for (; ow < start; ow++) avgWindow(row, plane, ow, h0, h1, H, W, KW, SW, PH, PW, countIncludePad);
      if (ASC_FEATURE_SIMD) {
        // Inside horizontally, every window of the row has the same divisor.
        const d = f32x4.splat(divisor(h0, h1, 0, KW, H, W, PH, PW, countIncludePad));
        for (; ow + 4 <= end; ow += 4) {
          const w0 = ow * SW - PW;
          let s = f32x4.splat(0);
          for (let h = max(h0, 0), he = min(h1, H); h < he; h++) {
            for (let j = 0; j < KW; j++) s = f32x4.add(s, gather4(plane + at(h * W + w0 + j), SW));
          }
          v128.store(row + at(ow), f32x4.div(s, d));
        }
      }
      for (; ow < OW; ow++) avgWindow(row, plane, ow, h0, h1, H, W, KW, SW, PH, PW, countIncludePad);
    }
  }
}

// @ts-ignore: decorator
@inline function avgWindow(
  row: usize, plane: usize, ow: i32, h0: i32, h1: i32, H: i32, W: i32, KW: i32, SW: i32, PH: i32, PW: i32, countIncludePad: i32,
): void {
  const w0 = ow * SW - PW;
  const w1 = w0 + KW;
  let s: f32 = 0;
  for (let h = max(h0, 0), he = min(h1, H); h < he; h++) {
    for (let w = max(w0, 0), we = min(w1, W); w < we; w++) s += load<f32>(plane + at(h * W + w));
  }
  store<f32>(row + at(ow), s / divisor(h0, h1, w0, w1, H, W, PH, PW, countIncludePad));
}

/** dx (overwritten) ← each dy / d spread over its window. */
export function f32_avgpool2d_backward(
  dx: usize, dy: usize, countIncludePad: i32,
  P: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  memory.fill(dx, 0, at(P * H * W));
  for (let p = 0; p < P; p++) {
    const plane = dx + at(p * H * W);
    const grad = dy + at(p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * SH - PH;
      const h1 = h0 + KH;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * SW - PW;
        const w1 = w0 + KW;
        const g = load<f32>(grad + at(oh * OW + ow)) / divisor(h0, h1, w0, w1, H, W, PH, PW, countIncludePad);
        for (let h = max(h0, 0), he = min(h1, H); h < he; h++) {
          for (let w = max(w0, 0), we = min(w1, W); w < we; w++) {
            const target = plane + at(h * W + w);
            store<f32>(target, load<f32>(target) + g);
          }
        }
      }
    }
  }
}
