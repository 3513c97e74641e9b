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

/** An activation with a kernel y = f(x) and a kernel dx = f′ · dy that reads either the input x or the output y. */
abstract class KernelPair extends Elementwise {
  protected abstract readonly kernelNames: {
    forward: "f32_relu" | "f32_sigmoid" | "f32_tanh" | "f32_gelu";
    backward: "f32_relu_backward" | "f32_sigmoid_backward" | "f32_tanh_backward" | "f32_gelu_backward";
    reads: "x" | "y";
  };
  protected apply(k: Kernels, y: number, x: number, n: number): void {
    k[this.kernelNames.forward](y, x, n);
  }
  protected gradient(k: Kernels, dx: number, dy: number, x: number, y: number, n: number): void {
    k[this.kernelNames.backward](dx, dy, this.kernelNames.reads === "x" ? x : y, n);
  }
}

export class ReLU extends KernelPair {
  readonly kind = "ReLU";
  protected readonly kernelNames = { forward: "f32_relu", backward: "f32_relu_backward", reads: "x" } as const;
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

export class Sigmoid extends KernelPair {
  readonly kind = "Sigmoid";
  protected readonly kernelNames = { forward: "f32_sigmoid", backward: "f32_sigmoid_backward", reads: "y" } as const;
}

export class Tanh extends KernelPair {
  readonly kind = "Tanh";
  protected readonly kernelNames = { forward: "f32_tanh", backward: "f32_tanh_backward", reads: "y" } as const;
}

export class GELU extends KernelPair {
  readonly kind = "GELU";
  protected readonly kernelNames = { forward: "f32_gelu", backward: "f32_gelu_backward", reads: "x" } as const;
}
