// Plain TypeScript twins of assembly/nn/activations.ts.
import type { Heap } from "../../heap.js";
import type { KernelsFrom } from "../../kernels.js";
import { erfcFactor, expf32, SQRT1_2, tanhf32 } from "./math.js";

const f = Math.fround;
const INV_SQRT_2PI = f(0.398942280401432678);

/** The kernels of assembly/nn/activations.ts, typed from the generated ABI. */
export type ActivationKernels = KernelsFrom<"nn/activations">;

/** Φ(x) from z = |x|/√2 and e = exp(−z²). */
function cdf(x: number, z: number, e: number): number {
  const h = f(0.5 * f(erfcFactor(z) * e));
  return x >= 0 ? f(1 - h) : h;
}

export function activationReference(heap: Heap) {
  return {
    f32_relu(y, x, n) {
      const m = heap.f32;
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) m[y + i] = Math.max(m[x + i]!, 0);
    },
    f32_relu_backward(dx, dy, x, n) {
      const m = heap.f32;
      dx >>>= 2, dy >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) m[dx + i] = m[x + i]! > 0 ? m[dy + i]! : 0;
    },
    f32_leaky_relu(y, x, n, slope) {
      const m = heap.f32;
      const a = f(slope);
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = m[x + i]!;
        m[y + i] = v > 0 ? v : a * v;
      }
    },
    f32_leaky_relu_backward(dx, dy, x, n, slope) {
      const m = heap.f32;
      const a = f(slope);
      dx >>>= 2, dy >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) {
        const g = m[dy + i]!;
        m[dx + i] = m[x + i]! > 0 ? g : a * g;
      }
    },
    f32_sigmoid(y, x, n) {
      const m = heap.f32;
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) m[y + i] = 1 / f(expf32(-m[x + i]!) + 1);
    },
    f32_sigmoid_backward(dx, dy, y, n) {
      const m = heap.f32;
      dx >>>= 2, dy >>>= 2, y >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = m[y + i]!;
        m[dx + i] = m[dy + i]! * f(f(1 - v) * v);
      }
    },
    f32_tanh(y, x, n) {
      const m = heap.f32;
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) m[y + i] = tanhf32(m[x + i]!);
    },
    f32_tanh_backward(dx, dy, y, n) {
      const m = heap.f32;
      dx >>>= 2, dy >>>= 2, y >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = m[y + i]!;
        m[dx + i] = m[dy + i]! * f(1 - f(v * v));
      }
    },
    f32_gelu(y, x, n) {
      const m = heap.f32;
      y >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = m[x + i]!;
        const z = f(Math.abs(v) * SQRT1_2);
        m[y + i] = v * cdf(v, z, expf32(-f(z * z)));
      }
    },
    f32_gelu_backward(dx, dy, x, n) {
      const m = heap.f32;
      dx >>>= 2, dy >>>= 2, x >>>= 2;
      for (let i = 0; i < n; i++) {
        const v = m[x + i]!;
        const z = f(Math.abs(v) * SQRT1_2);
        const e = expf32(-f(z * z));
        const pdf = f(INV_SQRT_2PI * e);
        m[dx + i] = m[dy + i]! * f(f(v * pdf) + cdf(v, z, e));
      }
    },
  } satisfies ActivationKernels;
}
