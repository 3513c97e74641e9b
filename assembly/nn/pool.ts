// 2-D max and average pooling (torch.nn.MaxPool2d / AvgPool2d, ceil_mode = False) over planes [P, H, W]
// (P = N·C), window KH×KW, stride SH×SW, padding PH×PW (PyTorch requires P ≤ K/2, so every window holds a pixel):
//
//   max:  y[p, oh, ow] = max over the window of x (padding never wins; NaN wins, as in PyTorch),
//         idx[p, oh, ow] = h·W + w of that maximum;   dx[p, idx] += dy
//   avg:  y[p, oh, ow] = Σ_window x / d,   d = the window's size clipped to the padded image (count_include_pad)
//         or to the image;                 dx[p, window] += dy / d
//
// Windows are scalar loops: they are short and strided, and pooling moves a fraction of the data a
// convolution does.
import { at } from "../simd";

/** Max pooling with the argmax of each window saved in idx (int32). */
export function f32_maxpool2d(
  y: usize, idx: usize, x: usize, P: i32, H: i32, W: i32, KH: i32, KW: i32, SH: i32, SW: i32, PH: i32, PW: i32, OH: i32, OW: i32,
): void {
  for (let p = 0; p < P; p++) {
    const plane = x + at(p * H * W);
    const out = p * OH * OW;
    for (let oh = 0; oh < OH; oh++) {
      const h0 = max(oh * SH - PH, 0);
      const h1 = min(oh * SH - PH + KH, H);
      for (let ow = 0; ow < OW; ow++) {
        const w0 = max(ow * SW - PW, 0);
        const w1 = min(ow * SW - PW + KW, W);
        let best: f32 = -Infinity;
        let where = h0 * W + w0;
        for (let h = h0; h < h1; h++) {
          for (let w = w0; w < w1; w++) {
            const v = load<f32>(plane + at(h * W + w));
            if (v > best || isNaN(v)) {
              best = v;
              where = h * W + w;
            }
          }
        }
        store<f32>(y + at(out + oh * OW + ow), best);
        store<i32>(idx + at(out + oh * OW + ow), where);
      }
    }
  }
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

// The divisor of window (oh, ow) and its clipped bounds, as PyTorch's avg_pool2d computes them.
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
  for (let p = 0; p < P; p++) {
    const plane = x + at(p * H * W);
    const out = y + at(p * OH * OW);
    for (let oh = 0; oh < OH; oh++) {
      const h0 = oh * SH - PH;
      const h1 = h0 + KH;
      for (let ow = 0; ow < OW; ow++) {
        const w0 = ow * SW - PW;
        const w1 = w0 + KW;
        let s: f32 = 0;
        for (let h = max(h0, 0), he = min(h1, H); h < he; h++) {
          for (let w = max(w0, 0), we = min(w1, W); w < we; w++) s += load<f32>(plane + at(h * W + w));
        }
        store<f32>(out + at(oh * OW + ow), s / divisor(h0, h1, w0, w1, H, W, PH, PW, countIncludePad));
      }
    }
  }
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
