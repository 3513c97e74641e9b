// GRU (torch.nn.GRU), gate order r, z, n (the rows of W_ih and W_hh, three blocks of H):
//
//   r = σ(W_ir x + b_ir + W_hr h + b_hr)    z = σ(W_iz x + b_iz + W_hz h + b_hz)
//   n = tanh(W_in x + b_in + r ⊙ (W_hn h + b_hn))
//   h' = (1 − z) ⊙ n + z ⊙ h                (computed as (h − n) ⊙ z + n, as ATen does)
//
// r multiplies the recurrent term of n with its bias, so the recurrent projection h W_hhᵀ + b_hh is kept apart
// from the input projection, per step. The element-wise step and its gradient are f32_gru_cell(_backward)
// (assembly/nn/recurrent.ts); the rest, options and layout, is in recurrent.ts.
import type { Engine } from "../engine/engine.js";
import type { F32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import { Recurrent, type RecurrentOptions } from "./recurrent.js";

export type GRUOptions = RecurrentOptions;

export class GRU extends Recurrent {
  readonly kind = "GRU";
  protected readonly gates = 3;
  /** Per stacked layer: x W_ihᵀ + b_ih, then r, z, n, [T, n, 3H]; and h W_hhᵀ + b_hh, [T, n, 3H]. */
  private pre: F32Slice[] = [];
  private recurrent: F32Slice[] = [];
  private dx!: F32Slice;
  private dh!: F32Slice;

  constructor(inputSize: number, hiddenSize: number, options: GRUOptions = {}) {
    super(inputSize, hiddenSize, options);
  }

  protected kindName(): string {
    return "GRU";
  }

  protected allocateCell(engine: Engine, maxBatch: number): void {
    const size = this.steps * maxBatch * 3 * this.hiddenSize;
    const what = `${this.where()}: gates`;
    for (let l = 0; l < this.numLayers; l++) this.pre.push(engine.allocF32(size, what)), this.recurrent.push(engine.allocF32(size, what));
    this.dx = engine.allocF32(size, what);
    this.dh = engine.allocF32(size, what);
  }

  protected forwardLayer(k: Kernels, l: number, x: number, inF: number, n: number): void {
    const { wih, whh, bih, bhh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, G = 3 * H;
    const pre = this.pre[l]!.ptr, gh = this.recurrent[l]!.ptr, hs = this.stacks[l]!.hs.ptr;
    k.f32_gemm_nt(pre, x, wih.dataSlice.ptr, T * n, G, inF, 0, this.pack);
    if (bih) k.f32_add_bias_rows(pre, bih.dataSlice.ptr, T * n, G);
    const step = 4 * n * H, gateStep = 4 * n * G;
    for (let t = 0; t < T; t++) {
      k.f32_gemm_nt(gh + t * gateStep, hs + t * step, whh.dataSlice.ptr, n, G, H, 0, this.pack);
      if (bhh) k.f32_add_bias_rows(gh + t * gateStep, bhh.dataSlice.ptr, n, G);
      k.f32_gru_cell(pre + t * gateStep, gh + t * gateStep, hs + t * step, hs + (t + 1) * step, n, H);
    }
  }

  protected backwardLayer(k: Kernels, l: number, dH: F32Slice, n: number): void {
    const { whh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, G = 3 * H;
    const pre = this.pre[l]!.ptr, gh = this.recurrent[l]!.ptr, hs = this.stacks[l]!.hs.ptr;
    const step = 4 * n * H, gateStep = 4 * n * G;
    for (let t = T - 1; t >= 0; t--) {
      const carry = this.cut(t) ? 0 : 1;
      const dx = this.dx.ptr + t * gateStep, dh = this.dh.ptr + t * gateStep;
      k.f32_gru_cell_backward(dx, dh, dH.ptr + t * step, dH.ptr + (t + 1) * step, pre + t * gateStep, gh + t * gateStep, hs + t * step, n, H, carry);
      if (carry) k.f32_gemm_nn(dH.ptr + t * step, dh, whh.dataSlice.ptr, n, H, G, 1, this.pack);
    }
  }

  protected get dxGates(): number {
    return this.dx.ptr;
  }

  protected get dhGates(): number {
    return this.dh.ptr;
  }
}
