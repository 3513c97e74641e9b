// Matrix multiply, row-major, three forms:
//   f32_gemm_nn: C[m×n] (+)= A[m×k] · B[k×n]
//   f32_gemm_tn: C[m×n] (+)= A[k×m]ᵀ · B[k×n]     (weight gradients Xᵀ·dY)
//   f32_gemm_nt: C[m×n] (+)= A[m×k] · B[n×k]ᵀ     (input gradients dY·Wᵀ; forward X·Wᵀ for [out, in] weights)
//   C[i,j] = (accumulate ? C[i,j] : 0) + Σ_p A[i,p]·B[p,j], the sum taken in order p = 0, 1, ..., k-1.
// accumulate = 0 overwrites C, 1 adds to it. `pack` points at GEMM_PACK_FLOATS floats of scratch (exported below,
// and read by TypeScript from the module): KC·NC floats of packed B, MC·KC of packed A, and one 6×NR edge tile.
// The `_ld` forms take the leading dimensions (floats between rows) of C, A and B as three more arguments, so that
// they compute a block of a larger product: a threaded engine gives each thread a block of rows or columns of C.
// Each element's sum does not depend on the blocking, so the blocks give the bits of the whole product.
//
// SIMD build, after BLIS/XNNPACK: for each block of NC columns and KC steps of k, B is packed into panels of
// NR = 8 columns (kc rows of 8 contiguous floats; the last panel 4 wide when at most 4 columns are left); for
// each block of MC rows, A is packed into panels of 6 rows (kc columns of 6 contiguous floats), and the last one
// or two panels of 4 rows where that avoids padding. The
// transposed forms differ only in how they pack, so all three run the same microkernels at the same speed. The
// 6×8 microkernel keeps a tile of C in 12 f32x4 registers (of the 15 V8 allocates on x64): each step of k
// broadcasts 6 values of A and multiply-adds them with 2 vectors of B. Tiles that stick out of C (m or n not
// covered by whole panels) run on a zero-padded copy in the edge tile.
//
// Each tile starts from C (or zero) and adds the products in order of p, like the naive loop, so the SIMD build
// rounds exactly as the scalar build and the plain-TS twin do; the relaxed-SIMD build fuses each multiply-add.
import { at, madd } from "../simd";

/** Columns of a microkernel tile (two f32x4 vectors). */
const NR: i32 = 8;
/** Steps of k per packed block: a 6×KC panel of A and a KC×8 panel of B fit in L1 together. */
const KC: i32 = 256;
/** Rows of A packed at once (MC·KC floats, L2). */
const MC: i32 = 192;
/** Columns of B packed at once (KC·NC floats, L2). */
const NC: i32 = 1024;

// The blocking, exported for TypeScript (src/kernels/abi.gen.ts carries the values; createEngine checks them).
/** Rows of a microkernel tile (and of the edge tile). */
export const GEMM_MR: i32 = 6;
/** Columns of a microkernel tile. */
export const GEMM_NR: i32 = NR;
export const GEMM_KC: i32 = KC;
export const GEMM_MC: i32 = MC;
export const GEMM_NC: i32 = NC;
/** Floats of scratch the `pack` argument must point at: packed B, packed A and the edge tile (about 1.2 MiB). */
export const GEMM_PACK_FLOATS: i32 = KC * NC + MC * KC + GEMM_MR * NR;

/** C[m×n] (+)= A[m×k] · B[k×n], row-major; accumulate 0 overwrites C, 1 adds. */
export function f32_gemm_nn(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  gemm(c, a, b, m, n, k, accumulate, pack, n, k, n, false, false);
}

/** C[m×n] (+)= A[k×m]ᵀ · B[k×n]. */
export function f32_gemm_tn(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  gemm(c, a, b, m, n, k, accumulate, pack, n, m, n, true, false);
}

/** C[m×n] (+)= A[m×k] · B[n×k]ᵀ. */
export function f32_gemm_nt(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize): void {
  gemm(c, a, b, m, n, k, accumulate, pack, n, k, k, false, true);
}

