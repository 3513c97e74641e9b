// Softmax (torch.nn.Softmax) over the last dimension (the features of a [features] sample):
//
//   y_j = exp(x_j) / Σ_k exp(x_k)      (computed as exp(x_j − max x) for stability)
//   dx_j = y_j (dy_j − Σ_k dy_k y_k)
//
// To train a classifier, prefer CrossEntropyLoss on the logits: it fuses log-softmax and is more accurate.
import { formatShape } from "./format.js";
import { Layer, size, type Shape } from "./layer.js";

export class Softmax extends Layer {
  readonly kind = "Softmax";
  private rowsPerSample = 1;
  private cols = 1;

  configure(inputShape: Shape): Shape {
    if (inputShape.length === 0) throw new Error(`${this.where()}: expected an input shape with a feature dimension, got ${formatShape(inputShape)}`);
    this.cols = inputShape[inputShape.length - 1]!;
    this.rowsPerSample = size(inputShape) / this.cols;
    return inputShape;
  }

  forward(batch: number): void {
    const { input, output } = this.buffers;
    this.engine.kernels.f32_softmax_rows(output.ptr, input.ptr, batch * this.rowsPerSample, this.cols);
  }

  backward(batch: number): void {
    const { output, dInput, dOutput } = this.buffers;
    if (dInput) this.engine.kernels.f32_softmax_rows_backward(dInput.ptr, dOutput.ptr, output.ptr, batch * this.rowsPerSample, this.cols);
  }
}
