// The recurrent layers' common part (torch.nn.RNN, LSTM, GRU): options, PyTorch's parameters, the memory
// planned at compile, the stack of layers, and the layout at the layer's edges.
//
//   layout     inside, every sequence is time-major: step t of the batch is rows [t·n, (t+1)·n) (n = batch).
//              The layer's input and output are [n, T, ·] (batchFirst, the default: wasm-optim's batches are sample
//              after sample) and transposed at the edges by one kernel each, or [T, n, ·] (batchFirst: false,
//              PyTorch's default layout) used as they are. Hidden states are [numLayers, n, H] either way.
//   forward    per stacked layer l: the input projection of all T steps in ONE GEMM, X[T·n × in] · W_ihᵀ (+ biases),
//              then per step t one GEMM h_{t−1} · W_hhᵀ and the cell's element-wise kernel. h_0 … h_T of every
//              layer are kept ([T + 1, n, H], h_0 first), with the gates (and LSTM's cells), for backward.
//   backward   through time, per step the cell's backward kernel and one GEMM dGates_t · W_hh into dh_{t−1};
//              then, for all steps at once, ∂W_ih += dGatesᵀ · X, ∂W_hh += dGatesᵀ · [h_0 … h_{T−1}], the bias
//              sums, and dX = dGates · W_ih (the gradient of the layer below).
//   tbptt k    truncated backpropagation through time: the sequence is cut into chunks of k steps from its start,
//              and no gradient flows from one chunk into the one before (h and c detached every k steps, as a
//              PyTorch loop over chunks does): a gradient flows back at most k steps.
//   stateful   each forward starts from `initialState` (zeros, or what the caller wrote there); with stateful,
//              the final state of each forward becomes the next one's initial state (row b of the batch carries
//              to row b, detached: no gradient crosses batches). resetState() sets it back to zeros.
//   returnSequences   true (default): the output is the top layer's h_1 … h_T, [T, H] per sample (sequence to
//              sequence, PyTorch's `output`); false: only h_T, [H] per sample (sequence to one).
// Parameters as PyTorch names them, per stacked layer l: weight_ih_l{l} [G·H, in], weight_hh_l{l} [G·H, H],
// bias_ih_l{l}, bias_hh_l{l} [G·H], G = 1 (RNN), 3 (GRU), 4 (LSTM); all initialized U(−1/√H, 1/√H).
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import { checkPositiveIntegers, formatShape } from "./format.js";
import { gemmPack } from "../engine/gemm-pack.js";
import { uniform } from "./init.js";
import { Layer, type LayerBuffers, type ParamSpec, type Shape } from "./layer.js";

export interface RecurrentOptions {
  /** Stacked layers, each fed the sequence of the one below (default 1). */
  numLayers?: number;
  /** Learn the biases b_ih and b_hh (default true). */
  bias?: boolean;
  /** Input and output are [batch, T, ·] (default true); false: [T, batch, ·] (PyTorch's default). */
  batchFirst?: boolean;
  /** Output every step's h, [T, H] (default true), or only the last, [H] (a sequence-to-one head). */
  returnSequences?: boolean;
  /** Truncated backpropagation through time: gradients flow back at most this many steps (default: all). */
  tbptt?: number;
  /** Carry the final hidden state of each forward into the next (default false). */
  stateful?: boolean;
}

export const RECURRENT_OPTIONS = ["numLayers", "bias", "batchFirst", "returnSequences", "tbptt", "stateful"] as const;

/** A hidden state (or its gradient): h, and c for an LSTM, each [numLayers, batch, H] (compiled batch size). */
export interface RecurrentState {
  h: F32Slice;
  c: F32Slice | null;
}

/** Buffers and parameters of one stacked layer. */
interface Stack {
  /** h_0 … h_T, [T + 1, n, H]. */
  hs: F32Slice;
  wih: Parameter;
  whh: Parameter;
  bih: Parameter | null;
  bhh: Parameter | null;
}

