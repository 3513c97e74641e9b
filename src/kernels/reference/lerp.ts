// torch's lerp in float32, as the kernels compute it (assembly/optim/lerp.ts): the twins of Adafactor, Muon,
// schedule-free and AveragedModel's EMA share it.
const f = Math.fround;

/** a + w (b − a) for |w| < 0.5, b − (b − a)(1 − w) otherwise (omw = 1 − w), rounded to float32 at each step. */
export function torchLerp(a: number, b: number, w: number, omw: number): number {
  return Math.abs(w) < 0.5 ? f(a + f(w * f(b - a))) : f(b - f(f(b - a) * omw));
}
