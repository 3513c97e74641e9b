// Flushing subnormal optimizer state to zero. Wasm has no flush-to-zero mode, and a moment that decays with no
// gradient (β m, β v on an input that stays 0) sinks into the subnormal floats and stays there (β · 2^-149
// rounds back to 2^-149), where every multiply takes the slow path of the CPU: an MLP epoch ran ~25 % slower
// from epoch 3 on. So the kernels that decay a state replace a value below the smallest normal float, 2^-126
// (1.2e-38), by +0 as they store it: one compare and one select.
//
// Why this keeps PyTorch's results (which does not flush on x86) to float32 precision: a flushed first moment
// or momentum buffer moves θ by less than γ · 2^-126 / ε, and a flushed second moment changes √v + ε by less
// than 2^-63, both far below an ulp of any θ above 1e-20 with the default ε. With ε = 0 a flushed v could
// divide by zero, so the Adam family flushes only when ε > 0 (`tiny` = 0 turns the flush off).

/** The smallest normal float32, 2^-126. */
export const MIN_NORMAL: f32 = 1.1754943508222875e-38;

/** x, or +0 when |x| < tiny (tiny = MIN_NORMAL to flush, 0 not to). */
// @ts-ignore: decorator
@inline export function flush(x: f32, tiny: f32): f32 {
  return abs<f32>(x) < tiny ? 0 : x;
}

/** flush on each lane (call only inside `if (ASC_FEATURE_SIMD)`). */
// @ts-ignore: decorator
@inline export function flushLanes(x: v128, vTiny: v128): v128 {
  return v128.andnot(x, f32x4.lt(f32x4.abs(x), vTiny));
}
