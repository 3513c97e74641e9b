// Sliding-window geometry shared by Conv2d and the pooling layers (dilation 1, ceil_mode = False):
//
//   out = ⌊(in + 2·padding − kernel) / stride⌋ + 1      per spatial dimension
import { formatShape } from "./format.js";
import type { Shape } from "./layer.js";

/** A size for both spatial dimensions, or per dimension as [height, width], as PyTorch accepts. */
export type Pair = number | readonly [number, number];

/** [height, width] of a Pair option, each an integer ≥ min; a RangeError naming the layer, option and value otherwise. */
export function pair(value: Pair, option: string, layer: string, min: number): [number, number] {
  const hw: readonly unknown[] = typeof value === "number" ? [value, value] : Array.isArray(value) ? value : [];
  if (hw.length !== 2 || !hw.every((v) => typeof v === "number" && Number.isInteger(v) && v >= min)) {
    throw new RangeError(`${layer}: ${option} must be an integer ≥ ${min} or a pair of them, got ${JSON.stringify(value)}`);
  }
  return [hw[0] as number, hw[1] as number];
}

/** The window of a layer: kernel, stride and padding per dimension. */
export interface Window {
  kernel: [number, number];
  stride: [number, number];
  padding: [number, number];
}

/** Output height and width of the window sliding over an input of height h and width w (≤ 0 when it does not fit). */
export function slide(window: Window, h: number, w: number): [number, number] {
  const out = (size: number, d: 0 | 1) => Math.floor((size + 2 * window.padding[d] - window.kernel[d]) / window.stride[d]) + 1;
  return [out(h, 0), out(w, 1)];
}

/** Checks that a per-sample input is [C, H, W] (with C = channels when given); the error names both shapes. */
export function checkImageInput(where: string, inputShape: Shape, channels?: number): void {
  const rank3 = inputShape.length === 3 && inputShape.every((d) => Number.isInteger(d) && d > 0);
  if (!rank3 || (channels !== undefined && inputShape[0] !== channels)) {
    const expected = `[${channels ?? "C"}, H, W]`;
    throw new Error(`${where}: expected input shape ${expected}, got ${formatShape(inputShape)}`);
  }
}

/** The output [C, OH, OW], or an error naming the layer and both shapes when the window does not fit the input. */
export function windowOutput(where: string, inputShape: Shape, window: Window, outChannels: number): Shape {
  const [oh, ow] = slide(window, inputShape[1]!, inputShape[2]!);
  if (oh < 1 || ow < 1) {
    const { kernel: k, padding: p } = window;
    throw new Error(
      `${where}: input ${formatShape(inputShape)} is smaller than the kernel ${k[0]}×${k[1]} (padding ${p[0]}×${p[1]}): ` +
        `output shape would be ${formatShape([outChannels, oh, ow])}`,
    );
  }
  return [outChannels, oh, ow];
}