/** f32_gemm_nn with leading dimensions: C[i,j] at c + i·ldc + j, A[i,p] at a + i·lda + p, B[p,j] at b + p·ldb + j. */
export function f32_gemm_nn_ld(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize, ldc: i32, lda: i32, ldb: i32): void {
  gemm(c, a, b, m, n, k, accumulate, pack, ldc, lda, ldb, false, false);
}

/** f32_gemm_tn with leading dimensions: A[p,i] (A is k×m) at a + p·lda + i. */
export function f32_gemm_tn_ld(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize, ldc: i32, lda: i32, ldb: i32): void {
  gemm(c, a, b, m, n, k, accumulate, pack, ldc, lda, ldb, true, false);
}

/** f32_gemm_nt with leading dimensions: B[j,p] (B is n×k) at b + j·ldb + p. */
export function f32_gemm_nt_ld(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize, ldc: i32, lda: i32, ldb: i32): void {
  gemm(c, a, b, m, n, k, accumulate, pack, ldc, lda, ldb, false, true);
}

/** C[i,j] += bias[j] for every row i of C[m×n]. */
export function f32_add_bias_rows(c: usize, bias: usize, m: i32, n: i32): void {
  const end = ASC_FEATURE_SIMD ? n & ~3 : 0;
  for (let i = 0; i < m; i++) {
    const row = c + at(i * n);
    if (ASC_FEATURE_SIMD) {
      for (let j = 0; j < end; j += 4) v128.store(row + at(j), f32x4.add(v128.load(row + at(j)), v128.load(bias + at(j))));
    }
    for (let j = end; j < n; j++) store<f32>(row + at(j), load<f32>(row + at(j)) + load<f32>(bias + at(j)));
  }
}

/** dst[j] (+)= Σ_i src[i,j] over the m rows of src[m×n], summed in order of i (bias gradients). */
export function f32_sum_rows(dst: usize, src: usize, m: i32, n: i32, accumulate: i32): void {
  let j = 0;
  if (ASC_FEATURE_SIMD) {
    // 16 columns at a time in registers, walking down the rows; then 4 at a time.
    for (; j + 16 <= n; j += 16) {
      let s0 = f32x4.splat(0), s1 = s0, s2 = s0, s3 = s0;
      if (accumulate) {
        s0 = v128.load(dst + at(j)), s1 = v128.load(dst + at(j), 16);
        s2 = v128.load(dst + at(j), 32), s3 = v128.load(dst + at(j), 48);
      }
      let p = src + at(j);
      for (let i = 0; i < m; i++, p += at(n)) {
        s0 = f32x4.add(s0, v128.load(p)), s1 = f32x4.add(s1, v128.load(p, 16));
        s2 = f32x4.add(s2, v128.load(p, 32)), s3 = f32x4.add(s3, v128.load(p, 48));
      }
      v128.store(dst + at(j), s0), v128.store(dst + at(j), s1, 16);
      v128.store(dst + at(j), s2, 32), v128.store(dst + at(j), s3, 48);
    }
    for (; j + 4 <= n; j += 4) {
      let s = accumulate ? v128.load(dst + at(j)) : f32x4.splat(0);
      let p = src + at(j);
      for (let i = 0; i < m; i++, p += at(n)) s = f32x4.add(s, v128.load(p));
      v128.store(dst + at(j), s);
    }
  }
  for (; j < n; j++) {
    let s: f32 = accumulate ? load<f32>(dst + at(j)) : 0;
    for (let i = 0; i < m; i++) s += load<f32>(src + at(i * n + j));
    store<f32>(dst + at(j), s);
  }
}

