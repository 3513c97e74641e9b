// BatchNorm1d and BatchNorm2d (torch.nn), per channel c of input [N, C], [N, C, L] or [N, C, H, W]:
//
//   y = (x − E[x]) / √(Var[x] + ε) · γ + β
//
//   training:  E[x], Var[x] are the batch mean and biased variance over N (and L or H·W), and
//              running_mean ← (1 − momentum) running_mean + momentum E[x]
//              running_var  ← (1 − momentum) running_var  + momentum Var[x] · M / (M − 1)   (unbiased; M values)
//              num_batches_tracked += 1;  momentum = null averages cumulatively: momentum = 1 / num_batches_tracked
//   eval:      E[x] = running_mean, Var[x] = running_var (the batch statistics if trackRunningStats is false)
//
// γ = 1, β = 0 initially (learned when affine); running_mean = 0, running_var = 1.
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import type { F32Slice } from "../engine/views.js";
import { Layer, type LayerBuffers, type ParamSpec, type Shape } from "./layer.js";
import { formatShape } from "./format.js";

export interface BatchNormOptions {
  /** Added to the variance (default 1e-5). */
  eps?: number;
  /** Weight of the new batch in the running statistics (default 0.1); null for a cumulative average. */
  momentum?: number | null;
  /** Learn γ (weight) and β (bias) (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true); without them eval mode uses the batch statistics. */
  trackRunningStats?: boolean;
}

/** Per-channel scratch of the forward and backward passes. */
interface Scratch {
  mean: F32Slice;
  variance: F32Slice;
  invstd: F32Slice;
  scale: F32Slice;
  shift: F32Slice;
  gmean: F32Slice;
  k: F32Slice;
  /** γ = 1, β = 0 and their discarded gradients when not affine. */
  ones: F32Slice;
  zeros: F32Slice;
  sink: F32Slice;
}

interface RunningStats {
  mean: F32Slice;
  variance: F32Slice;
  /** A float32 holding an integer: exact up to 2^24 batches. */
  batches: F32Slice;
}

abstract class BatchNorm extends Layer {
  readonly eps: number;
  /** Weight of a new batch in the running statistics; null averages cumulatively (updateBn sets it so for a while). */
  momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  private scratch!: Scratch;
  private running: RunningStats | null = null;
  /** Values per channel and sample (1, L or H·W), set by configure. */
  private perChannel = 0;
  /** Whether the last forward normalized with the batch statistics (backward differentiates through them). */
  private usedBatchStats = true;

  constructor(kind: string, readonly numFeatures: number, options: BatchNormOptions) {
    super();
    if (!Number.isInteger(numFeatures) || numFeatures < 1) throw new RangeError(`${kind}: numFeatures must be a positive integer, got ${numFeatures}`);
    checkOptions(kind, options, ["eps", "momentum", "affine", "trackRunningStats"]);
    const { eps = 1e-5, momentum = 0.1, affine = true, trackRunningStats = true } = options;
    if (!(eps > 0)) throw new RangeError(`${kind}: eps must be positive, got ${eps}`);
    if (momentum !== null && !(momentum >= 0 && momentum <= 1)) throw new RangeError(`${kind}: momentum must be in [0, 1] or null, got ${momentum}`);
    this.eps = eps;
    this.momentum = momentum;
    this.affine = affine;
    this.trackRunningStats = trackRunningStats;
  }

  /** The accepted per-sample shapes, as shown in errors. */
  protected abstract readonly expected: string;
  protected abstract accepts(inputShape: Shape): boolean;

  configure(inputShape: Shape): Shape {
    const valid = inputShape.every((d) => Number.isInteger(d) && d > 0);
    if (!valid || !this.accepts(inputShape) || inputShape[0] !== this.numFeatures) {
      throw new Error(`${this.where()}: expected input shape ${this.expected}, got ${formatShape(inputShape)}`);
    }
    this.perChannel = inputShape.slice(1).reduce((a, b) => a * b, 1);
    this.inputShape = inputShape;
    this.outputShape = inputShape;
    return inputShape;
  }

  paramSpecs(): ParamSpec[] {
    if (!this.affine) return [];
    const shape = [this.numFeatures];
    return [
      { name: "weight", shape, init: (v) => v.fill(1) },
      { name: "bias", shape, init: (v) => v.fill(0) },
    ];
  }

  /** running_mean, running_var and num_batches_tracked (after allocate; none without trackRunningStats). */
  stateBuffers(): Record<string, F32Slice> {
    if (!this.trackRunningStats) return {};
    if (!this.running) throw new Error(`${this.where()}: state buffers exist once the layer is allocated`);
    return { running_mean: this.running.mean, running_var: this.running.variance, num_batches_tracked: this.running.batches };
  }

