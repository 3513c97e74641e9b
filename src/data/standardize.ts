// Standardization of features, fitted on the training split and applied to every split (as scikit-learn's
// StandardScaler, population standard deviation):
//
//   μ_j = mean_i x_ij      σ_j = sqrt(mean_i (x_ij − μ_j)²)      x'_ij = (x_ij − μ_j) / σ_j
//
// A constant feature (σ_j = 0) is only centred. x is the value the model sees (stored · scale + offset).
import { Dataset } from "./dataset.js";

export class Standardizer {
  private constructor(
    /** Per-feature mean μ_j of the fitted split. */
    readonly mean: Float64Array,
    /** Per-feature standard deviation σ_j (1 where the feature is constant). */
    readonly std: Float64Array,
  ) {}

  /** Computes μ and σ of every feature of `train` (in float64). */
  static fit(train: Dataset): Standardizer {
    const n = train.length, k = train.featureSize;
    if (n === 0) throw new RangeError(`${train.name}: cannot fit a Standardizer on an empty dataset`);
    const mean = new Float64Array(k), std = new Float64Array(k);
    for (let i = 0; i < n; i++) for (let j = 0; j < k; j++) mean[j]! += train.value(i * k + j);
    for (let j = 0; j < k; j++) mean[j]! /= n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) std[j]! += (train.value(i * k + j) - mean[j]!) ** 2;
    }
    for (let j = 0; j < k; j++) std[j] = Math.sqrt(std[j]! / n) || 1;
    return new Standardizer(mean, std);
  }

  /** A float32 copy of `data` with every feature standardized by the fitted μ and σ. */
  apply(data: Dataset): Dataset {
    const k = this.mean.length;
    if (data.featureSize !== k) {
      throw new RangeError(`${data.name}: ${data.featureSize} features per sample, the Standardizer was fitted on ${k}`);
    }
    const x = new Float32Array(data.length * k);
    for (let i = 0; i < x.length; i++) x[i] = (data.value(i) - this.mean[i % k]!) / this.std[i % k]!;
    return data.derive({ x, scale: 1, offset: 0 });
  }
}
