// Projections of the weights after an optimizer step (Keras' constraints):
//
//   f32_max_norm_rows:  for each of `rows` rows of `cols` values:  w ← w · min(‖w‖, m) / (ε + ‖w‖)
//                       (tf.keras.constraints.MaxNorm: ‖w‖ over the axis of one output unit, ε = 1e-7); the norm
//                       is the fixed-order float64 sum of reduce.ts, the factor is computed in float64 and each
//                       value multiplied by it rounded to float32, so every build gives the same bits
//   the box [min, max] is f32_clamp (reduce.ts)
import { f32_scale, f32_sum_squares } from "../linalg/reduce";
import { at } from "../simd";

export function f32_max_norm_rows(p: usize, rows: i32, cols: i32, maxNorm: f64, eps: f64): void {
  for (let r = 0; r < rows; r++) {
    const row = p + at(r * cols);
    const norm = Math.sqrt(f32_sum_squares(row, cols));
    f32_scale(row, cols, <f32>(Math.min(norm, maxNorm) / (eps + norm)));
  }
}