export abstract class Recurrent extends Layer {
  readonly numLayers: number;
  readonly bias: boolean;
  readonly batchFirst: boolean;
  readonly returnSequences: boolean;
  /** Steps a gradient may flow back (Infinity: full backpropagation through time). */
  readonly tbptt: number;
  readonly stateful: boolean;
  /** Gates per unit: 1 (RNN), 3 (GRU), 4 (LSTM). */
  protected abstract readonly gates: number;
  /** Whether the cell has a state c besides h (LSTM). */
  protected readonly hasCell: boolean = false;
  /** Sequence length T, from the input shape. */
  protected steps = 0;
  protected pack = 0;
  protected maxBatch = 0;
  protected stacks: Stack[] = [];
  /** The time-major input (batchFirst) and the time-major input gradient (batchFirst, with dInput). */
  private xT: F32Slice | null = null;
  private dxT: F32Slice | null = null;
  /** Gradients w.r.t. h_0 … h_T of the layer being back-propagated and of the one below. */
  protected dH: [F32Slice, F32Slice] | null = null;
  private h0!: F32Slice;
  private hN!: F32Slice;
  private dh0!: F32Slice;
  protected c0: F32Slice | null = null;
  protected cN: F32Slice | null = null;
  protected dc0: F32Slice | null = null;

  constructor(
    readonly inputSize: number,
    readonly hiddenSize: number,
    options: RecurrentOptions,
    extra: readonly string[] = [],
  ) {
    super();
    checkOptions(this.kindName(), options, [...RECURRENT_OPTIONS, ...extra]);
    checkPositiveIntegers(this.kindName(), { inputSize, hiddenSize, numLayers: options.numLayers ?? 1 });
    const tbptt = options.tbptt ?? Infinity;
    if (tbptt !== Infinity && !(Number.isInteger(tbptt) && tbptt >= 1)) {
      throw new RangeError(`${this.kindName()}: tbptt must be a positive integer (steps a gradient flows back), got ${tbptt}`);
    }
    for (const flag of ["bias", "batchFirst", "returnSequences", "stateful"] as const) {
      const v = options[flag];
      if (v !== undefined && typeof v !== "boolean") throw new TypeError(`${this.kindName()}: ${flag} must be true or false, got ${String(v)}`);
    }
    this.numLayers = options.numLayers ?? 1;
    this.bias = options.bias ?? true;
    this.batchFirst = options.batchFirst ?? true;
    this.returnSequences = options.returnSequences ?? true;
    this.tbptt = tbptt;
    this.stateful = options.stateful ?? false;
  }

  /** The name in constructor errors, before `kind` is set by the subclass's field initializer. */
  protected abstract kindName(): string;

  configure(inputShape: Shape): Shape {
    if (inputShape.length !== 2 || inputShape[1] !== this.inputSize) {
      throw new Error(`${this.where()}: expected input shape [T, ${this.inputSize}] (steps, features), got ${formatShape(inputShape)}`);
    }
    this.steps = inputShape[0]!;
    return this.returnSequences ? [this.steps, this.hiddenSize] : [this.hiddenSize];
  }

  paramSpecs(): ParamSpec[] {
    const G = this.gates * this.hiddenSize, H = this.hiddenSize;
    const bound = 1 / Math.sqrt(H);
    const init = (v: Float32Array, rng: Parameters<ParamSpec["init"]>[1]) => uniform(v, bound, rng);
    const specs: ParamSpec[] = [];
    for (let l = 0; l < this.numLayers; l++) {
      specs.push({ name: `weight_ih_l${l}`, shape: [G, l === 0 ? this.inputSize : H], init });
      specs.push({ name: `weight_hh_l${l}`, shape: [G, H], init });
      if (this.bias) {
        specs.push({ name: `bias_ih_l${l}`, shape: [G], init });
        specs.push({ name: `bias_hh_l${l}`, shape: [G], init });
      }
    }
    return specs;
  }

