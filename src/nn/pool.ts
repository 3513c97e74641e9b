// MaxPool2d and AvgPool2d (torch.nn, ceil_mode = False), per channel of [C, H, W]:
//
//   max:  y[c, oh, ow] = max_{i,j} x[c, oh·sh − ph + i, ow·sw − pw + j]   (padding never wins; the argmax is
//         saved, and backward routes dy to it)
//   avg:  y[c, oh, ow] = Σ_{i,j} x[c, oh·sh − ph + i, ow·sw − pw + j] / d, d = kh·kw clipped to the padded image
//         (countIncludePad, PyTorch's default) or to the pixels inside the image
//
// The stride defaults to the kernel size; the padding must be at most half the kernel, as PyTorch requires.
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import type { I32Slice } from "../engine/views.js";
import type { Geometry } from "../kernels/reference/spatial.js";
import { Layer, type LayerBuffers, type Shape } from "./layer.js";
import { checkImageInput, pair, type Pair, type Window, windowOutput } from "./window.js";

abstract class Pool2d extends Layer {
  readonly window: Window;
  /** The kernels' geometry arguments: planes (batch·C, set per call), H, W, kh, kw, sh, sw, ph, pw, OH, OW. */
  protected geometry: Geometry = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];

  constructor(kind: string, kernelSize: Pair, stride: Pair | null, padding: Pair) {
    super();
    const kernel = pair(kernelSize, "kernelSize", kind, 1);
    const pad = pair(padding, "padding", kind, 0);
    if (pad[0] > kernel[0] / 2 || pad[1] > kernel[1] / 2) {
      throw new RangeError(`${kind}: padding must be at most half the kernel size, got padding ${JSON.stringify(padding)} for kernelSize ${JSON.stringify(kernelSize)}`);
    }
    this.window = { kernel, stride: stride === null ? kernel : pair(stride, "stride", kind, 1), padding: pad };
  }

  configure(inputShape: Shape): Shape {
    checkImageInput(this.where(), inputShape);
    const outputShape = windowOutput(this.where(), inputShape, this.window, inputShape[0]!);
    const { kernel, stride, padding } = this.window;
    this.geometry = [0, inputShape[1]!, inputShape[2]!, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], outputShape[1]!, outputShape[2]!];
    this.inputShape = inputShape;
    this.outputShape = outputShape;
    return outputShape;
  }

  /** The geometry for a batch: batch·C planes. */
  protected planes(batch: number): Geometry {
    this.geometry[0] = batch * this.inputShape[0]!;
    return this.geometry;
  }
}

export class MaxPool2d extends Pool2d {
  readonly kind = "MaxPool2d";
  private indices!: I32Slice;

  /** `new MaxPool2d(2)`: 2×2 windows, stride 2. The stride defaults to the kernel size. */
  constructor(kernelSize: Pair, stride: Pair | null = null, padding: Pair = 0) {
    super("MaxPool2d", kernelSize, stride, padding);
  }

  allocate(engine: Engine, maxBatch: number, buffers: LayerBuffers): void {
    super.allocate(engine, maxBatch, buffers);
    this.indices = engine.allocI32(maxBatch * this.outputShape[0]! * this.outputShape[1]! * this.outputShape[2]!);
  }

  forward(batch: number): void {
    this.engine.kernels.f32_maxpool2d(this.buffers.output.ptr, this.indices.ptr, this.buffers.input.ptr, ...this.planes(batch));
  }

  backward(batch: number): void {
    const { dInput, dOutput } = this.buffers;
    if (!dInput) return;
    const planeSize = this.inputShape[1]! * this.inputShape[2]!;
    const outPlaneSize = this.outputShape[1]! * this.outputShape[2]!;
    this.engine.kernels.f32_maxpool2d_backward(dInput.ptr, dOutput.ptr, this.indices.ptr, batch * this.inputShape[0]!, planeSize, outPlaneSize);
  }
}

export interface AvgPool2dOptions {
  /** Count the zero padding in the divisor of border windows (default true, as PyTorch). */
  countIncludePad?: boolean;
}

export class AvgPool2d extends Pool2d {
  readonly kind = "AvgPool2d";
  readonly countIncludePad: boolean;

  /** `new AvgPool2d(2)`: 2×2 windows, stride 2. The stride defaults to the kernel size. */
  constructor(kernelSize: Pair, stride: Pair | null = null, padding: Pair = 0, options: AvgPool2dOptions = {}) {
    super("AvgPool2d", kernelSize, stride, padding);
    checkOptions("AvgPool2d", options, ["countIncludePad"]);
    this.countIncludePad = options.countIncludePad ?? true;
  }

  forward(batch: number): void {
    this.engine.kernels.f32_avgpool2d(this.buffers.output.ptr, this.buffers.input.ptr, this.countIncludePad ? 1 : 0, ...this.planes(batch));
  }

  backward(batch: number): void {
    const { dInput, dOutput } = this.buffers;
    if (!dInput) return;
    this.engine.kernels.f32_avgpool2d_backward(dInput.ptr, dOutput.ptr, this.countIncludePad ? 1 : 0, ...this.planes(batch));
  }
}
