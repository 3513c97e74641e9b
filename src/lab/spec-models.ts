// Model specs: small networks sized from the data (the input shape and the number of outputs).
//
//   linear                 Linear(in, out): logistic / linear regression
//   mlp[:w1,w2,…]          Linear(in, w1) → act → … → Linear(wk, out)        (default one hidden layer of 128)
//       options: activation=relu|tanh|sigmoid|gelu|leakyrelu, dropout=p, batchnorm
//   cnn[:c1,c2]            [Conv2d(3×3, padding 1) → ReLU → MaxPool2d(2)] for c1 then c2 channels → Flatten →
//                          Linear(·, out)                                     (default 16, 32)
//       a flat input whose size is a square (64, 784) is seen as a 1 × s × s image.
import { GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from "../nn/activations.js";
import { BatchNorm1d, BatchNorm2d } from "../nn/batchnorm.js";
import { Conv2d } from "../nn/conv2d.js";
import { Dropout } from "../nn/dropout.js";
import { Flatten } from "../nn/flatten.js";
import type { Layer, Shape } from "../nn/layer.js";
import { Linear } from "../nn/linear.js";
import { MaxPool2d } from "../nn/pool.js";
import { checkKnownOptions, checkNoPositional, parseSpec, SpecError, unknownName, type ParsedSpec } from "./spec.js";

export interface ModelPlan {
  /** The sample shape the model takes (a flat square input becomes [1, s, s] for 'cnn'). */
  inputShape: Shape;
  /** New layers each call: every model of a comparison is built fresh. */
  layers(): Layer[];
}

export interface ModelSpec {
  text: string;
  name: string;
  /** Plans the model for samples of `inputShape` and `outputs` outputs (classes, or targets per sample). */
  plan(inputShape: Shape, outputs: number): ModelPlan;
}

const ACTIVATIONS: Record<string, () => Layer> = {
  relu: () => new ReLU(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  gelu: () => new GELU(),
  leakyrelu: () => new LeakyReLU(),
};

export const MODEL_NAMES = ["linear", "mlp", "cnn"] as const;

export function parseModelSpec(text: string): ModelSpec {
  const spec = parseSpec(text, "model");
  switch (spec.name) {
    case "linear":
      checkNoPositional(spec, "model");
      checkKnownOptions(spec, [], "model");
      return { text: spec.text, name: spec.name, plan: (shape, outputs) => ({ inputShape: shape, layers: () => [...flatten(shape), new Linear(size(shape), outputs)] }) };
    case "mlp":
      return mlp(spec);
    case "cnn":
      return cnn(spec);
    default:
      throw unknownName("model", text, spec.name, MODEL_NAMES);
  }
}

function mlp(spec: ParsedSpec): ModelSpec {
  checkKnownOptions(spec, ["activation", "dropout", "batchnorm"], "model");
  const widths = spec.positional.length ? spec.positional : [128];
  checkWidths(spec, widths, "layer widths");
  const { activation = "relu", dropout = 0, batchnorm = false } = spec.options;
  if (typeof activation !== "string" || !Object.hasOwn(ACTIVATIONS, activation)) {
    throw new SpecError(`model '${spec.text}': unknown activation '${String(activation)}' (known: ${Object.keys(ACTIVATIONS).join(", ")})`);
  }
  if (typeof dropout !== "number" || !(dropout >= 0 && dropout < 1)) throw new SpecError(`model '${spec.text}': dropout must be in [0, 1), got ${String(dropout)}`);
  if (typeof batchnorm !== "boolean") throw new SpecError(`model '${spec.text}': batchnorm is a flag (true or false), got ${String(batchnorm)}`);
  return {
    text: spec.text,
    name: spec.name,
    plan: (shape, outputs) => ({
      inputShape: shape,
      layers() {
        const layers: Layer[] = [...flatten(shape)];
        let width = size(shape);
        for (const w of widths) {
          layers.push(new Linear(width, w));
          if (batchnorm) layers.push(new BatchNorm1d(w));
          layers.push(ACTIVATIONS[activation]!());
          if (dropout > 0) layers.push(new Dropout(dropout));
          width = w;
        }
        layers.push(new Linear(width, outputs));
        return layers;
      },
    }),
  };
}

function cnn(spec: ParsedSpec): ModelSpec {
  checkKnownOptions(spec, ["batchnorm"], "model");
  const channels = spec.positional.length ? spec.positional : [16, 32];
  checkWidths(spec, channels, "channel counts");
  const batchnorm = spec.options.batchnorm ?? false;
  if (typeof batchnorm !== "boolean") throw new SpecError(`model '${spec.text}': batchnorm is a flag (true or false), got ${String(batchnorm)}`);
  return {
    text: spec.text,
    name: spec.name,
    plan(shape, outputs) {
      const image = imageShape(shape, spec.text);
      const [c0, h0, w0] = image;
      let h = h0!, w = w0!;
      if (h >> channels.length < 1 || w >> channels.length < 1) {
        throw new SpecError(`model '${spec.text}': ${channels.length} pooling stages need images of at least ${2 ** channels.length} × ${2 ** channels.length}, got ${h} × ${w}`);
      }
      for (let i = 0; i < channels.length; i++) (h >>= 1), (w >>= 1);
      const flat = channels[channels.length - 1]! * h * w;
      return {
        inputShape: image,
        layers() {
          const layers: Layer[] = [];
          let c = c0!;
          for (const out of channels) {
            layers.push(new Conv2d(c, out, 3, { padding: 1 }));
            if (batchnorm) layers.push(new BatchNorm2d(out));
            layers.push(new ReLU(), new MaxPool2d(2));
            c = out;
          }
          layers.push(new Flatten(), new Linear(flat, outputs));
          return layers;
        },
      };
    },
  };
}

function checkWidths(spec: ParsedSpec, values: number[], what: string): void {
  const bad = values.find((v) => !Number.isInteger(v) || v < 1);
  if (bad !== undefined) throw new SpecError(`model '${spec.text}': ${what} must be positive integers, got ${bad}`);
}

/** [C, H, W] as it is, or a flat square input as [1, s, s]. */
function imageShape(shape: Shape, text: string): Shape {
  if (shape.length === 3) return shape;
  const n = size(shape), s = Math.round(Math.sqrt(n));
  if (shape.length === 1 && s * s === n) return [1, s, s];
  throw new SpecError(`model '${text}': a CNN needs image samples [channels, height, width] (or a square number of features), got [${shape.join(", ")}]`);
}

function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** A Flatten first when samples are not flat (an MLP on images). */
function flatten(shape: Shape): Layer[] {
  return shape.length > 1 ? [new Flatten()] : [];
}
