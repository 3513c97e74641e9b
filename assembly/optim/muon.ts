// Muon's element-wise kernels (torch.optim.Muon, PyTorch 2.9: torch/optim/_muon.py, _single_tensor_muon); the
// Newton-Schulz iteration between them is GEMMs (assembly/linalg/gemm.ts) and f32_axpby, driven from
// src/optim/muon.ts:
//
//   B ← lerp(B, G, 1 − μ)                         (B ← μ B + (1 − μ) G: torch's code is an average, not μB + G)
//   U = lerp(G, B, μ) if nesterov, else B        (f32_muon_momentum)
//   Uᵀ when the matrix has more rows than columns (f32_transpose), so the Gram matrix X Xᵀ is the smaller one.
//
// lerp is torch's: a + w (b − a) for |w| < 0.5, b − (b − a)(1 − w) otherwise; μ and 1 − μ come from TypeScript.
import { at, simdEnd } from "../simd";
import { lerp1, lerp4 } from "./lerp";



/** buf ← lerp(buf, g, 1 − μ);  u ← lerp(g, buf, μ) (nesterov ≠ 0) or buf. */
export function f32_muon_momentum(u: usize, g: usize, buf: usize, n: i32, momentum: f32, omMomentum: f32, nesterov: i32): void {
  const end = simdEnd(n);
  const smallB = abs<f32>(omMomentum) < 0.5, smallU = abs<f32>(momentum) < 0.5;
  if (ASC_FEATURE_SIMD) {
    const vMu = f32x4.splat(momentum), vOm = f32x4.splat(omMomentum);
    for (let i = 0; i < end; i += 4) {
      const vg = v128.load(g + at(i));
      const vb = lerp4(v128.load(buf + at(i)), vg, smallB, vOm, vMu);
      v128.store(buf + at(i), vb);
      v128.store(u + at(i), nesterov ? lerp4(vg, vb, smallU, vMu, vOm) : vb);
    }
  }
  for (let i = end; i < n; i++) {
    const gi = load<f32>(g + at(i));
    const bi = lerp1(load<f32>(buf + at(i)), gi, omMomentum, momentum);
    store<f32>(buf + at(i), bi);
    store<f32>(u + at(i), nesterov ? lerp1(gi, bi, momentum, omMomentum) : bi);
  }
}

/** dst[cols × rows] ← src[rows × cols]ᵀ (distinct buffers). */
export function f32_transpose(dst: usize, src: usize, rows: i32, cols: i32): void {
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) store<f32>(dst + at(j * rows + i), load<f32>(src + at(i * cols + j)));
  }
}
