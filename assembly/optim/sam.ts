// Adaptive SAM's element-wise weighting (Kwon et al. 2021, ASAM; davda54/sam, sam.py): the gradient weighted by
// the parameters' size, |θ| g for the norm of the perturbation and θ² g for the perturbation itself. Plain SAM
// needs none: f32_sum_squares of g and f32_axpy (src/optim/sam.ts).
import { at, simdEnd } from "../simd";

/** out ← |p| · g (square = 0) or p² · g (square = 1). */
export function f32_sam_weighted(out: usize, p: usize, g: usize, n: i32, square: i32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    for (let i = 0; i < end; i += 4) {
      const vp = v128.load(p + at(i));
      const w = square ? f32x4.mul(vp, vp) : f32x4.abs(vp);
      v128.store(out + at(i), f32x4.mul(w, v128.load(g + at(i))));
    }
  }
  for (let i = end; i < n; i++) {
    const pi = load<f32>(p + at(i));
    store<f32>(out + at(i), (square ? pi * pi : abs<f32>(pi)) * load<f32>(g + at(i)));
  }
}
