// Softmax over the last dimension of a [rows × cols] matrix, row by row:
//
//   forward:   m = max_j x_j,   e_j = exp(x_j − m),   y_j = e_j · (1 / Σ_k e_k)
//   backward:  dx_j = y_j (dy_j − Σ_k dy_k y_k)
//
// The row sums follow one fixed order in every build: four partial sums s_k over the columns j < cols & ~3 with
// j mod 4 = k, combined as (s0 + s1) + (s2 + s3), then the remaining columns in order.
import { at, madd, simdEnd } from "../simd";
import { expf32, expV } from "./math";

/** y = softmax(x) over each row of a [rows × cols] matrix. */
export function f32_softmax_rows(y: usize, x: usize, rows: i32, cols: i32): void {
  const rowBytes = at(cols);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    const m = rowMax(xr, cols);
    const inv: f32 = 1 / expShiftedSum(yr, xr, cols, m);
    const end = simdEnd(cols);
    if (ASC_FEATURE_SIMD) {
      const vInv = f32x4.splat(inv);
      for (let j = 0; j < end; j += 4) v128.store(yr + at(j), f32x4.mul(v128.load(yr + at(j)), vInv));
    }
    for (let j = end; j < cols; j++) store<f32>(yr + at(j), load<f32>(yr + at(j)) * inv);
  }
}

/** dx_j = y_j (dy_j − Σ_k dy_k y_k), row by row. */
export function f32_softmax_rows_backward(dx: usize, dy: usize, y: usize, rows: i32, cols: i32): void {
  const rowBytes = at(cols);
  for (let r = 0; r < rows; r++) {
    const off = <usize>r * rowBytes;
    const dot = rowDot(dy + off, y + off, cols);
    const end = simdEnd(cols);
    if (ASC_FEATURE_SIMD) {
      const vDot = f32x4.splat(dot);
      for (let j = 0; j < end; j += 4) {
        const o = off + at(j);
        v128.store(dx + o, f32x4.mul(v128.load(y + o), f32x4.sub(v128.load(dy + o), vDot)));
      }
    }
    for (let j = end; j < cols; j++) {
      const o = off + at(j);
      store<f32>(dx + o, load<f32>(y + o) * (load<f32>(dy + o) - dot));
    }
  }
}

/** max_j x_j (exact in any order). */
// @ts-ignore: decorator
@inline function rowMax(x: usize, n: i32): f32 {
  let m = -Infinity as f32;
  const end = simdEnd(n);
  if (ASC_FEATURE_SIMD) {
    if (end > 0) {
      let v = v128.load(x);
      for (let j = 4; j < end; j += 4) v = f32x4.max(v, v128.load(x + at(j)));
      m = max<f32>(max<f32>(f32x4.extract_lane(v, 0), f32x4.extract_lane(v, 1)), max<f32>(f32x4.extract_lane(v, 2), f32x4.extract_lane(v, 3)));
    }
  }
  for (let j = end; j < n; j++) m = max<f32>(m, load<f32>(x + at(j)));
  return m;
}

/** Writes e_j = exp(x_j − m) to y and returns Σ e_j in the fixed order. */
// @ts-ignore: decorator
@inline function expShiftedSum(y: usize, x: usize, n: i32, m: f32): f32 {
  const end = n & ~3;
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    const vm = f32x4.splat(m);
    let acc = f32x4.splat(0);
    for (let j = 0; j < end; j += 4) {
      const e = expV(f32x4.sub(v128.load(x + at(j)), vm));
      v128.store(y + at(j), e);
      acc = f32x4.add(acc, e);
    }
    s0 = f32x4.extract_lane(acc, 0);
    s1 = f32x4.extract_lane(acc, 1);
    s2 = f32x4.extract_lane(acc, 2);
    s3 = f32x4.extract_lane(acc, 3);
  } else {
    for (let j = 0; j < end; j += 4) {
      s0 += expStore(y, x, j, m);
      s1 += expStore(y, x, j + 1, m);
      s2 += expStore(y, x, j + 2, m);
      s3 += expStore(y, x, j + 3, m);
    }
  }
  let s = (s0 + s1) + (s2 + s3);
  for (let j = end; j < n; j++) s += expStore(y, x, j, m);
  return s;
}

// @ts-ignore: decorator
@inline function expStore(y: usize, x: usize, j: i32, m: f32): f32 {
  const e = expf32(load<f32>(x + at(j)) - m);
  store<f32>(y + at(j), e);
  return e;
}

/** Σ a_j b_j in the fixed order (fused multiply-adds in the relaxed build). */
// @ts-ignore: decorator
@inline function rowDot(a: usize, b: usize, n: i32): f32 {
  const end = n & ~3;
  let s0: f32 = 0, s1: f32 = 0, s2: f32 = 0, s3: f32 = 0;
  if (ASC_FEATURE_SIMD) {
    let acc = f32x4.splat(0);
    for (let j = 0; j < end; j += 4) acc = madd(v128.load(a + at(j)), v128.load(b + at(j)), acc);
    s0 = f32x4.extract_lane(acc, 0);
    s1 = f32x4.extract_lane(acc, 1);
    s2 = f32x4.extract_lane(acc, 2);
    s3 = f32x4.extract_lane(acc, 3);
  } else {
    for (let j = 0; j < end; j += 4) {
      s0 += load<f32>(a + at(j)) * load<f32>(b + at(j));
      s1 += load<f32>(a + at(j + 1)) * load<f32>(b + at(j + 1));
      s2 += load<f32>(a + at(j + 2)) * load<f32>(b + at(j + 2));
      s3 += load<f32>(a + at(j + 3)) * load<f32>(b + at(j + 3));
    }
  }
  let s = (s0 + s1) + (s2 + s3);
  for (let j = end; j < n; j++) s += load<f32>(a + at(j)) * load<f32>(b + at(j));
  return s;
}