// @ts-ignore: decorator
@inline function gemm(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize, ldc: i32, lda: i32, ldb: i32, transA: bool, transB: bool): void {
  if (m <= 0 || n <= 0) return;
  if (k <= 0) {
    if (!accumulate) for (let i = 0; i < m; i++) memory.fill(c + at(i * ldc), 0, at(n));
    return;
  }
  if (ASC_FEATURE_SIMD) {
    gemmBlocked(c, a, b, m, n, k, accumulate, pack, ldc, lda, ldb, transA, transB);
    return;
  }
  // Scalar build: the naive sum. With B[n×k], dot products of rows, four columns at a time (four independent
  // chains of additions); otherwise rows of B times one value of A added to the row of C.
  for (let i = 0; i < m; i++) {
    const row = c + at(i * ldc);
    const aRow = a + at(i * lda);
    if (!accumulate) memory.fill(row, 0, at(n));
    if (transB) {
      let j = 0;
      for (; j + 4 <= n; j += 4) {
        const b0 = b + at(j * ldb), b1 = b0 + at(ldb), b2 = b1 + at(ldb), b3 = b2 + at(ldb);
        let s0 = load<f32>(row + at(j)), s1 = load<f32>(row + at(j + 1));
        let s2 = load<f32>(row + at(j + 2)), s3 = load<f32>(row + at(j + 3));
        for (let p = 0; p < k; p++) {
          const x = load<f32>(aRow + at(p));
          s0 += x * load<f32>(b0 + at(p)), s1 += x * load<f32>(b1 + at(p));
          s2 += x * load<f32>(b2 + at(p)), s3 += x * load<f32>(b3 + at(p));
        }
        store<f32>(row + at(j), s0), store<f32>(row + at(j + 1), s1);
        store<f32>(row + at(j + 2), s2), store<f32>(row + at(j + 3), s3);
      }
      for (; j < n; j++) {
        let s = load<f32>(row + at(j));
        for (let p = 0; p < k; p++) s += load<f32>(aRow + at(p)) * load<f32>(b + at(j * ldb + p));
        store<f32>(row + at(j), s);
      }
    } else {
      for (let p = 0; p < k; p++) {
        const aip = load<f32>(a + at(transA ? p * lda + i : i * lda + p));
        const bRow = b + at(p * ldb);
        for (let j = 0; j < n; j++) store<f32>(row + at(j), load<f32>(row + at(j)) + aip * load<f32>(bRow + at(j)));
      }
    }
  }
}

/** Splits `total` into equal blocks of at most `max`, each a multiple of `unit` (the last one shorter). */
// @ts-ignore: decorator
@inline function blockSize(total: i32, max: i32, unit: i32): i32 {
  const blocks = (total + max - 1) / max;
  const size = (total + blocks - 1) / blocks;
  return (size + unit - 1) / unit * unit;
}

// @ts-ignore: decorator
@inline function gemmBlocked(c: usize, a: usize, b: usize, m: i32, n: i32, k: i32, accumulate: i32, pack: usize, ldc: i32, lda: i32, ldb: i32, transA: bool, transB: bool): void {
  const packedB = pack;
  const packedA = pack + at(KC * NC);
  const tile = packedA + at(MC * KC);
  const ncStep = blockSize(n, NC, NR), kcStep = blockSize(k, KC, 4), mcStep = blockSize(m, MC, 6);
  for (let j0 = 0; j0 < n; j0 += ncStep) {
    const nc = min(ncStep, n - j0);
    for (let p0 = 0; p0 < k; p0 += kcStep) {
      const kc = min(kcStep, k - p0);
      const load = accumulate | i32(p0 > 0);
      if (transB) packRowsOfB(packedB, b, ldb, j0, nc, p0, kc);
      else packColumnsOfB(packedB, b, ldb, j0, nc, p0, kc);
      for (let i0 = 0; i0 < m; i0 += mcStep) {
        const mc = min(mcStep, m - i0);
        const six = sixRowPanelsEnd(mc);
        if (transA) packColumnsOfA(packedA, a, lda, i0, mc, six, p0, kc);
        else packRowsOfA(packedA, a, lda, i0, mc, six, p0, kc);
        for (let j = 0; j < nc; ) {
          const cols = panelWidth(nc - j);
          const w = min(cols, nc - j);
          const bPanel = packedB + at(j * kc);
          for (let i = 0; i < mc; ) {
            const rows = i < six ? 6 : 4;
            const h = min(rows, mc - i);
            const aPanel = packedA + at(i * kc);
            const cTile = c + at((i0 + i) * ldc + j0 + j);
            if (h < rows || w < cols) edgeTile(kc, aPanel, bPanel, cTile, ldc, rows, cols, h, w, load, tile);
            else microkernelOf(kc, aPanel, bPanel, cTile, at(ldc), load, rows, cols);
            i += rows;
          }
          j += cols;
        }
      }
    }
  }
}

