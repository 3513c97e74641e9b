// Element-wise activation layers (torch.nn.ReLU, LeakyReLU, Sigmoid, Tanh, GELU), any input shape:
//
//   ReLU       y = max(x, 0)                       LeakyReLU  y = x if x > 0, else a x   (a = negativeSlope)
//   Sigmoid    y = 1 / (1 + exp(−x))               Tanh       y = tanh x
//   GELU       y = x Φ(x) = x · ½ (1 + erf(x / √2))   (the exact form, PyTorch's default approximate = 'none')
//
// The formulas of the gradients are in assembly/nn/activations.ts.
import type { Kernels } from "../kernels/kernels.js";
import { Layer, size, type Shape } from "./layer.js";

/** A layer that maps each value on its own: same output shape, n = batch × sample size values. */
abstract class Elementwise extends Layer {
  private sampleSize = 0;

  configure(inputShape: Shape): Shape {
    this.sampleSize = size(inputShape);
    return inputShape;
  }

  forward(batch: number): void {
    const { input, output } = this.buffers;
    this.apply(this.engine.kernels, output.ptr, input.ptr, batch * this.sampleSize);
  }

  backward(batch: number): void {
    const { input, output, dInput, dOutput } = this.buffers;
    if (dInput) this.gradient(this.engine.kernels, dInput.ptr, dOutput.ptr, input.ptr, output.ptr, batch * this.sampleSize);
  }

  protected abstract apply(k: Kernels, y: number, x: number, n: number): void;
  /** dx from dy, given the input x and the output y of the last forward. */
  protected abstract gradient(k: Kernels, dx: number, dy: number, x: number, y: number, n: number): void;
}

export class ReLU extends Elementwise {
  readonly kind = "ReLU";
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k.f32_relu(y, x, n);
  }
  protected gradient(k: Kernels, dx: number, dy: number, x: number, _y: number, n: number): void {
    k.f32_relu_backward(dx, dy, x, n);
  }
}

export class LeakyReLU extends Elementwise {
  readonly kind = "LeakyReLU";
  constructor(readonly negativeSlope = 0.01) {
    super();
    if (!Number.isFinite(negativeSlope)) throw new RangeError(`LeakyReLU: negativeSlope must be a finite number, got ${negativeSlope}`);
  }
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k.f32_leaky_relu(y, x, n, this.negativeSlope);
  }
  protected gradient(k: Kernels, dx: number, dy: number, x: number, _y: number, n: number): void {
    k.f32_leaky_relu_backward(dx, dy, x, n, this.negativeSlope);
  }
}

export class Sigmoid extends Elementwise {
  readonly kind = "Sigmoid";
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k.f32_sigmoid(y, x, n);
  }
  protected gradient(k: Kernels, dx: number, dy: number, _x: number, y: number, n: number): void {
    k.f32_sigmoid_backward(dx, dy, y, n);
  }
}

export class Tanh extends Elementwise {
  readonly kind = "Tanh";
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k.f32_tanh(y, x, n);
  }
  protected gradient(k: Kernels, dx: number, dy: number, _x: number, y: number, n: number): void {
    k.f32_tanh_backward(dx, dy, y, n);
  }
}

export class GELU extends Elementwise {
  readonly kind = "GELU";
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k.f32_gelu(y, x, n);
  }
  protected gradient(k: Kernels, dx: number, dy: number, x: number, _y: number, n: number): void {
    k.f32_gelu_backward(dx, dy, x, n);
  }
}
