// The `init` option of Sequential.compile: another initialization than each layer's PyTorch default.
//
//   a scheme name   'xavierUniform' | 'xavierNormal' | 'kaimingUniform' | 'kaimingNormal': every weight of two or
//                   more dimensions (Linear, Conv2d) is drawn by that scheme with torch.nn.init's defaults (gain 1;
//                   kaiming: fan_in, a = 0, i.e. the ReLU gain √2) and the bias of the same layer set to zero;
//                   recurrent layers' weight_ih_l*/weight_hh_l* are weights and bias_* biases in the same sense;
//   a function      called for every parameter, in order, after the defaults, with its PyTorch name, shape,
//                   values (to overwrite) and layer, and the model's generator (for seeded draws).
import type { Rng } from "../engine/rng.js";
import { kaimingNormal, kaimingUniform, xavierNormal, xavierUniform } from "./init.js";
import type { Layer, Shape } from "./layer.js";

export type InitScheme = "xavierUniform" | "xavierNormal" | "kaimingUniform" | "kaimingNormal";

export interface ParamInit {
  /** PyTorch name: '0.weight' */
  name: string;
  shape: Shape;
  values: Float32Array;
  layer: Layer;
}

export type InitFunction = (param: ParamInit, rng: Rng) => void;
export type InitOption = InitScheme | InitFunction;

const schemes: Record<InitScheme, (values: Float32Array, shape: Shape, rng: Rng) => void> = {
  xavierUniform: (v, s, rng) => xavierUniform(v, s, rng),
  xavierNormal: (v, s, rng) => xavierNormal(v, s, rng),
  kaimingUniform: (v, s, rng) => kaimingUniform(v, s, rng),
  kaimingNormal: (v, s, rng) => kaimingNormal(v, s, rng),
};

/** Applies `init` to the parameter list of a model (named '<layer index>.<name>'), in order. */
export function applyInit(init: InitOption, list: { values: Float32Array; shape: Shape; name: string }[], layers: readonly Layer[], rng: Rng): void {
  if (typeof init === "function") {
    for (const p of list) init({ ...p, layer: layers[parseInt(p.name, 10)]! }, rng);
    return;
  }
  if (!Object.hasOwn(schemes, init)) {
    throw new RangeError(`Sequential.compile: unknown init '${String(init)}' (expected ${Object.keys(schemes).join(", ")} or a function)`);
  }
  const scheme = schemes[init];
  const reinitialized = new Set<string>();
  for (const p of list) {
    const [layer, local] = p.name.split(".");
    if (/^weight(_|$)/.test(local!) && p.shape.length >= 2) {
      scheme(p.values, p.shape, rng);
      reinitialized.add(layer!);
    }
  }
  for (const p of list) {
    const [layer, local] = p.name.split(".");
    if (/^bias(_|$)/.test(local!) && reinitialized.has(layer!)) p.values.fill(0);
  }
}