/**
 * A block of mc rows of A is cut into panels of 6 rows, then panels of 4 from the row returned here: an even
 * mc ≥ 4 needs no padding (8 = 4 + 4, 32 = 5·6 + 2·4 ...), any other mc one row (1, 2 or 3 rows: one panel of 4).
 */
// @ts-ignore: decorator
@inline function sixRowPanelsEnd(mc: i32): i32 {
  const r = mc % 6;
  const fours = r == 0 || r == 5 ? 0 : r <= 2 && mc > 6 ? 2 : 1;
  return (mc - 4 * fours + 5) / 6 * 6;
}

/** Columns of the B panel that starts `left` columns before the end of the block: 8, or 4 for the last few. */
// @ts-ignore: decorator
@inline function panelWidth(left: i32): i32 {
  return left <= 4 ? 4 : NR;
}

/** A tile of h < rows rows or w < cols columns: runs the microkernel on a zero-padded copy, then copies back. */
function edgeTile(kc: i32, aPanel: usize, bPanel: usize, cTile: usize, n: i32, rows: i32, cols: i32, h: i32, w: i32, load: i32, tile: usize): void {
  memory.fill(tile, 0, at(6 * NR));
  if (load) {
    for (let r = 0; r < h; r++) memory.copy(tile + at(r * cols), cTile + at(r * n), at(w));
  }
  microkernelOf(kc, aPanel, bPanel, tile, at(cols), 1, rows, cols);
  for (let r = 0; r < h; r++) memory.copy(cTile + at(r * n), tile + at(r * cols), at(w));
}

// @ts-ignore: decorator
@inline function microkernelOf(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32, rows: i32, cols: i32): void {
  if (cols == NR) {
    if (rows == 6) microkernel6x8(kc, ap, bp, c, ldc, load);
    else microkernel4x8(kc, ap, bp, c, ldc, load);
  } else {
    if (rows == 6) microkernel6x4(kc, ap, bp, c, ldc, load);
    else microkernel4x4(kc, ap, bp, c, ldc, load);
  }
}

/** C[6×8] = (load ? C : 0) + Σ_p aPanel[p]ᵀ·bPanel[p]: 6 broadcasts of A times 2 vectors of B per step. */
function microkernel6x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32): void {
  microkernel(kc, ap, bp, c, ldc, load, 6);
}

/** The same for a panel of 4 rows of A. */
function microkernel4x8(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32): void {
  microkernel(kc, ap, bp, c, ldc, load, 4);
}

// @ts-ignore: decorator
@inline function microkernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32, rows: i32): void {
  let c00 = f32x4.splat(0), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
  let c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
  if (load) {
    c00 = v128.load(c), c01 = v128.load(c, 16);
    c10 = v128.load(c + ldc), c11 = v128.load(c + ldc, 16);
    c20 = v128.load(c + 2 * ldc), c21 = v128.load(c + 2 * ldc, 16);
    c30 = v128.load(c + 3 * ldc), c31 = v128.load(c + 3 * ldc, 16);
    if (rows == 6) {
      c40 = v128.load(c + 4 * ldc), c41 = v128.load(c + 4 * ldc, 16);
      c50 = v128.load(c + 5 * ldc), c51 = v128.load(c + 5 * ldc, 16);
    }
  }
  // One step per iteration: V8 hoists the loads of an unrolled body and spills accumulators. V8's register
  // allocation is sensitive to the order of these statements (a reordering measured 60 → 41 GFLOP/s): measure
  // any change with the benchmark.
  const aEnd = ap + at(kc * rows);
  while (ap < aEnd) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let x = v128.load32_splat(ap);
    c00 = madd(x, b0, c00), c01 = madd(x, b1, c01);
    x = v128.load32_splat(ap, 4);
    c10 = madd(x, b0, c10), c11 = madd(x, b1, c11);
    x = v128.load32_splat(ap, 8);
    c20 = madd(x, b0, c20), c21 = madd(x, b1, c21);
    x = v128.load32_splat(ap, 12);
    c30 = madd(x, b0, c30), c31 = madd(x, b1, c31);
    if (rows == 6) {
      x = v128.load32_splat(ap, 16);
      c40 = madd(x, b0, c40), c41 = madd(x, b1, c41);
      x = v128.load32_splat(ap, 20);
      c50 = madd(x, b0, c50), c51 = madd(x, b1, c51);
    }
    ap += at(rows), bp += at(NR);
  }
  v128.store(c, c00), v128.store(c, c01, 16);
  v128.store(c + ldc, c10), v128.store(c + ldc, c11, 16);
  v128.store(c + 2 * ldc, c20), v128.store(c + 2 * ldc, c21, 16);
  v128.store(c + 3 * ldc, c30), v128.store(c + 3 * ldc, c31, 16);
  if (rows == 6) {
    v128.store(c + 4 * ldc, c40), v128.store(c + 4 * ldc, c41, 16);
    v128.store(c + 5 * ldc, c50), v128.store(c + 5 * ldc, c51, 16);
  }
}

