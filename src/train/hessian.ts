// Second derivatives of a model's loss over a whole dataset, in float64: the loss and gradient, exact
// Hessian-vector products by the R-operator (Pearlmutter 1994: forward-over-reverse, R{·} = ∂/∂r (·)(θ + r v) at
// r = 0), and, for a single Linear layer, the dense Hessian.
//
//   forward     Linear z = a Wᵀ + b          R{z} = R{a} Wᵀ + a Vᵀ + V_b         (V, V_b: v's part for W, b)
//               activation a = σ(z)          R{a} = σ'(z) R{z}
//   loss        CrossEntropy  δ = (p − onehot) / N          R{δ} = (p ⊙ (R{z} − p·R{z})) / N   (p = softmax z, per row)
//               MSE           δ = 2 (z − t) / (N D)        R{δ} = 2 R{z} / (N D)
//               BCEWithLogits δ = (s(z) − t) / (N D)       R{δ} = s'(z) R{z} / (N D)
//   backward    activation δ_z = δ_a σ'(z)    R{δ_z} = R{δ_a} σ'(z) + δ_a σ''(z) R{z}
//               Linear  ∇W = δᵀ a,  ∇b = Σ δ,  δ_a = δ W
//                       R{∇W} = R{δ}ᵀ a + δᵀ R{a},  R{∇b} = Σ R{δ},  R{δ_a} = R{δ} W + δ V
//   H v = (R{∇W}, R{∇b}) per layer, in the order of model.parameters().
//
// With an L2 term ½ λ ‖θ‖² (the option l2) the value, gradient, H v and H get λ θ, λ v, λ I. Supported: Linear,
// ReLU (σ'' = 0 almost everywhere), Tanh, Sigmoid; CrossEntropyLoss, MSELoss, BCEWithLogitsLoss. Anything else is
// an error naming the layer. Features are read as the loader gives them (x · scale + offset).
import type { Dataset } from "../data/dataset.js";
import { checkOptions, keysOf } from "../engine/options.js";
import type { LossFunction, TrainableModel } from "./types.js";

type Activation = "ReLU" | "Tanh" | "Sigmoid";
type Op = { kind: "Linear"; w: number; b: number; inputs: number; outputs: number } | { kind: Activation };

export interface SecondOrderObjective {
  /** Number of parameters n. */
  readonly size: number;
  /** f(θ) (mean loss + ½ l2 ‖θ‖²); writes ∇f(θ) into `gradient` when given. */
  value(theta: Float64Array, gradient?: Float64Array): number;
  /** H(θ) v, exactly. */
  hessianVector(theta: Float64Array, v: Float64Array): Float64Array;
  /** The dense n × n Hessian, row-major (only for a model that is a single Linear layer; null otherwise). */
  readonly hessian: ((theta: Float64Array) => Float64Array) | null;
  /** The model's current parameters, and writing θ back into them (rounded to float32). */
  read(): Float64Array;
  write(theta: Float64Array): void;
}

export interface ObjectiveOptions {
  /** λ of an L2 term ½ λ ‖θ‖² added to the mean loss (default 0). */
  l2?: number;
}

const SUPPORTED = ["Linear", "ReLU", "Tanh", "Sigmoid"];
const LOSSES = ["CrossEntropyLoss", "MSELoss", "BCEWithLogitsLoss"];

