// Plain TypeScript twins of assembly/optim/adam.ts (same arithmetic, float32 rounding after each operation).
// omb1 = 1 − β1 and omb2 = 1 − β2 are computed by the caller in float64, as torch does. As in the kernels, one
// loop (`family`) holds the weight decays and the moment updates, and only the step of θ depends on the algorithm.
// Two factors of the second moment's bias correction bc2 = 1 − β2^t travel under two names: NAdam takes `bc2`
// itself (it divides v by it), Adam and AdamW take `invBc2Sqrt` = 1 / √bc2 (they multiply √v by it).
import type { Heap } from "../heap.js";
import type { KernelsFrom } from "../kernels.js";
import { flush, MIN_NORMAL } from "./flush.js";

const f = Math.fround;

/** The kernels of assembly/optim/adam.ts, typed from the generated ABI. */
export type AdamKernels = KernelsFrom<"optim/adam">;

type Kind = "adam" | "adamax" | "nadam" | "radam";

/** Everything the family's loop takes besides the buffers; each kernel sets the ones it uses. */
interface FamilyScalars {
  beta1: number; beta2: number; omb1: number; omb2: number; eps: number;
  /** L2 weight decay λ (added to the gradient when `l2`). */
  weightDecay: number;
  /** Decoupled weight decay 1 − γλ (θ multiplied by it when `scaleByDecay`). */
  decay: number;
  stepSize: number;
  /** Adam: 1 / √(1 − β2^t). */
  invBc2Sqrt: number;
  /** NAdam: 1 − β2^t. */
  bc2: number;
  gradCoef: number; avgCoef: number; gradSign: number;
  /** amsgrad (Adam), rectified (RAdam). */
  flag: number;
  scaleByDecay: boolean;
  l2: boolean;
}

const NONE = { weightDecay: 0, decay: 1, stepSize: 0, invBc2Sqrt: 0, bc2: 0, gradCoef: 0, avgCoef: 0, omb2: 0, flag: 0 };

export function adamReference(heap: Heap) {
  /** The loop of every kernel of the family; v is Adamax's u, vmax only Adam's (with amsgrad). */
  function family(kind: Kind, p: number, g: number, m: number, v: number, vmax: number, n: number, s: FamilyScalars): void {
    const h = heap.f32;
    const b1 = f(s.beta1), b2 = f(s.beta2), c1 = f(s.omb1), c2 = f(s.omb2), e = f(s.eps);
    const wd = f(s.weightDecay), dec = f(s.decay), negStep = f(-s.stepSize), sign = f(s.gradSign);
    const invBc2Sqrt = f(s.invBc2Sqrt), bc2 = f(s.bc2), gradCoef = f(s.gradCoef), avgCoef = f(s.avgCoef);
    const { flag, scaleByDecay, l2 } = s;
    const tiny = e > 0 ? MIN_NORMAL : 0; // subnormal m and v stored as 0 (./flush.ts)
    p >>>= 2, g >>>= 2, m >>>= 2, v >>>= 2, vmax >>>= 2;
    for (let i = 0; i < n; i++) {
      let pi = h[p + i]!;
      if (scaleByDecay) pi = f(pi * dec); //               θ = θ (1 − γλ)
      let gi = f(sign * h[g + i]!);
      if (l2) gi = f(f(wd * pi) + gi); //                  g = g + λθ
      const mi = flush(f(f(b1 * h[m + i]!) + f(c1 * gi)), tiny); // m = β1 m + (1 − β1) g
      h[m + i] = mi;
      if (kind === "adamax") {
        const ui = flush(Math.max(f(b2 * h[v + i]!), f(Math.abs(gi) + e)), tiny); // u = max(β2 u, |g| + ε)
        h[v + i] = ui;
        h[p + i] = f(f(negStep * f(mi / ui)) + pi);
        continue;
      }
      let vi = flush(f(f(f(c2 * gi) * gi) + f(b2 * h[v + i]!)), tiny); // v = β2 v + (1 − β2) g²
      h[v + i] = vi;
      if (kind === "adam") {
        if (flag) {
          vi = Math.max(h[vmax + i]!, vi);
          h[vmax + i] = vi;
        }
        const denom = f(f(f(Math.sqrt(vi)) * invBc2Sqrt) + e);
        h[p + i] = f(f(negStep * f(mi / denom)) + pi);
      } else if (kind === "nadam") {
        const denom = f(f(Math.sqrt(f(vi / bc2))) + e);
        pi = f(f(gradCoef * f(gi / denom)) + pi);
        h[p + i] = f(f(avgCoef * f(mi / denom)) + pi);
      } else {
        const update = flag ? f(mi / f(f(Math.sqrt(vi)) + e)) : mi;
        h[p + i] = f(f(negStep * update) + pi);
      }
    }
  }

  return {
    f32_adam(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, weightDecay, stepSize, invBc2Sqrt, gradSign, amsgrad) {
      family("adam", p, g, m, v, vmax, n, {
        ...NONE, beta1, beta2, omb1, omb2, eps, weightDecay, stepSize, invBc2Sqrt, gradSign, flag: amsgrad, scaleByDecay: false, l2: true,
      });
    },
    f32_adamw(p, g, m, v, vmax, n, beta1, beta2, omb1, omb2, eps, decay, stepSize, invBc2Sqrt, gradSign, amsgrad) {
      family("adam", p, g, m, v, vmax, n, {
        ...NONE, beta1, beta2, omb1, omb2, eps, decay, stepSize, invBc2Sqrt, gradSign, flag: amsgrad, scaleByDecay: true, l2: false,
      });
    },
    f32_adamax(p, g, m, u, n, beta1, beta2, omb1, eps, weightDecay, stepSize, gradSign) {
      family("adamax", p, g, m, u, 0, n, { ...NONE, beta1, beta2, omb1, eps, weightDecay, stepSize, gradSign, scaleByDecay: false, l2: true });
    },
    f32_nadam(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, bc2, gradCoef, avgCoef, gradSign) {
      family("nadam", p, g, m, v, 0, n, {
        ...NONE, beta1, beta2, omb1, omb2, eps, weightDecay, decay, bc2, gradCoef, avgCoef, gradSign, scaleByDecay: true, l2: true,
      });
    },
    f32_radam(p, g, m, v, n, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, rectified, gradSign) {
      family("radam", p, g, m, v, 0, n, {
        ...NONE, beta1, beta2, omb1, omb2, eps, weightDecay, decay, stepSize, gradSign, flag: rectified, scaleByDecay: true, l2: true,
      });
    },
  } satisfies AdamKernels;
}
