// Dropout (torch.nn.Dropout), inverted: in training, each value is kept with probability 1 − p and scaled by
// 1 / (1 − p), else zeroed; in evaluation it is the identity.
//
//   y_i = x_i / (1 − p) · keep_i,     dx_i = dy_i / (1 − p) · keep_i
//
// keep_i comes from a counter-based hash of (seed, call counter, i) computed in the kernel (see
// assembly/nn/dropout.ts): reproducible from the compile seed, identical on every backend, and recomputed in
// backward instead of stored. The seed is drawn at compile; `calls` counts training forwards.
import type { Rng } from "../engine/rng.js";
import { Layer, size, type Shape } from "./layer.js";

export class Dropout extends Layer {
  readonly kind = "Dropout";
  /** Training forwards so far; with `seedValue` it determines the next masks (save both to resume exactly). */
  calls = 0;
  /** Drawn from the model's seed at compile. */
  seedValue = 0;
  private sampleSize = 0;
  private readonly threshold: number;
  private readonly scale: number;
  /** Whether the last forward dropped values (training with p > 0): backward must do the same. */
  private masked = false;

  constructor(readonly p = 0.5) {
    super();
    if (!(typeof p === "number" && p >= 0 && p <= 1)) throw new RangeError(`Dropout: p must be a probability in [0, 1], got ${p}`);
    this.threshold = Math.round(p * 2 ** 24);
    this.scale = 1 / (1 - p);
  }

  configure(inputShape: Shape): Shape {
    this.sampleSize = size(inputShape);
    return inputShape;
  }

  seed(rng: Rng): void {
    this.seedValue = rng.nextU32();
  }

  forward(batch: number, training: boolean): void {
    const { input, output } = this.buffers;
    const n = batch * this.sampleSize;
    this.masked = training && this.p > 0;
    if (!this.masked) {
      this.engine.kernels.f32_copy(output.ptr, input.ptr, n);
      return;
    }
    this.calls = (this.calls + 1) >>> 0;
    this.engine.kernels.f32_dropout(output.ptr, input.ptr, n, this.threshold, this.scale, this.seedValue, this.calls);
  }

  backward(batch: number): void {
    const { dInput, dOutput } = this.buffers;
    if (!dInput) return;
    const n = batch * this.sampleSize;
    if (this.masked) this.engine.kernels.f32_dropout(dInput.ptr, dOutput.ptr, n, this.threshold, this.scale, this.seedValue, this.calls);
    else this.engine.kernels.f32_copy(dInput.ptr, dOutput.ptr, n);
  }
}
