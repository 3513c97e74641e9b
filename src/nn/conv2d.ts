// Conv2d (torch.nn.Conv2d with groups = 1, dilation = 1), NCHW, weight [out, in, kh, kw]:
//
//   y[n, o, oh, ow] = b[o] + Σ_{c,i,j} W[o, c, i, j] · x[n, c, oh·sh − ph + i, ow·sw − pw + j]   (x = 0 outside)
//
// computed per image as one matrix product on the unfolded input: col = im2col(x[n]) [C·kh·kw, OH·OW],
// y[n] = W · col (+ b). Backward: ∂W += dy[n] · colᵀ, ∂b += Σ dy, dx[n] = col2im(Wᵀ · dy[n]).
// Initialization as PyTorch: W and b ~ U(−1/√fanIn, 1/√fanIn), fanIn = C·kh·kw (kaiming_uniform_ with a = √5).
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import type { F32Slice } from "../engine/views.js";
import type { Geometry } from "../kernels/reference/spatial.js";
import { gemmPack } from "../engine/gemm-pack.js";
import { defaultBiasInit, defaultWeightInit } from "./init.js";
import { Layer, type LayerBuffers, type ParamSpec, type Shape } from "./layer.js";
import { checkImageInput, pair, type Pair, type Window, windowOutput } from "./window.js";

export interface Conv2dOptions {
  /** Step of the window, one number or [height, width] (default 1). */
  stride?: Pair;
  /** Zero padding on each side, one number or [height, width] (default 0). */
  padding?: Pair;
  /** Learn an additive bias per output channel (default true). */
  bias?: boolean;
}

export class Conv2d extends Layer {
  readonly kind = "Conv2d";
  readonly window: Window;
  readonly bias: boolean;
  /** Rows of the unfolded input: inChannels·kh·kw. */
  private readonly patch: number;
  /** 1×1 kernel, stride 1, no padding: the image is its own im2col. */
  private readonly pointwise: boolean;
  private col: F32Slice | null = null;
  private pack = 0;
  /** The kernels' geometry arguments: C, H, W, kh, kw, sh, sw, ph, pw, OH, OW (set by configure). */
  private geometry: Geometry = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  /** Floats per input image and output pixels per channel. */
  private inSize = 0;
  private pixels = 0;

  constructor(
    readonly inChannels: number,
    readonly outChannels: number,
    kernelSize: Pair,
    options: Conv2dOptions = {},
  ) {
    super();
    checkOptions("Conv2d", options, ["stride", "padding", "bias"]);
    for (const [option, value] of [["inChannels", inChannels], ["outChannels", outChannels]] as const) {
      if (!Number.isInteger(value) || value < 1) throw new RangeError(`Conv2d: ${option} must be a positive integer, got ${value}`);
    }
    this.window = {
      kernel: pair(kernelSize, "kernelSize", "Conv2d", 1),
      stride: pair(options.stride ?? 1, "stride", "Conv2d", 1),
      padding: pair(options.padding ?? 0, "padding", "Conv2d", 0),
    };
    this.bias = options.bias ?? true;
    const { kernel, stride, padding } = this.window;
    this.patch = inChannels * kernel[0] * kernel[1];
    this.pointwise = kernel[0] === 1 && kernel[1] === 1 && stride[0] === 1 && stride[1] === 1 && padding[0] === 0 && padding[1] === 0;
  }

  configure(inputShape: Shape): Shape {
    checkImageInput(this.where(), inputShape, this.inChannels);
    const outputShape = windowOutput(this.where(), inputShape, this.window, this.outChannels);
    const [c, h, w] = inputShape as [number, number, number];
    const [, oh, ow] = outputShape as [number, number, number];
    const { kernel, stride, padding } = this.window;
    this.geometry = [c, h, w, kernel[0], kernel[1], stride[0], stride[1], padding[0], padding[1], oh, ow];
    this.inSize = c * h * w;
    this.pixels = oh * ow;
    this.inputShape = inputShape;
    this.outputShape = outputShape;
    return outputShape;
  }

  paramSpecs(): ParamSpec[] {
    const [kh, kw] = this.window.kernel;
    const shape = [this.outChannels, this.inChannels, kh, kw];
    const specs: ParamSpec[] = [{ name: "weight", shape, init: (v, rng) => defaultWeightInit(v, shape, rng) }];
    if (this.bias) specs.push({ name: "bias", shape: [this.outChannels], init: (v, rng) => defaultBiasInit(v, this.patch, rng) });
    return specs;
  }

  allocate(engine: Engine, maxBatch: number, buffers: LayerBuffers): void {
    super.allocate(engine, maxBatch, buffers);
    this.col = this.pointwise ? null : engine.allocF32(this.patch * this.pixels);
    this.pack = gemmPack(engine).ptr;
  }

  forward(batch: number): void {
    const k = this.engine.kernels;
    const { input, output } = this.buffers;
    const { pixels, inSize } = this;
    const weight = this.params[0]!.dataSlice.ptr;
    if (this.bias) k.f32_channel_fill(output.ptr, this.params[1]!.dataSlice.ptr, batch, this.outChannels, pixels);
    for (let n = 0; n < batch; n++) {
      const col = this.unfold(input.ptr + 4 * n * inSize);
      k.f32_gemm_nn(output.ptr + 4 * n * this.outChannels * pixels, weight, col, this.outChannels, pixels, this.patch, this.bias ? 1 : 0, this.pack);
    }
  }

  backward(batch: number): void {
    const k = this.engine.kernels;
    const { dInput, dOutput } = this.buffers;
    const { pixels, inSize } = this;
    const weight = this.params[0]!;
    if (this.bias) k.f32_channel_sum_add(this.params[1]!.gradSlice.ptr, dOutput.ptr, batch, this.outChannels, pixels);
    for (let n = 0; n < batch; n++) {
      const dy = dOutput.ptr + 4 * n * this.outChannels * pixels;
      const col = this.unfold(this.buffers.input.ptr + 4 * n * inSize);
      k.f32_gemm_nt(weight.gradSlice.ptr, dy, col, this.outChannels, this.patch, pixels, 1, this.pack);
      if (!dInput) continue;
      const dx = dInput.ptr + 4 * n * inSize;
      // dcol = Wᵀ · dy, written straight into dx for a pointwise kernel, else into col (no longer needed) and folded.
      k.f32_gemm_tn(this.col ? this.col.ptr : dx, weight.dataSlice.ptr, dy, this.patch, pixels, this.outChannels, 0, this.pack);
      if (this.col) k.f32_col2im(dx, this.col.ptr, ...this.geometry);
    }
  }

  /** im2col of the image at byte offset x into the scratch buffer (or the image itself when pointwise). */
  private unfold(x: number): number {
    if (!this.col) return x;
    this.engine.kernels.f32_im2col(this.col.ptr, x, ...this.geometry);
    return this.col.ptr;
  }
}
