// LSTM (torch.nn.LSTM), gate order i, f, g, o (the rows of W_ih and W_hh, four blocks of H):
//
//   i = σ(W_ii x + b_ii + W_hi h + b_hi)    f = σ(W_if x + b_if + W_hf h + b_hf)
//   g = tanh(W_ig x + b_ig + W_hg h + b_hg) o = σ(W_io x + b_io + W_ho h + b_ho)
//   c' = f ⊙ c + i ⊙ g                      h' = o ⊙ tanh(c')
//
// The element-wise step and its gradient are f32_lstm_cell(_backward) (assembly/nn/recurrent.ts); the rest,
// options and layout, is in recurrent.ts.
import type { Engine } from "../engine/engine.js";
import type { F32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import { Recurrent, type RecurrentOptions } from "./recurrent.js";

export type LSTMOptions = RecurrentOptions;

export class LSTM extends Recurrent {
  readonly kind = "LSTM";
  protected readonly gates = 4;
  protected override readonly hasCell = true;
  /** Per stacked layer: the gates [T, n, 4H] (pre-activations, then i, f, g, o), c_0 … c_T, tanh c_1 … c_T. */
  private pre: F32Slice[] = [];
  private cells: F32Slice[] = [];
  private tanhCells: F32Slice[] = [];
  private dGates!: F32Slice;
  private dc!: F32Slice;

  constructor(inputSize: number, hiddenSize: number, options: LSTMOptions = {}) {
    super(inputSize, hiddenSize, options);
  }

  protected kindName(): string {
    return "LSTM";
  }

  protected allocateCell(engine: Engine, maxBatch: number): void {
    const T = this.steps, H = this.hiddenSize, rows = T * maxBatch;
    const what = `${this.where()}: gates and cells`;
    for (let l = 0; l < this.numLayers; l++) {
      this.pre.push(engine.allocF32(rows * 4 * H, what));
      this.cells.push(engine.allocF32((T + 1) * maxBatch * H, what));
      this.tanhCells.push(engine.allocF32(rows * H, what));
    }
    this.dGates = engine.allocF32(rows * 4 * H, what);
    this.dc = engine.allocF32(maxBatch * H, what);
  }

  protected override cellState(l: number): number {
    return this.cells[l]!.ptr;
  }

  protected forwardLayer(k: Kernels, l: number, x: number, inF: number, n: number): void {
    const { wih, whh, bih, bhh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, G = 4 * H, rows = T * n;
    const pre = this.pre[l]!.ptr, hs = this.stacks[l]!.hs.ptr, cs = this.cells[l]!.ptr, tc = this.tanhCells[l]!.ptr;
    k.f32_gemm_nt(pre, x, wih.dataSlice.ptr, rows, G, inF, 0, this.pack);
    if (bih && bhh) {
      k.f32_add_bias_rows(pre, bih.dataSlice.ptr, rows, G);
      k.f32_add_bias_rows(pre, bhh.dataSlice.ptr, rows, G);
    }
    const step = 4 * n * H;
    for (let t = 0; t < T; t++) {
      const gates = pre + 4 * t * n * G;
      k.f32_gemm_nt(gates, hs + t * step, whh.dataSlice.ptr, n, G, H, 1, this.pack);
      k.f32_lstm_cell(gates, cs + t * step, cs + (t + 1) * step, tc + t * step, hs + (t + 1) * step, n, H);
    }
  }

  protected backwardLayer(k: Kernels, l: number, dH: F32Slice, n: number): void {
    const { whh } = this.stacks[l]!;
    const T = this.steps, H = this.hiddenSize, G = 4 * H;
    const pre = this.pre[l]!.ptr, cs = this.cells[l]!.ptr, tc = this.tanhCells[l]!.ptr, dG = this.dGates.ptr;
    const step = 4 * n * H;
    this.dc.array.fill(0, 0, n * H);
    for (let t = T - 1; t >= 0; t--) {
      const dGt = dG + 4 * t * n * G;
      k.f32_lstm_cell_backward(dGt, dH.ptr + (t + 1) * step, this.dc.ptr, pre + 4 * t * n * G, cs + t * step, tc + t * step, n, H);
      if (this.cut(t)) this.dc.array.fill(0, 0, n * H);
      else k.f32_gemm_nn(dH.ptr + t * step, dGt, whh.dataSlice.ptr, n, H, G, 1, this.pack);
    }
    k.f32_copy(this.dc0!.ptr + 4 * l * this.maxBatch * H, this.dc.ptr, n * H);
  }

  protected get dxGates(): number {
    return this.dGates.ptr;
  }

  protected get dhGates(): number {
    return this.dGates.ptr;
  }
}