  allocate(engine: Engine, maxBatch: number, buffers: LayerBuffers): void {
    super.allocate(engine, maxBatch, buffers);
    this.pack = gemmPack(engine).ptr;
    this.maxBatch = maxBatch;
    const T = this.steps, H = this.hiddenSize, rows = T * maxBatch;
    const what = (s: string) => `${this.where()}: ${s}`;
    if (this.batchFirst) {
      this.xT = engine.allocF32(rows * this.inputSize, what("time-major input"));
      if (buffers.dInput) this.dxT = engine.allocF32(rows * this.inputSize, what("time-major input gradient"));
    }
    const per = this.bias ? 4 : 2, p = this.params;
    this.stacks = Array.from({ length: this.numLayers }, (_, l) => ({
      hs: engine.allocF32((T + 1) * maxBatch * H, what("hidden states")),
      wih: p[l * per]!, whh: p[l * per + 1]!, bih: this.bias ? p[l * per + 2]! : null, bhh: this.bias ? p[l * per + 3]! : null,
    }));
    this.dH = [engine.allocF32((T + 1) * maxBatch * H, what("hidden-state gradients")), engine.allocF32((T + 1) * maxBatch * H, what("hidden-state gradients"))];
    const state = () => engine.allocF32(this.numLayers * maxBatch * H, what("state"));
    this.h0 = state(), this.hN = state(), this.dh0 = state();
    if (this.hasCell) (this.c0 = state()), (this.cN = state()), (this.dc0 = state());
    this.allocateCell(engine, maxBatch);
  }

  /** The state every forward starts from, [numLayers, batchSize, H] (zeros unless written, or carried when stateful). */
  get initialState(): RecurrentState {
    return { h: this.h0, c: this.c0 };
  }

  /** The state after the last forward's final step. */
  get finalState(): RecurrentState {
    return { h: this.hN, c: this.cN };
  }

  /** The gradient w.r.t. the initial state, written by backward. */
  get initialStateGradient(): RecurrentState {
    return { h: this.dh0, c: this.dc0 };
  }

  /** Sets the initial state back to zeros (the start of a new sequence, for a stateful layer). */
  resetState(): void {
    this.h0.array.fill(0);
    this.c0?.array.fill(0);
  }

  forward(batch: number): void {
    const k = this.engine.kernels;
    const { input, output } = this.buffers;
    const n = batch, T = this.steps, H = this.hiddenSize, hn = n * H;
    const x0 = this.xT ? this.xT.ptr : input.ptr;
    if (this.xT) k.f32_swap_axes(this.xT.ptr, input.ptr, n, T, this.inputSize);
    for (let l = 0; l < this.numLayers; l++) {
      const hs = this.stacks[l]!.hs.ptr;
      const state = l * this.maxBatch * H * 4;
      k.f32_copy(hs, this.h0.ptr + state, hn);
      if (this.c0) k.f32_copy(this.cellState(l), this.c0.ptr + state, hn);
      this.forwardLayer(k, l, l === 0 ? x0 : this.stacks[l - 1]!.hs.ptr + 4 * hn, l === 0 ? this.inputSize : H, n);
      k.f32_copy(this.hN.ptr + state, hs + 4 * T * hn, hn);
      if (this.cN) k.f32_copy(this.cN.ptr + state, this.cellState(l) + 4 * T * hn, hn);
      if (this.stateful) {
        k.f32_copy(this.h0.ptr + state, this.hN.ptr + state, hn);
        if (this.c0) k.f32_copy(this.c0.ptr + state, this.cN!.ptr + state, hn);
      }
    }
    const top = this.stacks[this.numLayers - 1]!.hs.ptr;
    if (!this.returnSequences) k.f32_copy(output.ptr, top + 4 * T * hn, hn);
    else if (this.batchFirst) k.f32_swap_axes(output.ptr, top + 4 * hn, T, n, H);
    else k.f32_copy(output.ptr, top + 4 * hn, T * hn);
  }