  allocate(engine: Engine, maxBatch: number, buffers: LayerBuffers): void {
    super.allocate(engine, maxBatch, buffers);
    const c = this.numFeatures;
    const block = engine.allocF32(10 * c);
    const [mean, variance, invstd, scale, shift, gmean, k, ones, zeros, sink] = Array.from({ length: 10 }, (_, i) => block.slice(i * c, c)) as [
      F32Slice, F32Slice, F32Slice, F32Slice, F32Slice, F32Slice, F32Slice, F32Slice, F32Slice, F32Slice,
    ];
    ones.array.fill(1);
    this.scratch = { mean, variance, invstd, scale, shift, gmean, k, ones, zeros, sink };
    if (this.trackRunningStats) {
      const stats = engine.allocF32(2 * c + 1);
      this.running = { mean: stats.slice(0, c), variance: stats.slice(c, c), batches: stats.slice(2 * c, 1) };
      this.running.variance.array.fill(1);
    }
  }

  forward(batch: number, training: boolean): void {
    const k = this.engine.kernels;
    const s = this.scratch;
    const { input, output } = this.buffers;
    const c = this.numFeatures;
    const count = batch * this.perChannel;
    const running = this.running;
    this.usedBatchStats = training || !running;
    let mean = s.mean, variance = s.variance;
    if (this.usedBatchStats) {
      if (training && count < 2) {
        throw new Error(`${this.where()}: expected more than 1 value per channel when training, got input shape ${formatShape([batch, ...this.inputShape])}`);
      }
      k.f32_bn_stats(mean.ptr, variance.ptr, input.ptr, batch, c, this.perChannel);
      if (training && running) {
        const batches = running.batches.array;
        batches[0] = batches[0]! + 1;
        const momentum = this.momentum ?? 1 / batches[0]!;
        k.f32_bn_update_running(running.mean.ptr, running.variance.ptr, mean.ptr, variance.ptr, c, momentum, count / (count - 1));
      }
    } else {
      mean = running!.mean;
      variance = running!.variance;
    }
    const gamma = this.affine ? this.params[0]!.dataSlice.ptr : s.ones.ptr;
    const beta = this.affine ? this.params[1]!.dataSlice.ptr : s.zeros.ptr;
    k.f32_bn_scale_shift(s.scale.ptr, s.shift.ptr, s.invstd.ptr, mean.ptr, variance.ptr, gamma, beta, c, this.eps);
    k.f32_channel_affine(output.ptr, input.ptr, s.scale.ptr, s.shift.ptr, batch, c, this.perChannel);
  }

  backward(batch: number): void {
    const k = this.engine.kernels;
    const s = this.scratch;
    const { input, dInput, dOutput } = this.buffers;
    const c = this.numFeatures;
    const mean = this.usedBatchStats ? s.mean : this.running!.mean;
    const dgamma = this.affine ? this.params[0]!.gradSlice.ptr : s.sink.ptr;
    const dbeta = this.affine ? this.params[1]!.gradSlice.ptr : s.sink.ptr;
    k.f32_bn_backward_reduce(dgamma, dbeta, s.gmean.ptr, s.k.ptr, dOutput.ptr, input.ptr, mean.ptr, s.invstd.ptr, batch, c, this.perChannel, this.usedBatchStats ? 1 : 0);
    if (dInput) k.f32_bn_backward_input(dInput.ptr, dOutput.ptr, input.ptr, mean.ptr, s.gmean.ptr, s.k.ptr, s.scale.ptr, batch, c, this.perChannel);
  }
}

/** Batch normalization of features [C] (or [C, L] sequences), per feature. */
export class BatchNorm1d extends BatchNorm {
  readonly kind = "BatchNorm1d";
  protected readonly expected = `[${this.numFeatures}] or [${this.numFeatures}, L]`;

  constructor(numFeatures: number, options: BatchNormOptions = {}) {
    super("BatchNorm1d", numFeatures, options);
  }

  protected accepts(inputShape: Shape): boolean {
    return inputShape.length === 1 || inputShape.length === 2;
  }
}

/** Batch normalization of images [C, H, W], per channel. */
export class BatchNorm2d extends BatchNorm {
  readonly kind = "BatchNorm2d";
  protected readonly expected = `[${this.numFeatures}, H, W]`;

  constructor(numChannels: number, options: BatchNormOptions = {}) {
    super("BatchNorm2d", numChannels, options);
  }

  protected accepts(inputShape: Shape): boolean {
    return inputShape.length === 3;
  }
}
