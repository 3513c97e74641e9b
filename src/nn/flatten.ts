// Flatten (torch.nn.Flatten with its defaults): a sample of shape [C, H, W] (or any shape) becomes [C·H·W].
// The memory layout does not change, so forward and backward copy the values as they are.
import { Layer, size, type Shape } from "./layer.js";

export class Flatten extends Layer {
  readonly kind = "Flatten";
  private sampleSize = 0;

  configure(inputShape: Shape): Shape {
    this.sampleSize = size(inputShape);
    return [this.sampleSize];
  }

  forward(batch: number): void {
    const { input, output } = this.buffers;
    this.engine.kernels.f32_copy(output.ptr, input.ptr, batch * this.sampleSize);
  }

  backward(batch: number): void {
    const { dInput, dOutput } = this.buffers;
    if (dInput) this.engine.kernels.f32_copy(dInput.ptr, dOutput.ptr, batch * this.sampleSize);
  }
}
