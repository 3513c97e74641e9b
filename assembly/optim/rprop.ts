// Rprop (torch.optim.Rprop), one step over n elements, with per-element step sizes η and previous gradients:
//
//   g_t = ±∇f(θ_{t-1})                               (gradSign = -1 when maximizing)
//   if g_{t-1} g_t > 0:  η_t = η_{t-1} η₊
//   if g_{t-1} g_t < 0:  η_t = η_{t-1} η₋,  g_t = 0
//   else:                η_t = η_{t-1}
//   η_t = clamp(η_t, Γ_min, Γ_max)
//   θ_t = θ_{t-1} − η_t sign(g_t)
//   (η_0 = lr and g_0 = 0, set by the TypeScript side before the first step)
import { at, simdEnd } from "../simd";

/** One Rprop step over the parameters p, gradients g, previous gradients `prev` and step sizes `stepSize`. */
export function f32_rprop(
  p: usize, g: usize, prev: usize, stepSize: usize, n: i32,
  etaMinus: f32, etaPlus: f32, stepMin: f32, stepMax: f32, gradSign: f32,
): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vEtaMinus = f32x4.splat(etaMinus);
    const vEtaPlus = f32x4.splat(etaPlus);
    const vMin = f32x4.splat(stepMin);
    const vMax = f32x4.splat(stepMax);
    const vSign = f32x4.splat(gradSign);
    const vZero = f32x4.splat(0);
    const vOne = f32x4.splat(1);
    const vMinusOne = f32x4.splat(-1);
    for (let i = 0; i < end; i += 4) {
      const vg = f32x4.mul(vSign, v128.load(g + at(i)));
      const vProduct = f32x4.mul(vg, v128.load(prev + at(i)));
      const up = f32x4.gt(vProduct, vZero);
      const down = f32x4.lt(vProduct, vZero);
      const factor = v128.bitselect(vEtaPlus, v128.bitselect(vEtaMinus, vOne, down), up);
      const vStep = f32x4.min(f32x4.max(f32x4.mul(v128.load(stepSize + at(i)), factor), vMin), vMax);
      v128.store(stepSize + at(i), vStep);
      const vKept = v128.andnot(vg, down); // the gradient, zeroed where its sign flipped
      v128.store(prev + at(i), vKept);
      const direction = v128.bitselect(vOne, v128.and(vMinusOne, f32x4.lt(vKept, vZero)), f32x4.gt(vKept, vZero));
      v128.store(p + at(i), f32x4.sub(v128.load(p + at(i)), f32x4.mul(direction, vStep)));
    }
  }
  for (let i = end; i < n; i++) {
    const gi: f32 = gradSign * load<f32>(g + at(i));
    const product: f32 = gi * load<f32>(prev + at(i));
    const factor: f32 = product > 0 ? etaPlus : product < 0 ? etaMinus : 1;
    const si = min<f32>(max<f32>(load<f32>(stepSize + at(i)) * factor, stepMin), stepMax);
    store<f32>(stepSize + at(i), si);
    const kept: f32 = product < 0 ? 0 : gi;
    store<f32>(prev + at(i), kept);
    const direction: f32 = kept > 0 ? 1 : kept < 0 ? -1 : 0;
    store<f32>(p + at(i), load<f32>(p + at(i)) - direction * si);
  }
}