/** C[6×4] and C[4×4] for the last columns of a block: 6 (or 4) broadcasts of A times 1 vector of B per step. */
function microkernel6x4(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32): void {
  narrowMicrokernel(kc, ap, bp, c, ldc, load, 6);
}
function microkernel4x4(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32): void {
  narrowMicrokernel(kc, ap, bp, c, ldc, load, 4);
}

// @ts-ignore: decorator
@inline function narrowMicrokernel(kc: i32, ap: usize, bp: usize, c: usize, ldc: usize, load: i32, rows: i32): void {
  let c0 = f32x4.splat(0), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0;
  if (load) {
    c0 = v128.load(c), c1 = v128.load(c + ldc), c2 = v128.load(c + 2 * ldc), c3 = v128.load(c + 3 * ldc);
    if (rows == 6) c4 = v128.load(c + 4 * ldc), c5 = v128.load(c + 5 * ldc);
  }
  const aEnd = ap + at(kc * rows);
  while (ap < aEnd) {
    const b0 = v128.load(bp);
    c0 = madd(v128.load32_splat(ap), b0, c0), c1 = madd(v128.load32_splat(ap, 4), b0, c1);
    c2 = madd(v128.load32_splat(ap, 8), b0, c2), c3 = madd(v128.load32_splat(ap, 12), b0, c3);
    if (rows == 6) c4 = madd(v128.load32_splat(ap, 16), b0, c4), c5 = madd(v128.load32_splat(ap, 20), b0, c5);
    ap += at(rows), bp += at(4);
  }
  v128.store(c, c0), v128.store(c + ldc, c1), v128.store(c + 2 * ldc, c2), v128.store(c + 3 * ldc, c3);
  if (rows == 6) v128.store(c + 4 * ldc, c4), v128.store(c + 5 * ldc, c5);
}

// Packing. A panel holds, for each of kc steps, its 6 (or 4) values of A (rows i.. of the product); a B panel
// holds NR values of B (columns j..j+NR). Rows or columns past the edge of the matrix are zero.

/** B[k×n] (nn, tn): panel rows are pieces of B's rows, copied. */
function packColumnsOfB(dst: usize, b: usize, n: i32, j0: i32, nc: i32, p0: i32, kc: i32): void {
  for (let j = 0; j < nc; ) {
    const cols = panelWidth(nc - j);
    const w = min(cols, nc - j);
    let src = b + at(p0 * n + j0 + j);
    if (w == 8) {
      for (let p = 0; p < kc; p++, src += at(n), dst += at(8)) {
        v128.store(dst, v128.load(src)), v128.store(dst, v128.load(src, 16), 16);
      }
    } else if (w == 4) {
      for (let p = 0; p < kc; p++, src += at(n), dst += at(4)) v128.store(dst, v128.load(src));
    } else {
      for (let p = 0; p < kc; p++, src += at(n), dst += at(cols)) {
        for (let q = 0; q < cols; q++) store<f32>(dst + at(q), q < w ? load<f32>(src + at(q)) : 0);
      }
    }
    j += cols;
  }
}

