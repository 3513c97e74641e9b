// Embedding (torch.nn.Embedding): token ids, stored as floats in the model's input, select rows of the weight.
//
//   forward   y[i, :] = W[id_i, :]          backward   ∂W[id_i, :] += dy[i, :]   (in order of i)
import { at } from "../simd";

/** y[i, :] = weight[ids[i], :] for the n ids; each id is an integer in range (checked by f32_find_bad_id). */
export function f32_embedding(y: usize, weight: usize, ids: usize, n: i32, dim: i32): void {
  const row = at(dim);
  for (let i = 0; i < n; i++) memory.copy(y + at(i * dim), weight + at(<i32>load<f32>(ids + at(i)) * dim), row);
}

/** dWeight[ids[i], :] += dy[i, :], for i = 0, 1, …, n − 1 in order (repeated ids accumulate in that order). */
export function f32_embedding_backward(dWeight: usize, dy: usize, ids: usize, n: i32, dim: i32): void {
  const end = ASC_FEATURE_SIMD ? dim & ~3 : 0;
  for (let i = 0; i < n; i++) {
    const w = dWeight + at(<i32>load<f32>(ids + at(i)) * dim), g = dy + at(i * dim);
    if (ASC_FEATURE_SIMD) {
      for (let j = 0; j < end; j += 4) v128.store(w + at(j), f32x4.add(v128.load(w + at(j)), v128.load(g + at(j))));
    }
    for (let j = end; j < dim; j++) store<f32>(w + at(j), load<f32>(w + at(j)) + load<f32>(g + at(j)));
  }
}

/** The first i whose ids[i] is not an integer in [0, limit), or −1. */
export function f32_find_bad_id(ids: usize, n: i32, limit: i32): i32 {
  const top = <f32>limit;
  for (let i = 0; i < n; i++) {
    const v = load<f32>(ids + at(i));
    if (!(v >= 0 && v < top && floor<f32>(v) == v)) return i;
  }
  return -1;
}
