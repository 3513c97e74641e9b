// Weight initializers of torch.nn.init, seeded. For a weight of shape [out, in, k…], with r = Π k (1 for Linear):
//
//   fanIn = in · r,   fanOut = out · r
//   xavierUniform:   U(−a, a),     a = gain · √(6 / (fanIn + fanOut))
//   xavierNormal:    N(0, σ²),     σ = gain · √(2 / (fanIn + fanOut))
//   kaimingUniform:  U(−b, b),     b = √3 · gain / √fan          fan = fanIn (mode 'fan_in') or fanOut ('fan_out')
//   kaimingNormal:   N(0, σ²),     σ = gain / √fan               gain = calculateGain(nonlinearity, a)
//   PyTorch's default for Linear (and Conv): kaimingUniform with a = √5, i.e. weight and bias ~ U(±1/√fanIn)
//
//   calculateGain: linear, conv*, sigmoid → 1;  tanh → 5/3;  relu → √2;  leaky_relu(a) → √(2 / (1 + a²));  selu → 3/4
import { checkOptions } from "../engine/options.js";
import type { Rng } from "../engine/rng.js";
import { formatShape } from "./format.js";
import type { Shape } from "./layer.js";

export type Nonlinearity =
  | "linear" | "conv1d" | "conv2d" | "conv3d" | "conv_transpose1d" | "conv_transpose2d" | "conv_transpose3d"
  | "sigmoid" | "tanh" | "relu" | "leaky_relu" | "selu";

export type FanMode = "fan_in" | "fan_out";

export interface KaimingOptions {
  /** Negative slope of the leaky ReLU that follows (used with nonlinearity 'leaky_relu'; default 0). */
  a?: number;
  /** 'fan_in' (default) keeps the variance of the forward pass, 'fan_out' that of the backward pass. */
  mode?: FanMode;
  /** Default 'leaky_relu' (with a = 0 the same gain as 'relu'), as torch.nn.init. */
  nonlinearity?: Nonlinearity;
}

/** fanIn and fanOut of a weight of at least two dimensions, [out, in, k…]. */
export function fans(shape: Shape): { fanIn: number; fanOut: number } {
  if (shape.length < 2) throw new RangeError(`fan in and fan out need a shape of at least 2 dimensions, got ${formatShape(shape)}`);
  const receptive = shape.slice(2).reduce((a, b) => a * b, 1);
  return { fanIn: shape[1]! * receptive, fanOut: shape[0]! * receptive };
}

/** The recommended gain for a nonlinearity (torch.nn.init.calculate_gain). */
export function calculateGain(nonlinearity: Nonlinearity, param?: number): number {
  switch (nonlinearity) {
    case "linear": case "conv1d": case "conv2d": case "conv3d":
    case "conv_transpose1d": case "conv_transpose2d": case "conv_transpose3d": case "sigmoid":
      return 1;
    case "tanh":
      return 5 / 3;
    case "relu":
      return Math.SQRT2;
    case "leaky_relu": {
      const slope = param ?? 0.01;
      if (!Number.isFinite(slope)) throw new RangeError(`calculateGain: negative slope ${slope} is not a finite number`);
      return Math.sqrt(2 / (1 + slope * slope));
    }
    case "selu":
      return 3 / 4;
    default:
      throw new RangeError(`calculateGain: unknown nonlinearity '${String(nonlinearity)}'`);
  }
}

/** Fills `values` with U(−bound, bound). */
export function uniform(values: Float32Array, bound: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = (2 * rng.uniform() - 1) * bound;
}

/** Fills `values` with N(0, std²). */
export function normal(values: Float32Array, std: number, rng: Rng): void {
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * std;
}

export function xavierUniform(values: Float32Array, shape: Shape, rng: Rng, gain = 1): void {
  const { fanIn, fanOut } = fans(shape);
  uniform(values, gain * Math.sqrt(6 / (fanIn + fanOut)), rng);
}

export function xavierNormal(values: Float32Array, shape: Shape, rng: Rng, gain = 1): void {
  const { fanIn, fanOut } = fans(shape);
  normal(values, gain * Math.sqrt(2 / (fanIn + fanOut)), rng);
}

function kaimingStd(shape: Shape, options: KaimingOptions): number {
  checkOptions("kaiming init", options, ["a", "mode", "nonlinearity"]);
  const { a = 0, mode = "fan_in", nonlinearity = "leaky_relu" } = options;
  if (mode !== "fan_in" && mode !== "fan_out") throw new RangeError(`kaiming init: mode must be 'fan_in' or 'fan_out', got '${String(mode)}'`);
  const { fanIn, fanOut } = fans(shape);
  return calculateGain(nonlinearity, a) / Math.sqrt(mode === "fan_in" ? fanIn : fanOut);
}

export function kaimingUniform(values: Float32Array, shape: Shape, rng: Rng, options: KaimingOptions = {}): void {
  uniform(values, Math.sqrt(3) * kaimingStd(shape, options), rng);
}

export function kaimingNormal(values: Float32Array, shape: Shape, rng: Rng, options: KaimingOptions = {}): void {
  normal(values, kaimingStd(shape, options), rng);
}

/** PyTorch's default weight of Linear and Conv: kaiming_uniform_(a = √5), which is U(±1/√fanIn). */
export function defaultWeightInit(values: Float32Array, shape: Shape, rng: Rng): void {
  kaimingUniform(values, shape, rng, { a: Math.sqrt(5) });
}

/** PyTorch's default bias of Linear and Conv: U(±1/√fanIn) (zeros when fanIn is 0). */
export function defaultBiasInit(values: Float32Array, fanIn: number, rng: Rng): void {
  uniform(values, fanIn > 0 ? 1 / Math.sqrt(fanIn) : 0, rng);
}
