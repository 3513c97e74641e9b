// RNN (torch.nn.RNN), the Elman network:
//
//   h' = act(W_ih x + b_ih + W_hh h + b_hh),   act = tanh (default) or relu      dh̃ = dh' ⊙ act′, read from h'
//
// h_1 … h_T are written in place: the input projection of all steps goes into them, each step adds its recurrent
// product and applies act (f32_tanh / f32_relu); backward uses f32_tanh_backward / f32_relu_backward on h'. The
// rest, options and layout, is in recurrent.ts.
import type { Engine } from "../engine/engine.js";
import type { F32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import { Recurrent, type RecurrentOptions } from "./recurrent.js";

export interface RNNOptions extends RecurrentOptions {
  /** 'tanh' (default) or 'relu'. */
  nonlinearity?: "tanh" | "relu";
}

export class RNN extends Recurrent {
  readonly kind = "RNN";
  readonly nonlinearity: "tanh" | "relu";
  protected readonly gates = 1;
  private dA!: F32Slice;

  constructor(inputSize: number, hiddenSize: number, options: RNNOptions = {}) {
    super(inputSize, hiddenSize, options, ["nonlinearity"]);
    const act = options.nonlinearity ?? "tanh";
    if (act !== "tanh" && act !== "relu") throw new RangeError(`RNN: nonlinearity must be 'tanh' or 'relu', got '${String(act)}'`);
    this.nonlinearity = act;
  }

  protected kindName(): string {
    return "RNN";
  }

  protected allocateCell(engine: Engine, maxBatch: number): void {
    this.dA = engine.allocF32(this.steps * maxBatch * this.hiddenSize, `${this.where()}: pre-activation gradients`);
  }

  protected forwardLayer(k: Kernels, l: number, x: number, inF: number, n: number): void {
    const { wih, whh, bih, bhh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, hs = this.stacks[l]!.hs.ptr, step = 4 * n * H;
    k.f32_gemm_nt(hs + step, x, wih.dataSlice.ptr, T * n, H, inF, 0, this.pack);
    if (bih && bhh) {
      k.f32_add_bias_rows(hs + step, bih.dataSlice.ptr, T * n, H);
      k.f32_add_bias_rows(hs + step, bhh.dataSlice.ptr, T * n, H);
    }
    const relu = this.nonlinearity === "relu";
    for (let t = 0; t < T; t++) {
      const h = hs + (t + 1) * step;
      k.f32_gemm_nt(h, hs + t * step, whh.dataSlice.ptr, n, H, H, 1, this.pack);
      if (relu) k.f32_relu(h, h, n * H);
      else k.f32_tanh(h, h, n * H);
    }
  }

  protected backwardLayer(k: Kernels, l: number, dH: F32Slice, n: number): void {
    const { whh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, hs = this.stacks[l]!.hs.ptr, step = 4 * n * H;
    const relu = this.nonlinearity === "relu";
    for (let t = T - 1; t >= 0; t--) {
      const dA = this.dA.ptr + t * step, dh = dH.ptr + (t + 1) * step, h = hs + (t + 1) * step;
      if (relu) k.f32_relu_backward(dA, dh, h, n * H);
      else k.f32_tanh_backward(dA, dh, h, n * H);
      if (!this.cut(t)) k.f32_gemm_nn(dH.ptr + t * step, dA, whh.dataSlice.ptr, n, H, H, 1, this.pack);
    }
  }

  protected get dxGates(): number {
    return this.dA.ptr;
  }

  protected get dhGates(): number {
    return this.dA.ptr;
  }
}