  backward(batch: number): void {
    const k = this.engine.kernels;
    const { dInput, dOutput } = this.buffers;
    const n = batch, T = this.steps, H = this.hiddenSize, hn = n * H, rows = T * n, G = this.gates * H;
    let dH = this.dH![0], dBelow = this.dH![1];
    // dH[i] = ∂loss/∂h_i from the output: rows 1..T (or row T alone); row 0 (h_0) starts at zero.
    if (!this.returnSequences) {
      dH.array.fill(0, 0, T * hn);
      k.f32_copy(dH.ptr + 4 * T * hn, dOutput.ptr, hn);
    } else {
      dH.array.fill(0, 0, hn);
      if (this.batchFirst) k.f32_swap_axes(dH.ptr + 4 * hn, dOutput.ptr, n, T, H);
      else k.f32_copy(dH.ptr + 4 * hn, dOutput.ptr, T * hn);
    }
    for (let l = this.numLayers - 1; l >= 0; l--) {
      const { wih, whh, bih, bhh } = this.stacks[l]!;
      const inF = l === 0 ? this.inputSize : H;
      const x = l === 0 ? (this.xT ? this.xT.ptr : this.buffers.input.ptr) : this.stacks[l - 1]!.hs.ptr + 4 * hn;
      this.backwardLayer(k, l, dH, n);
      const dx = this.dxGates, dh = this.dhGates;
      // All steps at once: the weight and bias gradients, then the gradient of the layer's input.
      k.f32_gemm_tn(wih.gradSlice.ptr, dx, x, G, inF, rows, 1, this.pack);
      k.f32_gemm_tn(whh.gradSlice.ptr, dh, this.stacks[l]!.hs.ptr, G, H, rows, 1, this.pack);
      if (bih && bhh) {
        k.f32_sum_rows(bih.gradSlice.ptr, dx, rows, G, 1);
        k.f32_sum_rows(bhh.gradSlice.ptr, dh, rows, G, 1);
      }
      k.f32_copy(this.dh0.ptr + l * this.maxBatch * H * 4, dH.ptr, hn);
      if (l > 0) {
        dBelow.array.fill(0, 0, hn);
        k.f32_gemm_nn(dBelow.ptr + 4 * hn, dx, wih.dataSlice.ptr, rows, H, G, 0, this.pack);
        const above = dH;
        dH = dBelow;
        dBelow = above;
      } else if (dInput) {
        k.f32_gemm_nn(this.dxT ? this.dxT.ptr : dInput.ptr, dx, wih.dataSlice.ptr, rows, this.inputSize, G, 0, this.pack);
        if (this.dxT) k.f32_swap_axes(dInput.ptr, this.dxT.ptr, T, n, this.inputSize);
      }
    }
  }

  /** Whether no gradient flows from step t into step t − 1 (a chunk boundary of truncated BPTT). */
  protected cut(t: number): boolean {
    return t > 0 && t % this.tbptt === 0;
  }

  /** The pointer of stacked layer l's c_0 (LSTM). */
  protected cellState(_l: number): number {
    throw new Error(`${this.where()}: no cell state`);
  }

  /** Plans the cell's own buffers (gates, cells) for every stacked layer. */
  protected abstract allocateCell(engine: Engine, maxBatch: number): void;

  /** Runs stacked layer l over the T steps of x [T·n × inF] (time-major), writing h_1 … h_T after h_0. */
  protected abstract forwardLayer(k: Kernels, l: number, x: number, inF: number, n: number): void;

  /**
   * Back-propagates stacked layer l through time from dH (∂loss/∂h_1 … h_T, which it completes with the recurrent
   * terms, down to h_0), into the gradients w.r.t. the input projection (at dxGates) and the recurrent projection
   * (at dhGates), both [T·n × G·H]: the same buffer except for the GRU.
   */
  protected abstract backwardLayer(k: Kernels, l: number, dH: F32Slice, n: number): void;

  /** Where backwardLayer leaves the gradient w.r.t. the input projection, and w.r.t. the recurrent one. */
  protected abstract readonly dxGates: number;
  protected abstract readonly dhGates: number;
}