/** The float64 objective of `model` with `loss` over all of `data`, checked (layers, loss, shapes) before any work. */
export function modelObjective(model: TrainableModel, loss: LossFunction, data: Dataset, options: ObjectiveOptions = {}): SecondOrderObjective {
  checkOptions("modelObjective", options, OBJECTIVE_OPTIONS);
  const l2 = options.l2 ?? 0;
  if (!(l2 >= 0 && Number.isFinite(l2))) throw new RangeError(`modelObjective: l2 must be a finite number >= 0, got ${String(l2)}`);
  const ops = planOps(model);
  const lossKind = (loss as { kind?: string }).kind ?? "";
  if (!LOSSES.includes(lossKind)) throw new RangeError(`modelObjective: loss '${lossKind}' is not supported (supported: ${LOSSES.join(", ")})`);
  const params = model.parameters();
  const size = params.reduce((n, p) => n + p.length, 0);
  const first = ops.find((o) => o.kind === "Linear") as Extract<Op, { kind: "Linear" }> | undefined;
  const last = [...ops].reverse().find((o) => o.kind === "Linear") as Extract<Op, { kind: "Linear" }> | undefined;
  if (!first || !last) throw new RangeError("modelObjective: the model has no Linear layer");
  if (data.featureSize !== first.inputs) throw new RangeError(`modelObjective: the data has ${data.featureSize} features, the first Linear layer takes ${first.inputs}`);
  const classes = lossKind === "CrossEntropyLoss";
  if (classes ? !data.labels : !data.targets) throw new RangeError(`modelObjective: ${lossKind} needs ${classes ? "class labels" : "float targets"} in the data`);
  if (!classes && data.targetSize !== last.outputs) throw new RangeError(`modelObjective: the data has ${data.targetSize} targets per sample, the model ${last.outputs} outputs`);
  const x = Float64Array.from(data.x, (v) => v * data.scale + data.offset);
  const n = data.length;
  const lossFn = LOSS_RULES[lossKind as keyof typeof LOSS_RULES](data, n, last.outputs);

  const forward = (theta: Float64Array) => {
    const acts: Float64Array[] = [x];
    for (const op of ops) acts.push(op.kind === "Linear" ? linear(acts.at(-1)!, theta, op, n) : activate(op.kind, acts.at(-1)!));
    return acts;
  };

  const value = (theta: Float64Array, gradient?: Float64Array): number => {
    const acts = forward(theta);
    const out = acts.at(-1)!;
    const delta = new Float64Array(out.length);
    let f = lossFn.value(out, delta);
    let sq = 0;
    for (let i = 0; i < size; i++) sq += theta[i]! * theta[i]!;
    f += 0.5 * l2 * sq;
    if (!gradient) return f;
    gradient.fill(0);
    let d: Float64Array = delta;
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k]!;
      if (op.kind === "Linear") d = linearBackward(d, acts[k]!, theta, op, n, gradient, k > 0);
      else d = scaleBy(d, derivative(op.kind, acts[k]!, acts[k + 1]!));
    }
    for (let i = 0; i < size; i++) gradient[i]! += l2 * theta[i]!;
    return f;
  };

  const hessianVector = (theta: Float64Array, v: Float64Array): Float64Array => {
    if (v.length !== size) throw new RangeError(`hessianVectorProduct: v has ${v.length} values, the model ${size} parameters`);
    const acts = forward(theta);
    const racts: Float64Array[] = [new Float64Array(x.length)];
    ops.forEach((op, k) => {
      racts.push(op.kind === "Linear" ? rLinear(acts[k]!, racts[k]!, theta, v, op, n) : scaleBy(racts[k]!, derivative(op.kind, acts[k]!, acts[k + 1]!)));
    });
    const out = acts.at(-1)!;
    const delta = new Float64Array(out.length);
    lossFn.value(out, delta);
    const rdelta = lossFn.r(out, racts.at(-1)!);
    const hv = new Float64Array(size);
    let d: Float64Array = delta, rd: Float64Array = rdelta;
    for (let k = ops.length - 1; k >= 0; k--) {
      const op = ops[k]!;
      if (op.kind === "Linear") {
        const next = k > 0;
        // R{∇W} = R{δ}ᵀ a + δᵀ R{a}; R{∇b} = Σ R{δ}: the gradient formula applied twice, accumulating into hv.
        const rdNext = linearBackward(rd, acts[k]!, theta, op, n, hv, next);
        linearBackward(d, racts[k]!, theta, op, n, hv, false, true);
        const dNext = next ? linearBackward(d, acts[k]!, theta, op, n, null, true) : d;
        if (next) addInPlace(rdNext, matmulByV(d, v, op, n)); // + δ V
        d = dNext;
        rd = rdNext;
      } else {
        const z = acts[k]!, a = acts[k + 1]!;
        const s1 = derivative(op.kind, z, a), s2 = secondDerivative(op.kind, a);
        const rz = racts[k]!;
        const nextRd = new Float64Array(rd.length);
        for (let i = 0; i < rd.length; i++) nextRd[i] = rd[i]! * s1[i]! + d[i]! * s2[i]! * rz[i]!;
        d = scaleBy(d, s1);
        rd = nextRd;
      }
    }
    for (let i = 0; i < size; i++) hv[i]! += l2 * v[i]!;
    return hv;
  };

  const single = ops.length === 1 ? (ops[0] as Extract<Op, { kind: "Linear" }>) : null;
  return {
    size, value, hessianVector,
    hessian: single ? (theta) => linearHessian(x, n, theta, single, lossFn, l2, size) : null,
    read: () => {
      const out = new Float64Array(size);
      let at = 0;
      for (const p of params) out.set(p.data, at), (at += p.length);
      return out;
    },
    write: (theta) => {
      let at = 0;
      for (const p of params) p.data.set(theta.subarray(at, at + p.length)), (at += p.length);
    },
  };
}

