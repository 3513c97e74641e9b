// Loss functions: each returns the SUM of the per-sample (per-element) losses in float64, and, when the gradient
// pointer is not 0, writes d(loss)/d(pred) scaled by gradScale (1/batch or 1/elements, from TypeScript):
//
//   cross entropy (fused log-softmax), per row:  ℓ = log Σ_j exp(x_j − m) + m − x_label,   m = max_j x_j
//                                                dx_j = (softmax(x)_j − [j = label]) · gradScale
//   mean squared error, per element:             ℓ = (p − t)²,   dp = (p − t) · gradScale   (gradScale = 2/N)
//   binary cross entropy with logits:            ℓ = max(x, 0) − x t + log(1 + exp(−|x|))
//                                                dx = (σ(x) − t) · gradScale
//
// Plus the label checks and the accuracy count. These loops run over batch × classes values, a sliver of a
// training step next to the matrix products, so they are scalar in every build (and bit-identical across them).
// Sums run in index order in float64.
import { at } from "../simd";
import { expf32, logf32 } from "./math";

/**
 * Σ over rows of the cross entropy of softmax(logits row) against the integer label, in float64; when dLogits
 * is not 0 it receives (softmax − one-hot) · gradScale.
 */
export function f32_cross_entropy(logits: usize, labels: usize, dLogits: usize, rows: i32, cols: i32, gradScale: f32): f64 {
  return dLogits ? crossEntropyLoop(logits, labels, dLogits, rows, cols, gradScale, true) : crossEntropyLoop(logits, labels, 0, rows, cols, gradScale, false);
}

// @ts-ignore: decorator
@inline function crossEntropyLoop(logits: usize, labels: usize, dLogits: usize, rows: i32, cols: i32, gradScale: f32, withGrad: bool): f64 {
  let total: f64 = 0;
  for (let r = 0; r < rows; r++) {
    const x = logits + at(r * cols);
    const d = dLogits + at(r * cols);
    const label = load<i32>(labels + at(r));
    let m = -Infinity as f32;
    for (let j = 0; j < cols; j++) m = max<f32>(m, load<f32>(x + at(j)));
    let s: f32 = 0;
    for (let j = 0; j < cols; j++) {
      const e = expf32(load<f32>(x + at(j)) - m);
      if (withGrad) store<f32>(d + at(j), e);
      s += e;
    }
    const lse: f32 = m + logf32(s);
    total += <f64>(lse - load<f32>(x + at(label)));
    if (withGrad) {
      for (let j = 0; j < cols; j++) {
        const p: f32 = load<f32>(d + at(j)) / s;
        store<f32>(d + at(j), (j == label ? p - 1 : p) * gradScale);
      }
    }
  }
  return total;
}

/** Σ (pred − target)² in float64; when dPred is not 0 it receives (pred − target) · gradScale. */
export function f32_mse(pred: usize, target: usize, dPred: usize, n: i32, gradScale: f32): f64 {
  return dPred ? mseLoop(pred, target, dPred, n, gradScale, true) : mseLoop(pred, target, 0, n, gradScale, false);
}

// @ts-ignore: decorator
@inline function mseLoop(pred: usize, target: usize, dPred: usize, n: i32, gradScale: f32, withGrad: bool): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const diff = load<f32>(pred + at(i)) - load<f32>(target + at(i));
    total += <f64>diff * <f64>diff;
    if (withGrad) store<f32>(dPred + at(i), diff * gradScale);
  }
  return total;
}

/** Σ of the binary cross entropy of sigmoid(pred) against target, in float64; dPred ← (σ(pred) − target) · gradScale. */
export function f32_bce_with_logits(pred: usize, target: usize, dPred: usize, n: i32, gradScale: f32): f64 {
  return dPred ? bceLoop(pred, target, dPred, n, gradScale, true) : bceLoop(pred, target, 0, n, gradScale, false);
}

// @ts-ignore: decorator
@inline function bceLoop(pred: usize, target: usize, dPred: usize, n: i32, gradScale: f32, withGrad: bool): f64 {
  let total: f64 = 0;
  for (let i = 0; i < n; i++) {
    const x = load<f32>(pred + at(i));
    const t = load<f32>(target + at(i));
    const e = expf32(-abs<f32>(x)); // exp(−|x|) in (0, 1]: no overflow on either side
    const loss: f32 = max<f32>(x, 0) - x * t + logf32(1 + e);
    total += <f64>loss;
    if (withGrad) {
      const sigmoid: f32 = x >= 0 ? 1 / (1 + e) : e / (1 + e);
      store<f32>(dPred + at(i), (sigmoid - t) * gradScale);
    }
  }
  return total;
}

/** Index of the first label outside [0, limit), or −1. */
export function i32_find_out_of_range(labels: usize, n: i32, limit: i32): i32 {
  for (let i = 0; i < n; i++) {
    const v = load<i32>(labels + at(i));
    if (v < 0 || v >= limit) return i;
  }
  return -1;
}

/** Number of rows whose first largest value sits at the row's label. */
export function f32_argmax_hits(pred: usize, labels: usize, rows: i32, cols: i32): i32 {
  let hits = 0;
  for (let r = 0; r < rows; r++) {
    const x = pred + at(r * cols);
    let best = 0;
    let bestValue = load<f32>(x);
    for (let j = 1; j < cols; j++) {
      const v = load<f32>(x + at(j));
      if (v > bestValue) {
        bestValue = v;
        best = j;
      }
    }
    if (best == load<i32>(labels + at(r))) hits++;
  }
  return hits;
}
