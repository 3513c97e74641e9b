// The element-wise step of the recurrent cells (torch.nn.LSTM and GRU), forward and backward, on `rows` rows
// (the batch) of `hidden` units. The matrix products around them run on the GEMM kernels. Rows of gates hold
// PyTorch's gate order, `hidden` values per gate: LSTM [i, f, g, o], GRU [r, z, n].
//
//   LSTM   i = σ(a_i)  f = σ(a_f)  g = tanh(a_g)  o = σ(a_o)     (a = x W_ihᵀ + b_ih + h W_hhᵀ + b_hh)
//          c' = f c + i g      h' = o tanh(c')
//   back   dc̃ = dc' + dh' o (1 − tanh²c')
//          da_i = dc̃ g (1 − i) i   da_f = dc̃ c (1 − f) f   da_g = dc̃ i (1 − g²)   da_o = dh' tanh c' (1 − o) o
//          dc = dc̃ f
//   GRU    r = σ(x_r + h_r)  z = σ(x_z + h_z)  n = tanh(x_n + r h_n)    (x = x W_ihᵀ + b_ih, h = h W_hhᵀ + b_hh)
//          h' = (h − n) z + n                                             (as ATen's GRU cell writes it)
//   back   da_n = dh' (1 − z)(1 − n²)   da_z = dh' (h − n)(1 − z) z   da_r = da_n h_n (1 − r) r
//          dx = [da_r, da_z, da_n]   dh_gates = [da_r, da_z, da_n r]   dh += dh' z
//
// Each kernel loops over rows, and within a row over units four at a time, then a scalar tail.
import { at, madd } from "../simd";
import { expV, expf32, sigmoidf32, sigmoidV, tanhf32, tanhV } from "./math";

/**
 * LSTM step: gates[rows × 4H] holds the pre-activations and receives i, f, g, o; from cPrev it writes c, tanh c
 * (tc, kept for backward) and h, each [rows × H].
 */
export function f32_lstm_cell(gates: usize, cPrev: usize, c: usize, tc: usize, h: usize, rows: i32, hidden: i32): void {
  const end = ASC_FEATURE_SIMD ? hidden & ~3 : 0;
  for (let r = 0; r < rows; r++) {
    const gi = gates + at(r * 4 * hidden), gf = gi + at(hidden), gg = gf + at(hidden), go = gg + at(hidden);
    const o = at(r * hidden);
    if (ASC_FEATURE_SIMD) {
      for (let j = 0; j < end; j += 4) {
        const q = at(j);
        const i = sigmoidV(v128.load(gi + q)), f = sigmoidV(v128.load(gf + q));
        const g = tanhV(v128.load(gg + q)), og = sigmoidV(v128.load(go + q));
        const cv = madd(f, v128.load(cPrev + o + q), f32x4.mul(i, g));
        const t = tanhV(cv);
        v128.store(gi + q, i), v128.store(gf + q, f), v128.store(gg + q, g), v128.store(go + q, og);
        v128.store(c + o + q, cv), v128.store(tc + o + q, t), v128.store(h + o + q, f32x4.mul(og, t));
      }
    }
    for (let j = end; j < hidden; j++) {
      const q = at(j);
      const i = sigmoidf32(load<f32>(gi + q)), f = sigmoidf32(load<f32>(gf + q));
      const g = tanhf32(load<f32>(gg + q)), og = sigmoidf32(load<f32>(go + q));
      const cv = f * load<f32>(cPrev + o + q) + i * g;
      const t = tanhf32(cv);
      store<f32>(gi + q, i), store<f32>(gf + q, f), store<f32>(gg + q, g), store<f32>(go + q, og);
      store<f32>(c + o + q, cv), store<f32>(tc + o + q, t), store<f32>(h + o + q, og * t);
    }
  }
}

/**
 * LSTM step backward: from dh (the gradient w.r.t. this step's h) and dc (w.r.t. its c, from the step after),
 * with the step's gates (i, f, g, o), cPrev and tc, writes dGates[rows × 4H] (w.r.t. the pre-activations) and
 * replaces dc with the gradient w.r.t. cPrev.
 */