/** H v at the model's current parameters, for the mean loss over `data` (R-operator, float64). */
export function hessianVectorProduct(model: TrainableModel, loss: LossFunction, data: Dataset, v: ArrayLike<number>): Float64Array {
  const objective = modelObjective(model, loss, data);
  return objective.hessianVector(objective.read(), Float64Array.from(v));
}

function planOps(model: TrainableModel): Op[] {
  const layers = (model.layers ?? []) as readonly { kind?: string; inFeatures?: number; outFeatures?: number; bias?: boolean }[];
  const offsets = new Map<string, number>();
  let at = 0;
  for (const [name, p] of model.namedParameters()) offsets.set(name, at), (at += p.length);
  return layers.map((layer, i): Op => {
    const kind = layer.kind ?? "(unknown)";
    if (!SUPPORTED.includes(kind)) throw new RangeError(`second-order: layer ${i} (${kind}) is not supported (supported: ${SUPPORTED.join(", ")})`);
    if (kind !== "Linear") return { kind: kind as Activation };
    return { kind: "Linear", w: offsets.get(`${i}.weight`)!, b: layer.bias ? offsets.get(`${i}.bias`)! : -1, inputs: layer.inFeatures!, outputs: layer.outFeatures! };
  });
}

/** z = a Wᵀ + b for n rows. */
function linear(a: Float64Array, theta: Float64Array, op: Extract<Op, { kind: "Linear" }>, n: number, bias = true): Float64Array {
  const { inputs: d, outputs: k, w, b } = op;
  const z = new Float64Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let o = 0; o < k; o++) {
      let s = bias && b >= 0 ? theta[b + o]! : 0;
      for (let j = 0; j < d; j++) s += a[r * d + j]! * theta[w + o * d + j]!;
      z[r * k + o] = s;
    }
  }
  return z;
}

/** R{z} = R{a} Wᵀ + a Vᵀ + V_b. */
function rLinear(a: Float64Array, ra: Float64Array, theta: Float64Array, v: Float64Array, op: Extract<Op, { kind: "Linear" }>, n: number): Float64Array {
  const out = linear(ra, theta, op, n, false);
  addInPlace(out, linear(a, v, op, n));
  return out;
}

/** Adds δᵀ a into ∇W and (unless `skipBias`) Σ δ into ∇b of `grad` when given; returns δ W when `propagate`. */
function linearBackward(
  delta: Float64Array, a: Float64Array, theta: Float64Array, op: Extract<Op, { kind: "Linear" }>, n: number,
  grad: Float64Array | null, propagate: boolean, skipBias = false,
): Float64Array {
  const { inputs: d, outputs: k, w, b } = op;
  if (grad) {
    for (let r = 0; r < n; r++) {
      for (let o = 0; o < k; o++) {
        const g = delta[r * k + o]!;
        if (g === 0) continue;
        for (let j = 0; j < d; j++) grad[w + o * d + j]! += g * a[r * d + j]!;
        if (b >= 0 && !skipBias) grad[b + o]! += g;
      }
    }
  }
  if (!propagate) return delta;
  const out = new Float64Array(n * d);
  for (let r = 0; r < n; r++) for (let o = 0; o < k; o++) {
    const g = delta[r * k + o]!;
    if (g !== 0) for (let j = 0; j < d; j++) out[r * d + j]! += g * theta[w + o * d + j]!;
  }
  return out;
}

