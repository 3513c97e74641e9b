// The running average of torch.optim.swa_utils.AveragedModel's default avg_fn (torch 1.13: torch/optim/swa_utils.py;
// get_swa_multi_avg_fn in PyTorch 2.x), over the whole parameter chunk in one call:
//
//   θ_avg ← θ_avg + (θ − θ_avg) / (n + 1)        (n = the models averaged so far; count = n + 1)
//
// The exponential moving average (get_ema_multi_avg_fn) is f32_lerp(θ_avg, θ, 1 − decay), in ./schedule-free.ts.
import { at, simdEnd } from "../simd";

/** avg ← avg + (p − avg) / count. */
export function f32_swa_average(avg: usize, p: usize, n: i32, count: f32): void {
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    const vc = f32x4.splat(count);
    for (let i = 0; i < end; i += 4) {
      const va = v128.load(avg + at(i));
      v128.store(avg + at(i), f32x4.add(va, f32x4.div(f32x4.sub(v128.load(p + at(i)), va), vc)));
    }
  }
  for (let i = end; i < n; i++) {
    const a = load<f32>(avg + at(i));
    store<f32>(avg + at(i), a + (load<f32>(p + at(i)) - a) / count);
  }
}
