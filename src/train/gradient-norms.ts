// Per-parameter gradient norms, recorded every optimizer step by fit({ recordGradientNorms: true }):
//
//   ‖∇θ_j‖₂ = √(Σ_i g_ji²)   for every parameter tensor j (PyTorch's name: '0.weight', '0.bias', ...), measured
//                             after the backward pass and before clipping (the gradient the model produced)
//
// One f32_sum_squares kernel call per tensor over its slice of the flat gradient buffer (float64 sums, the same
// bits on every backend), into one Float32Array per tensor that grows by doubling like the step losses, so that
// recording a step allocates nothing once fit has reserved room for its steps. A step that is skipped
// (nonFinite: 'skip') is recorded too: series index i is the step of stepLosses[i].
import type { Parameter } from "../engine/parameter.js";
import type { Kernels } from "../kernels/kernels.js";

export class GradientNorms {
  /** The parameter tensors, in the model's order. */
  readonly names: readonly string[];
  private series: Float32Array[];
  private count = 0;

  constructor(names: readonly string[], capacity = 1024) {
    this.names = [...names];
    this.series = this.names.map(() => new Float32Array(capacity));
  }

  /** Steps recorded. */
  get steps(): number {
    return this.count;
  }

  /** The norm of every tensor at every step, values[j][i] for tensor j at step i + 1 (views, valid until the next record). */
  get values(): Float32Array[] {
    return this.series.map((s) => s.subarray(0, this.count));
  }

  /** The norms of one tensor, by its name (a view). */
  of(name: string): Float32Array {
    const j = this.names.indexOf(name);
    if (j < 0) throw new RangeError(`gradientNorms: no parameter '${name}' (known: ${this.names.join(", ")})`);
    return this.series[j]!.subarray(0, this.count);
  }

  /** Makes room for `steps` more steps, so that recording them allocates nothing. */
  reserve(steps: number): void {
    const capacity = this.series[0]?.length ?? 0;
    if (this.count + steps <= capacity) return;
    let grown = Math.max(1, capacity);
    while (grown < this.count + steps) grown *= 2;
    this.series = this.series.map((s) => {
      const next = new Float32Array(grown);
      next.set(s.subarray(0, this.count));
      return next;
    });
  }

  /** Measures and appends the gradient norm of each of `params` (in the order of `names`). */
  record(params: readonly Parameter[], kernels: Kernels): void {
    if (this.count === (this.series[0]?.length ?? 0)) this.reserve(1);
    const at = this.count;
    for (let j = 0; j < params.length; j++) {
      const g = params[j]!.gradSlice;
      this.series[j]![at] = Math.sqrt(kernels.f32_sum_squares(g.ptr, g.length));
    }
    this.count++;
  }

  /** The series as one [tensors × steps] row-major array (for checkpoints). */
  flat(): Float32Array {
    const out = new Float32Array(this.names.length * this.count);
    this.series.forEach((s, j) => out.set(s.subarray(0, this.count), j * this.count));
    return out;
  }

  /** Replaces the series with `steps` steps of a flat [tensors × steps] array. */
  restore(flat: Float32Array, steps: number): void {
    this.count = 0;
    this.reserve(steps);
    this.series.forEach((s, j) => s.set(flat.subarray(j * steps, (j + 1) * steps)));
    this.count = steps;
  }
}

export interface LayerNormSeries {
  /** The layers, by the part of the parameter names before the last '.' ('0' for '0.weight'), in order. */
  names: string[];
  /** values[l][i]: √(Σ over layer l's tensors of their squared norms) at step i + 1. */
  values: Float64Array[];
  /** The global norm of all gradients at every step (what clipGradNorm measures). */
  total: Float64Array;
}

/** The per-tensor norms combined per layer, and in all. */
export function layerNorms(norms: GradientNorms): LayerNormSeries {
  const layerOf = (name: string) => (name.includes(".") ? name.slice(0, name.lastIndexOf(".")) : name);
  const names = [...new Set(norms.names.map(layerOf))];
  const steps = norms.steps;
  const values = names.map(() => new Float64Array(steps));
  const total = new Float64Array(steps);
  norms.values.forEach((series, j) => {
    const into = values[names.indexOf(layerOf(norms.names[j]!))]!;
    for (let i = 0; i < steps; i++) into[i] += series[i]! * series[i]!;
  });
  for (const v of values) {
    for (let i = 0; i < steps; i++) total[i] += v[i]!;
    for (let i = 0; i < steps; i++) v[i] = Math.sqrt(v[i]!);
  }
  for (let i = 0; i < steps; i++) total[i] = Math.sqrt(total[i]!);
  return { names, values, total };
}