/** δ V (v's part for the weight W). */
function matmulByV(delta: Float64Array, v: Float64Array, op: Extract<Op, { kind: "Linear" }>, n: number): Float64Array {
  return linearBackward(delta, new Float64Array(0), v, op, n, null, true);
}

function activate(kind: Activation, z: Float64Array): Float64Array {
  return z.map(kind === "ReLU" ? (v) => (v > 0 ? v : 0) : kind === "Tanh" ? Math.tanh : (v) => 1 / (1 + Math.exp(-v)));
}

/** σ'(z), from z and a = σ(z). */
function derivative(kind: Activation, z: Float64Array, a: Float64Array): Float64Array {
  if (kind === "ReLU") return z.map((v) => (v > 0 ? 1 : 0));
  if (kind === "Tanh") return a.map((v) => 1 - v * v);
  return a.map((v) => v * (1 - v));
}

/** σ''(z), from a = σ(z). */
function secondDerivative(kind: Activation, a: Float64Array): Float64Array {
  if (kind === "ReLU") return new Float64Array(a.length);
  if (kind === "Tanh") return a.map((v) => -2 * v * (1 - v * v));
  return a.map((v) => v * (1 - v) * (1 - 2 * v));
}

function scaleBy(a: Float64Array, s: Float64Array): Float64Array {
  return a.map((v, i) => v * s[i]!);
}

function addInPlace(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i]! += b[i]!;
}

interface LossRule {
  /** The mean loss of the outputs; writes δ = ∂ℓ/∂z. */
  value(z: Float64Array, delta: Float64Array): number;
  /** R{δ} for the direction R{z}. */
  r(z: Float64Array, rz: Float64Array): Float64Array;
  /** The per-sample Hessian of the loss in z, as a function of (sample, k, l). */
  curvature(z: Float64Array): (r: number, k: number, l: number) => number;
}

const LOSS_RULES = {
  CrossEntropyLoss: (data: Dataset, n: number, k: number): LossRule => {
    const labels = data.labels!;
    const probabilities = (z: Float64Array) => {
      const p = new Float64Array(z.length);
      for (let r = 0; r < n; r++) {
        let max = -Infinity, sum = 0;
        for (let o = 0; o < k; o++) max = Math.max(max, z[r * k + o]!);
        for (let o = 0; o < k; o++) sum += p[r * k + o] = Math.exp(z[r * k + o]! - max);
        for (let o = 0; o < k; o++) p[r * k + o]! /= sum;
      }
      return p;
    };
    return {
      value(z, delta) {
        const p = probabilities(z);
        let f = 0;
        for (let r = 0; r < n; r++) {
          const y = labels[r]!;
          f -= Math.log(p[r * k + y]!);
          for (let o = 0; o < k; o++) delta[r * k + o] = (p[r * k + o]! - (o === y ? 1 : 0)) / n;
        }
        return f / n;
      },
      r(z, rz) {
        const p = probabilities(z);
        const out = new Float64Array(z.length);
        for (let r = 0; r < n; r++) {
          let dot = 0;
          for (let o = 0; o < k; o++) dot += p[r * k + o]! * rz[r * k + o]!;
          for (let o = 0; o < k; o++) out[r * k + o] = (p[r * k + o]! * (rz[r * k + o]! - dot)) / n;
        }
        return out;
      },
      curvature(z) {
        const p = probabilities(z);
        return (r, a, b) => (p[r * k + a]! * ((a === b ? 1 : 0) - p[r * k + b]!)) / n;
      },
    };
  },
  MSELoss: (data: Dataset, n: number, k: number): LossRule => {
    const t = data.targets!;
    const m = n * k;
    return {
      value(z, delta) {
        let f = 0;
        for (let i = 0; i < m; i++) f += (z[i]! - t[i]!) ** 2, (delta[i] = (2 * (z[i]! - t[i]!)) / m);
        return f / m;
      },
      r: (_z, rz) => rz.map((v) => (2 * v) / m),
      curvature: () => (_r, a, b) => (a === b ? 2 / m : 0),
    };
  },
  BCEWithLogitsLoss: (data: Dataset, n: number, k: number): LossRule => {
    const t = data.targets!;
    const m = n * k;
    const s = (v: number) => 1 / (1 + Math.exp(-v));
    return {
      value(z, delta) {
        let f = 0;
        // softplus(z) − t z, computed stably
        for (let i = 0; i < m; i++) f += Math.max(z[i]!, 0) + Math.log1p(Math.exp(-Math.abs(z[i]!))) - t[i]! * z[i]!, (delta[i] = (s(z[i]!) - t[i]!) / m);
        return f / m;
      },
      r: (z, rz) => rz.map((v, i) => (s(z[i]!) * (1 - s(z[i]!)) * v) / m),
      curvature: (z) => (r, a, b) => (a === b ? (s(z[r * k + a]!) * (1 - s(z[r * k + a]!))) / m : 0),
    };
  },
};

