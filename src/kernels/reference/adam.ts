// Plain TypeScript twins of assembly/optim/adam.ts (same arithmetic, float32 rounding after each operation).
// omb1 = 1 − β1 and omb2 = 1 − β2 are computed by the caller in float64, as torch does.
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";

const f = Math.fround;

/** The kernels of assembly/optim/adam.ts, typed from the generated ABI. */
export type AdamKernels = KernelsFrom<"optim/adam">;

export function adamReference(heap: Heap) {
  /** The body of Adam and AdamW: `decoupled` multiplies θ by `decay`, otherwise g gets λθ added. */
  function adam(
    p: number, g: number, m: number, v: number, vmax: number, n: number,
    beta1: number, beta2: number, omb1: number, omb2: number, eps: number, weightDecay: number, decay: number,
    stepSize: number, invBc2Sqrt: number, gradSign: number, amsgrad: number, decoupled: boolean,
  ): void {
    const h = heap.f32;
    const b1 = f(beta1), b2 = f(beta2), c1 = f(omb1), c2 = f(omb2), e = f(eps);
    const wd = f(weightDecay), dec = f(decay), negStep = f(-stepSize), invBc2 = f(invBc2Sqrt), sign = f(gradSign);
    p >>= 2, g >>= 2, m >>= 2, v >>= 2, vmax >>= 2;
    for (let i = 0; i < n; i++) {
      let pi = h[p + i]!;
      let gi = f(sign * h[g + i]!);
      if (decoupled) pi = f(pi * dec);
      else gi = f(f(wd * pi) + gi);
      const mi = f(f(b1 * h[m + i]!) + f(c1 * gi));
      let vi = f(f(f(c2 * gi) * gi) + f(b2 * h[v + i]!));
      h[m + i] = mi;
      h[v + i] = vi;
      if (amsgrad) {
        vi = Math.max(h[vmax + i]!, vi);
        h[vmax + i] = vi;
      }
      const denom = f(f(f(Math.sqrt(vi)) * invBc2) + e);
      h[p + i] = f(f(negStep * f(mi / denom)) + pi);
    }
  }

  return {
    f32_adam(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, stepSize, invBc2Sqrt, gradSign, amsgrad) {
      adam(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, 1, stepSize, invBc2Sqrt, gradSign, amsgrad, false);
    },
    f32_adamw(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, decay, stepSize, invBc2Sqrt, gradSign, amsgrad) {
      adam(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, 0, decay, stepSize, invBc2Sqrt, gradSign, amsgrad, true);
    },
    f32_adamax(p, g, m, u, n, beta1, beta2, omb1, eps, weightDecay, stepSize, gradSign) {
      const h = heap.f32;
      const b1 = f(beta1), b2 = f(beta2), c1 = f(omb1), e = f(eps);
      const wd = f(weightDecay), negStep = f(-stepSize), sign = f(gradSign);
      p >>= 2, g >>= 2, m >>= 2, u >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = h[p + i]!;
        const gi = f(f(wd * pi) + f(sign * h[g + i]!));
        const mi = f(f(b1 * h[m + i]!) + f(c1 * gi));
        const ui = Math.max(f(b2 * h[u + i]!), f(Math.abs(gi) + e));
        h[m + i] = mi;
        h[u + i] = ui;
        h[p + i] = f(f(negStep * f(mi / ui)) + pi);
      }
    },
    f32_nadam(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, bc2, gradCoef, avgCoef, gradSign) {
      const h = heap.f32;
      const b1 = f(beta1), b2 = f(beta2), c1 = f(omb1), c2 = f(omb2), e = f(eps);
      const wd = f(weightDecay), dec = f(decay), sign = f(gradSign), bc = f(bc2), cg = f(gradCoef), cm = f(avgCoef);
      p >>= 2, g >>= 2, m >>= 2, v >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = f(h[p + i]! * dec);
        const gi = f(f(wd * pi) + f(sign * h[g + i]!));
        const mi = f(f(b1 * h[m + i]!) + f(c1 * gi));
        const vi = f(f(f(c2 * gi) * gi) + f(b2 * h[v + i]!));
        h[m + i] = mi;
        h[v + i] = vi;
        const denom = f(f(Math.sqrt(f(vi / bc))) + e);
        const pj = f(f(cg * f(gi / denom)) + pi);
        h[p + i] = f(f(cm * f(mi / denom)) + pj);
      }
    },
    f32_radam(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, rectified, gradSign) {
      const h = heap.f32;
      const b1 = f(beta1), b2 = f(beta2), c1 = f(omb1), c2 = f(omb2), e = f(eps);
      const wd = f(weightDecay), dec = f(decay), negStep = f(-stepSize), sign = f(gradSign);
      p >>= 2, g >>= 2, m >>= 2, v >>= 2;
      for (let i = 0; i < n; i++) {
        const pi = f(h[p + i]! * dec);
        const gi = f(f(wd * pi) + f(sign * h[g + i]!));
        const mi = f(f(b1 * h[m + i]!) + f(c1 * gi));
        const vi = f(f(f(c2 * gi) * gi) + f(b2 * h[v + i]!));
        h[m + i] = mi;
        h[v + i] = vi;
        const update = rectified ? f(mi / f(f(Math.sqrt(vi)) + e)) : mi;
        h[p + i] = f(f(negStep * update) + pi);
      }
    },
  } satisfies AdamKernels;
}
