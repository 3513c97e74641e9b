// Linear (torch.nn.Linear), weight W [out, in] as PyTorch lays it out, on the last dimension of the input:
//
//   forward:   Y = X · Wᵀ + b                 X [rows × in], Y [rows × out], rows = batch × (leading dimensions)
//   backward:  ∂W += dYᵀ · X,   ∂b += Σ_rows dY,   dX = dY · W
//
// Every product runs on the GEMM kernels in place (gemm_nt, gemm_tn, gemm_nn): no transpose is materialized.
// Initialization as PyTorch: W and b ~ U(−1/√in, 1/√in).
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import { checkPositiveIntegers, formatShape } from "./format.js";
import { gemmPack } from "../engine/gemm-pack.js";
import { defaultBiasInit, defaultWeightInit } from "./init.js";
import { Layer, type LayerBuffers, type ParamSpec, type Shape } from "./layer.js";

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
}

export class Linear extends Layer {
  readonly kind = "Linear";
  readonly bias: boolean;
  /** Rows of the matrix product per sample: the product of the input's leading dimensions (1 for [in]). */
  private rowsPerSample = 1;
  private pack = 0;

  constructor(
    readonly inFeatures: number,
    readonly outFeatures: number,
    options: LinearOptions = {},
  ) {
    super();
    checkOptions("Linear", options, ["bias"]);
    checkPositiveIntegers("Linear", { inFeatures, outFeatures });
    this.bias = options.bias ?? true;
  }

  configure(inputShape: Shape): Shape {
    if (inputShape.length === 0 || inputShape[inputShape.length - 1] !== this.inFeatures) {
      throw new Error(`${this.where()}: expected input shape [${this.inFeatures}] (features last), got ${formatShape(inputShape)}`);
    }
    this.rowsPerSample = inputShape.slice(0, -1).reduce((a, b) => a * b, 1);
    return [...inputShape.slice(0, -1), this.outFeatures];
  }

  paramSpecs(): ParamSpec[] {
    const specs: ParamSpec[] = [{ name: "weight", shape: [this.outFeatures, this.inFeatures], init: (v, rng) => defaultWeightInit(v, [this.outFeatures, this.inFeatures], rng) }];
    if (this.bias) specs.push({ name: "bias", shape: [this.outFeatures], init: (v, rng) => defaultBiasInit(v, this.inFeatures, rng) });
    return specs;
  }

  allocate(engine: Engine, maxBatch: number, buffers: LayerBuffers): void {
    super.allocate(engine, maxBatch, buffers);
    this.pack = gemmPack(engine).ptr;
  }

  forward(batch: number): void {
    const k = this.engine.kernels;
    const { input, output } = this.buffers;
    const rows = batch * this.rowsPerSample;
    k.f32_gemm_nt(output.ptr, input.ptr, this.params[0]!.dataSlice.ptr, rows, this.outFeatures, this.inFeatures, 0, this.pack);
    if (this.bias) k.f32_add_bias_rows(output.ptr, this.params[1]!.dataSlice.ptr, rows, this.outFeatures);
  }

  backward(batch: number): void {
    const k = this.engine.kernels;
    const { input, dInput, dOutput } = this.buffers;
    const rows = batch * this.rowsPerSample;
    const weight = this.params[0]!;
    k.f32_gemm_tn(weight.gradSlice.ptr, dOutput.ptr, input.ptr, this.outFeatures, this.inFeatures, rows, 1, this.pack);
    if (this.bias) k.f32_sum_rows(this.params[1]!.gradSlice.ptr, dOutput.ptr, rows, this.outFeatures, 1);
    if (dInput) k.f32_gemm_nn(dInput.ptr, dOutput.ptr, weight.dataSlice.ptr, rows, this.inFeatures, this.outFeatures, 0, this.pack);
  }
}