/**
 * The dense Hessian of a single Linear layer z = W x + b: H[(k, j), (l, i)] = Σ_r S_r[k, l] x̃_rj x̃_ri, with S_r the
 * loss's curvature in z for sample r and x̃ = (x, 1) when there is a bias; a weighted Gram matrix per pair of outputs.
 */
function linearHessian(x: Float64Array, n: number, theta: Float64Array, op: Extract<Op, { kind: "Linear" }>, lossFn: LossRule, l2: number, size: number): Float64Array {
  const { inputs: d, outputs: k, w, b } = op;
  const curvature = lossFn.curvature(linear(x, theta, op, n));
  const cols = b >= 0 ? d + 1 : d;
  const xt = new Float64Array(n * cols); // x̃, row by row
  for (let r = 0; r < n; r++) {
    xt.set(x.subarray(r * d, (r + 1) * d), r * cols);
    if (b >= 0) xt[r * cols + d] = 1;
  }
  const index = (o: number, j: number) => (j < d ? w + o * d + j : b + o);
  const h = new Float64Array(size * size);
  const weights = new Float64Array(n);
  const gram = new Float64Array(cols * cols);
  for (let o1 = 0; o1 < k; o1++) {
    for (let o2 = o1; o2 < k; o2++) {
      let any = false;
      for (let r = 0; r < n; r++) any = (weights[r] = curvature(r, o1, o2)) !== 0 || any;
      if (!any) continue;
      // The upper triangle of Σ_r w_r x̃_r x̃_rᵀ, sample by sample (a rank-1 update per row).
      gram.fill(0);
      for (let r = 0; r < n; r++) {
        const wr = weights[r]!;
        if (wr === 0) continue;
        const row = r * cols;
        for (let j = 0; j < cols; j++) {
          const wj = wr * xt[row + j]!;
          if (wj === 0) continue;
          const g = j * cols;
          for (let i = j; i < cols; i++) gram[g + i]! += wj * xt[row + i]!;
        }
      }
      for (let j = 0; j < cols; j++) {
        for (let i = j; i < cols; i++) {
          const s = gram[j * cols + i]!;
          const a = index(o1, j), c = index(o2, i), a2 = index(o1, i), c2 = index(o2, j);
          h[a * size + c] = s, h[c * size + a] = s, h[a2 * size + c2] = s, h[c2 * size + a2] = s;
        }
      }
    }
  }
  for (let i = 0; i < size; i++) h[i * size + i]! += l2;
  return h;
}

const OBJECTIVE_OPTIONS = keysOf<ObjectiveOptions>({ l2: 1 });