export function f32_lstm_cell_backward(dGates: usize, dh: usize, dc: usize, gates: usize, cPrev: usize, tc: usize, rows: i32, hidden: i32): void {
  const end = ASC_FEATURE_SIMD ? hidden & ~3 : 0;
  for (let r = 0; r < rows; r++) {
    const gi = gates + at(r * 4 * hidden), gf = gi + at(hidden), gg = gf + at(hidden), go = gg + at(hidden);
    const di = dGates + at(r * 4 * hidden), df = di + at(hidden), dg = df + at(hidden), dO = dg + at(hidden);
    const o = at(r * hidden);
    if (ASC_FEATURE_SIMD) {
      const one = f32x4.splat(1);
      for (let j = 0; j < end; j += 4) {
        const q = at(j);
        const i = v128.load(gi + q), f = v128.load(gf + q), g = v128.load(gg + q), og = v128.load(go + q);
        const t = v128.load(tc + o + q), d = v128.load(dh + o + q);
        const dct = madd(f32x4.mul(d, og), f32x4.sub(one, f32x4.mul(t, t)), v128.load(dc + o + q));
        v128.store(di + q, f32x4.mul(f32x4.mul(dct, g), f32x4.mul(f32x4.sub(one, i), i)));
        v128.store(df + q, f32x4.mul(f32x4.mul(dct, v128.load(cPrev + o + q)), f32x4.mul(f32x4.sub(one, f), f)));
        v128.store(dg + q, f32x4.mul(f32x4.mul(dct, i), f32x4.sub(one, f32x4.mul(g, g))));
        v128.store(dO + q, f32x4.mul(f32x4.mul(d, t), f32x4.mul(f32x4.sub(one, og), og)));
        v128.store(dc + o + q, f32x4.mul(dct, f));
      }
    }
    for (let j = end; j < hidden; j++) {
      const q = at(j);
      const i = load<f32>(gi + q), f = load<f32>(gf + q), g = load<f32>(gg + q), og = load<f32>(go + q);
      const t = load<f32>(tc + o + q), d = load<f32>(dh + o + q);
      const dct: f32 = (d * og) * (1 - t * t) + load<f32>(dc + o + q);
      store<f32>(di + q, (dct * g) * ((1 - i) * i));
      store<f32>(df + q, (dct * load<f32>(cPrev + o + q)) * ((1 - f) * f));
      store<f32>(dg + q, (dct * i) * (1 - g * g));
      store<f32>(dO + q, (d * t) * ((1 - og) * og));
      store<f32>(dc + o + q, dct * f);
    }
  }
}

/**
 * GRU step: gx[rows × 3H] holds x W_ihᵀ + b_ih and receives r, z, n; gh[rows × 3H] holds h W_hhᵀ + b_hh (kept
 * for backward); from hPrev it writes h [rows × H].
 */
export function f32_gru_cell(gx: usize, gh: usize, hPrev: usize, h: usize, rows: i32, hidden: i32): void {
  const end = ASC_FEATURE_SIMD ? hidden & ~3 : 0;
  for (let r = 0; r < rows; r++) {
    const xr = gx + at(r * 3 * hidden), xz = xr + at(hidden), xn = xz + at(hidden);
    const hr = gh + at(r * 3 * hidden), hz = hr + at(hidden), hn = hz + at(hidden);
    const o = at(r * hidden);
    if (ASC_FEATURE_SIMD) {
      for (let j = 0; j < end; j += 4) {
        const q = at(j);
        const rg = sigmoidV(f32x4.add(v128.load(xr + q), v128.load(hr + q)));
        const z = sigmoidV(f32x4.add(v128.load(xz + q), v128.load(hz + q)));
        const n = tanhV(madd(rg, v128.load(hn + q), v128.load(xn + q)));
        v128.store(xr + q, rg), v128.store(xz + q, z), v128.store(xn + q, n);
        v128.store(h + o + q, madd(f32x4.sub(v128.load(hPrev + o + q), n), z, n));
      }
    }
    for (let j = end; j < hidden; j++) {
      const q = at(j);
      const rg = sigmoidf32(load<f32>(xr + q) + load<f32>(hr + q));
      const z = sigmoidf32(load<f32>(xz + q) + load<f32>(hz + q));
      const n = tanhf32(rg * load<f32>(hn + q) + load<f32>(xn + q));
      store<f32>(xr + q, rg), store<f32>(xz + q, z), store<f32>(xn + q, n);
      store<f32>(h + o + q, (load<f32>(hPrev + o + q) - n) * z + n);
    }
  }
}