/** B[n×k] (nt): the rows of B of a panel are transposed into it, 4×4 blocks at a time. */
function packRowsOfB(dst: usize, b: usize, k: i32, j0: i32, nc: i32, p0: i32, kc: i32): void {
  for (let j = 0; j < nc; ) {
    const cols = panelWidth(nc - j);
    const w = min(cols, nc - j);
    const src = b + at((j0 + j) * k + p0);
    const r = at(k);
    let p = 0;
    if (w == 8) {
      for (; p + 4 <= kc; p += 4, dst += at(4 * 8)) {
        const s = src + at(p);
        transpose4x4Store(dst, at(8), v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r));
        transpose4x4Store(dst + 16, at(8), v128.load(s + 4 * r), v128.load(s + 5 * r), v128.load(s + 6 * r), v128.load(s + 7 * r));
      }
    } else if (w == 4) {
      for (; p + 4 <= kc; p += 4, dst += at(4 * 4)) {
        const s = src + at(p);
        transpose4x4Store(dst, at(4), v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r));
      }
    }
    for (; p < kc; p++, dst += at(cols)) {
      for (let q = 0; q < cols; q++) store<f32>(dst + at(q), q < w ? load<f32>(src + at(q * k + p)) : 0);
    }
    j += cols;
  }
}

/** A[k×m] (tn): panel columns are pieces of A's rows, copied. */
function packColumnsOfA(dst: usize, a: usize, m: i32, i0: i32, mc: i32, six: i32, p0: i32, kc: i32): void {
  for (let i = 0; i < mc; ) {
    const rows = i < six ? 6 : 4;
    const h = min(rows, mc - i);
    let src = a + at(p0 * m + i0 + i);
    if (h == 6) {
      for (let p = 0; p < kc; p++, src += at(m), dst += at(6)) {
        v128.store(dst, v128.load(src)), store<u64>(dst, load<u64>(src, 16), 16);
      }
    } else if (h == 4) {
      for (let p = 0; p < kc; p++, src += at(m), dst += at(4)) v128.store(dst, v128.load(src));
    } else {
      for (let p = 0; p < kc; p++, src += at(m), dst += at(rows)) {
        for (let r = 0; r < rows; r++) store<f32>(dst + at(r), r < h ? load<f32>(src + at(r)) : 0);
      }
    }
    i += rows;
  }
}

/** A[m×k] (nn, nt): the rows of a panel are transposed into it, a 4×4 block (and a 2×4 block) at a time. */
function packRowsOfA(dst: usize, a: usize, k: i32, i0: i32, mc: i32, six: i32, p0: i32, kc: i32): void {
  for (let i = 0; i < mc; ) {
    const rows = i < six ? 6 : 4;
    const h = min(rows, mc - i);
    const src = a + at((i0 + i) * k + p0);
    const r = at(k);
    let p = 0;
    if (h == 6) {
      for (; p + 4 <= kc; p += 4, dst += at(4 * 6)) {
        const s = src + at(p);
        transpose4x4Store(dst, at(6), v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r));
        const r4 = v128.load(s + 4 * r), r5 = v128.load(s + 5 * r);
        const lo = v128.shuffle<f32>(r4, r5, 0, 4, 1, 5), hi = v128.shuffle<f32>(r4, r5, 2, 6, 3, 7);
        v128.store64_lane(dst, lo, 0, 16), v128.store64_lane(dst, lo, 1, 16 + 4 * 6);
        v128.store64_lane(dst, hi, 0, 16 + 8 * 6), v128.store64_lane(dst, hi, 1, 16 + 12 * 6);
      }
    } else if (h == 4) {
      for (; p + 4 <= kc; p += 4, dst += at(4 * 4)) {
        const s = src + at(p);
        transpose4x4Store(dst, at(4), v128.load(s), v128.load(s + r), v128.load(s + 2 * r), v128.load(s + 3 * r));
      }
    }
    for (; p < kc; p++, dst += at(rows)) {
      for (let q = 0; q < rows; q++) store<f32>(dst + at(q), q < h ? load<f32>(src + at(q * k + p)) : 0);
    }
    i += rows;
  }
}

/** Stores the transpose of the 4×4 block with rows r0..r3 as 4 vectors `stride` bytes apart. */
// @ts-ignore: decorator
@inline function transpose4x4Store(dst: usize, stride: usize, r0: v128, r1: v128, r2: v128, r3: v128): void {
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5), t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + stride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * stride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * stride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}
