// Model specs: small networks sized from the data (the input shape and the number of outputs).
//
//   linear                 Linear(in, out): logistic / linear regression
//   mlp[:w1,w2,…]          Linear(in, w1) → act → … → Linear(wk, out)        (default one hidden layer of 128)
//       options: activation=relu|tanh|sigmoid|gelu|leakyrelu, dropout=p, batchnorm
//   cnn[:c1,c2]            [Conv2d(3×3, padding 1) → ReLU → MaxPool2d(2)] for c1 then c2 channels → Flatten →
//                          Linear(·, out)                                     (default 16, 32)
//       a flat input whose size is a square (64, 784) is seen as a 1 × s × s image.
//   rnn|lstm|gru[:h1,h2,…] one recurrent layer per width (default 128), each feeding its sequence to the next, then
//                          Linear(hk, out): on every step when the data have a label per step (a language model),
//                          else on the last step (sequence to one)
//       options: embed=d (the Embedding width for token data, default 32), tbptt=k, nonlinearity=tanh|relu (rnn)
//       the input: token ids [T] → Embedding first; [T, F] as it is; a flat square input (64, 784) or a
//       [1, s, s] image as s steps of s features (the rows); any other flat input [T] as T steps of 1 feature.
import { GELU, LeakyReLU, ReLU, Sigmoid, Tanh } from "../nn/activations.js";
import { BatchNorm1d, BatchNorm2d } from "../nn/batchnorm.js";
import { Conv2d } from "../nn/conv2d.js";
import { Dropout } from "../nn/dropout.js";
import { Embedding } from "../nn/embedding.js";
import { GRU } from "../nn/gru.js";
import { LSTM } from "../nn/lstm.js";
import { RNN } from "../nn/rnn.js";
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

/** What a recurrent model needs to know of the data besides the sample shape (a Dataset has both fields). */
export interface SequenceInfo {
  /** The features are token ids in [0, vocabularySize) (0: ordinary features). */
  vocabularySize: number;
  /** Labels per sample: one per step (a language model) when it equals the sequence length. */
  labelSize: number;
}

export interface ModelSpec {
  text: string;
  name: string;
  /** Plans the model for samples of `inputShape` and `outputs` outputs (classes, or targets per sample). */
  plan(inputShape: Shape, outputs: number, data?: SequenceInfo): ModelPlan;
}

const ACTIVATIONS: Record<string, () => Layer> = {
  relu: () => new ReLU(),
  tanh: () => new Tanh(),
  sigmoid: () => new Sigmoid(),
  gelu: () => new GELU(),
  leakyrelu: () => new LeakyReLU(),
};

export const MODEL_NAMES = ["linear", "mlp", "cnn", "rnn", "lstm", "gru"] as const;

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
    case "rnn":
    case "lstm":
    case "gru":
      return recurrent(spec);
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

function recurrent(spec: ParsedSpec): ModelSpec {
  const kind = spec.name as "rnn" | "lstm" | "gru";
  checkKnownOptions(spec, kind === "rnn" ? ["embed", "tbptt", "nonlinearity"] : ["embed", "tbptt"], "model");
  const widths = spec.positional.length ? spec.positional : [128];
  checkWidths(spec, widths, "hidden sizes");
  const { embed = 32, tbptt, nonlinearity = "tanh" } = spec.options;
  if (typeof embed !== "number" || !Number.isInteger(embed) || embed < 1) throw new SpecError(`model '${spec.text}': embed must be a positive integer, got ${String(embed)}`);
  if (tbptt !== undefined && (typeof tbptt !== "number" || !Number.isInteger(tbptt) || tbptt < 1)) {
    throw new SpecError(`model '${spec.text}': tbptt must be a positive integer (steps), got ${String(tbptt)}`);
  }
  if (nonlinearity !== "tanh" && nonlinearity !== "relu") throw new SpecError(`model '${spec.text}': nonlinearity must be tanh or relu, got ${String(nonlinearity)}`);
  const make = (input: number, hidden: number, returnSequences: boolean): Layer => {
    const options = { returnSequences, ...(tbptt === undefined ? {} : { tbptt: tbptt as number }) };
    if (kind === "lstm") return new LSTM(input, hidden, options);
    if (kind === "gru") return new GRU(input, hidden, options);
    return new RNN(input, hidden, { ...options, nonlinearity });
  };
  return {
    text: spec.text,
    name: spec.name,
    plan(shape, outputs, data = { vocabularySize: 0, labelSize: 1 }) {
      const tokens = data.vocabularySize > 0;
      const inputShape = tokens ? shape : sequenceShape(shape, spec.text);
      if (tokens && shape.length !== 1) throw new SpecError(`model '${spec.text}': token ids must come as sequences [T], got [${shape.join(", ")}]`);
      const steps = inputShape[0]!;
      const perStep = data.labelSize > 1;
      if (perStep && data.labelSize !== steps) {
        throw new SpecError(`model '${spec.text}': the data have ${data.labelSize} labels per sample, the sequences ${steps} steps (a label per step, or one per sample)`);
      }
      return {
        inputShape,
        layers() {
          const layers: Layer[] = [];
          let width = tokens ? embed : inputShape[1]!;
          if (tokens) layers.push(new Embedding(data.vocabularySize, embed));
          widths.forEach((w, i) => {
            layers.push(make(width, w, perStep || i < widths.length - 1));
            width = w;
          });
          layers.push(new Linear(width, outputs));
          return layers;
        },
      };
    },
  };
}

/** A recurrent model's input [T, F]: as it is, a square flat input or a [1, s, s] image as s rows, else [T, 1]. */
function sequenceShape(shape: Shape, text: string): Shape {
  if (shape.length === 2) return shape;
  if (shape.length === 3 && shape[0] === 1) return [shape[1]!, shape[2]!];
  if (shape.length === 1) {
    const n = shape[0]!, s = Math.round(Math.sqrt(n));
    return s * s === n && s > 1 ? [s, s] : [n, 1];
  }
  throw new SpecError(`model '${text}': a recurrent model needs sequences [steps, features] (or token ids [steps]), got [${shape.join(", ")}]`);
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