/**
 * GRU step backward: from dh (w.r.t. this step's h), the gates (r, z, n), gh and hPrev, writes dgx [rows × 3H]
 * (w.r.t. x W_ihᵀ + b_ih) and dgh [rows × 3H] (w.r.t. h W_hhᵀ + b_hh); adds dh z into dhPrev unless `carry` is 0.
 */
export function f32_gru_cell_backward(
  dgx: usize, dgh: usize, dhPrev: usize, dh: usize, gates: usize, gh: usize, hPrev: usize, rows: i32, hidden: i32, carry: i32,
): void {
  const end = ASC_FEATURE_SIMD ? hidden & ~3 : 0;
  for (let r = 0; r < rows; r++) {
    const gr = gates + at(r * 3 * hidden), gz = gr + at(hidden), gn = gz + at(hidden);
    const hn = gh + at(r * 3 * hidden) + at(2 * hidden);
    const xr = dgx + at(r * 3 * hidden), xz = xr + at(hidden), xn = xz + at(hidden);
    const yr = dgh + at(r * 3 * hidden), yz = yr + at(hidden), yn = yz + at(hidden);
    const o = at(r * hidden);
    if (ASC_FEATURE_SIMD) {
      const one = f32x4.splat(1);
      for (let j = 0; j < end; j += 4) {
        const q = at(j);
        const rg = v128.load(gr + q), z = v128.load(gz + q), n = v128.load(gn + q), d = v128.load(dh + o + q);
        const an = f32x4.mul(f32x4.mul(d, f32x4.sub(one, z)), f32x4.sub(one, f32x4.mul(n, n)));
        const az = f32x4.mul(f32x4.mul(d, f32x4.sub(v128.load(hPrev + o + q), n)), f32x4.mul(f32x4.sub(one, z), z));
        const ar = f32x4.mul(f32x4.mul(an, v128.load(hn + q)), f32x4.mul(f32x4.sub(one, rg), rg));
        v128.store(xr + q, ar), v128.store(xz + q, az), v128.store(xn + q, an);
        v128.store(yr + q, ar), v128.store(yz + q, az), v128.store(yn + q, f32x4.mul(an, rg));
        if (carry) v128.store(dhPrev + o + q, madd(d, z, v128.load(dhPrev + o + q)));
      }
    }
    for (let j = end; j < hidden; j++) {
      const q = at(j);
      const rg = load<f32>(gr + q), z = load<f32>(gz + q), n = load<f32>(gn + q), d = load<f32>(dh + o + q);
      const an: f32 = (d * (1 - z)) * (1 - n * n);
      const az: f32 = (d * (load<f32>(hPrev + o + q) - n)) * ((1 - z) * z);
      const ar: f32 = (an * load<f32>(hn + q)) * ((1 - rg) * rg);
      store<f32>(xr + q, ar), store<f32>(xz + q, az), store<f32>(xn + q, an);
      store<f32>(yr + q, ar), store<f32>(yz + q, az), store<f32>(yn + q, an * rg);
      if (carry) store<f32>(dhPrev + o + q, d * z + load<f32>(dhPrev + o + q));
    }
  }
}

/** dst[b, a, :] = src[a, b, :] for src [A × B × C]: batch-major ↔ time-major. */
export function f32_swap_axes(dst: usize, src: usize, A: i32, B: i32, C: i32): void {
  const row = at(C);
  for (let a = 0; a < A; a++) {
    for (let b = 0; b < B; b++) memory.copy(dst + at((b * A + a) * C), src + at((a * B + b) * C), row);
  }
}
