// How each kernel splits into pieces for the threads of a pool. Every split is a fixed function of the arguments
// and the number of threads, and every piece computes exactly what the whole call computes on its part, so the
// result has the bits of a single-threaded call whatever the thread count, whichever thread runs which piece:
//
// - element-wise kernels (optimizer steps, activations, scale/axpy/clamp): ranges of the elements, multiples of
//   256 (the SIMD width, and the block of the blockwise kernels), so that each element falls in the SIMD loop or
//   in the scalar tail exactly as in one call;
// - row-wise kernels (the batch gather, softmax, bias rows): ranges of rows;
// - f32_max_abs and f32_all_finite: ranges, the pieces' results combined by max and by "and" (exact);
// - the sums (f32_dot, f32_sum_squares, f32_sum_abs): whole chunks of REDUCE_CHUNK elements, each chunk's sum in
//   the pool's partials, added in order by the calling thread as the kernel adds them;
// - GEMM: blocks of rows of C (when C has more rows than columns) or of columns, through the `_ld` forms.
//
// Below a work size (MIN_WORK) a kernel runs on the calling thread alone: a split costs a round trip (publish,
// wake or catch a spinning worker, wait for the last piece) of some µs on an idle machine and far more on a
// loaded one; bench/threads.bench.mjs measures it and each family's break-even. Other kernels (convolution's
// im2col/col2im, pooling, batch norm, losses, dropout, copy) run on the calling thread; convolution splits
// through its GEMMs (by output channels or output pixels), not by batch images.
//
// To split a new kernel: add it to SPLITS (an element-wise kernel whose count follows its pointers:
// `elementwise(countIndex, family)`; rows: `rowwise(countIndex, [[pointer, rowLengthArgument], ...])`), and add it
// to a test/threads-*.test.ts that compares 1-4 threads bit for bit. A kernel whose result depends on where it
// starts (a counter-based RNG such as dropout's, a running sum) needs an offset argument first.
import { KERNEL_NAMES, type KernelName, type Kernels } from "../../kernels/kernels.js";
import { REDUCE_CHUNK, type ThreadPool } from "./pool.js";

type Fn = (...args: number[]) => number;

/** Elements a range is a multiple of. */
const ALIGN = 256;

/**
 * Work sizes (elements; multiply-adds for GEMM) below which a kernel runs on the calling thread alone. Read at each
 * call, so a benchmark (bench/threads.bench.mjs) or an application on another machine may change them.
 */
export const MIN_WORK = {
  /** An optimizer step: about 1-3 ns per element on one thread. */
  optimizer: 32_768,
  /** One or two loads and a store per element (activations, scale, axpy, clamp, gather): about 0.3-1 ns each. */
  streaming: 65_536,
  /** The sums: chunks of REDUCE_CHUNK, so at least two chunks. */
  sum: 2 * REDUCE_CHUNK,
  /** Multiply-adds of a GEMM (m·n·k): about 0.05 ns each. */
  gemm: 262_144,
};

interface Range {
  kind: "range";
  /** The argument holding the number of units (elements or rows). */
  count: number;
  /** Pointer arguments advanced with the range, each with the argument giving its floats per unit (none: 1). */
  pointers: readonly (readonly [number, number?])[];
  /** Units a range is a multiple of. */
  align: number;
  minWork: keyof typeof MIN_WORK;
  combine?: "max" | "and";
}
interface Sum {
  kind: "sum";
  pointers: 1 | 2;
}
interface Gemm {
  kind: "gemm";
  form: "nn" | "tn" | "nt";
}
type Split = Range | Sum | Gemm;

/** An element-wise kernel whose `count` argument follows its `count` pointer arguments. */
const elementwise = (count: number, minWork: keyof typeof MIN_WORK, combine?: "max" | "and"): Range => ({
  kind: "range",
  count,
  pointers: Array.from({ length: count }, (_, i) => [i] as const),
  align: ALIGN,
  minWork,
  ...(combine ? { combine } : {}),
});
/** A row-wise kernel: `rows` at argument `count`, each pointer advanced by the row length at argument `cols` (or one per row). */
const rowwise = (count: number, pointers: readonly (readonly [number, number?])[]): Range => ({ kind: "range", count, pointers, align: 1, minWork: "streaming" });

const optimizer = "optimizer", streaming = "streaming";

export const SPLITS: Partial<Record<KernelName, Split>> = {
  f32_sgd: elementwise(2, optimizer),
  f32_sgd_momentum: elementwise(3, optimizer),
  f32_adam: elementwise(5, optimizer),
  f32_adamw: elementwise(5, optimizer),
  f32_adamax: elementwise(4, optimizer),
  f32_nadam: elementwise(4, optimizer),
  f32_radam: elementwise(4, optimizer),
  f32_lion: elementwise(3, optimizer),
  f32_adagrad: elementwise(3, optimizer),
  f32_rmsprop: elementwise(5, optimizer),
  f32_adadelta: elementwise(4, optimizer),
  f32_rprop: elementwise(4, optimizer),
  f32_asgd: elementwise(3, optimizer),
  f32_scale: elementwise(1, streaming),
  f32_axpy: elementwise(2, streaming),
  f32_clamp: elementwise(1, streaming),
  f32_max_abs: elementwise(1, streaming, "max"),
  f32_all_finite: elementwise(1, streaming, "and"),
  f32_relu: elementwise(2, streaming),
  f32_relu_backward: elementwise(3, streaming),
  f32_leaky_relu: elementwise(2, streaming),
  f32_leaky_relu_backward: elementwise(3, streaming),
  f32_sigmoid: elementwise(2, streaming),
  f32_sigmoid_backward: elementwise(3, streaming),
  f32_tanh: elementwise(2, streaming),
  f32_tanh_backward: elementwise(3, streaming),
  f32_gelu: elementwise(2, optimizer),
  f32_gelu_backward: elementwise(3, optimizer),
  f32_dot: { kind: "sum", pointers: 2 },
  f32_sum_squares: { kind: "sum", pointers: 1 },
  f32_sum_abs: { kind: "sum", pointers: 1 },
  f32_gemm_nn: { kind: "gemm", form: "nn" },
  f32_gemm_tn: { kind: "gemm", form: "tn" },
  f32_gemm_nt: { kind: "gemm", form: "nt" },
  // (c, bias, m, n), (y, x, rows, cols), (dx, dy, y, rows, cols), (dst, src, idx, rows, cols, ...), (dst, src, idx, n)
  f32_add_bias_rows: rowwise(2, [[0, 3]]),
  f32_softmax_rows: rowwise(2, [[0, 3], [1, 3]]),
  f32_softmax_rows_backward: rowwise(3, [[0, 4], [1, 4], [2, 4]]),
  f32_gather_rows_u8: rowwise(3, [[0, 4], [2]]),
  f32_gather_rows_f32: rowwise(3, [[0, 4], [2]]),
  i32_gather: rowwise(3, [[0], [2]]),
};

/** The kernels with every kernel of SPLITS running on the pool's threads. */
export function threadedKernels(kernels: Kernels, pool: ThreadPool): Kernels {
  const out: Record<string, Fn> = { ...(kernels as unknown as Record<string, Fn>) };
  const fns = kernels as unknown as Record<string, Fn>;
  for (const [name, split] of Object.entries(SPLITS) as [KernelName, Split][]) {
    const id = KERNEL_NAMES.indexOf(name);
    if (split.kind === "range") out[name] = rangeKernel(pool, name, id, fns[name]!, split);
    else if (split.kind === "sum") out[name] = sumKernel(pool, name, id, fns[name]!, split);
    else out[name] = gemmKernel(pool, name, fns[name]!, KERNEL_NAMES.indexOf(`f32_gemm_${split.form}_ld` as KernelName), split.form);
  }
  return out as unknown as Kernels;
}

/** Pieces per thread of a job: threads claim pieces, so one that the OS leaves unscheduled only leaves more pieces
 * to the others (the caller does them all, at worst), at the price of a few more kernel calls. */
const PIECES_PER_THREAD = 2;

// Each wrapper takes 16 named parameters (more than any kernel has: the surplus are undefined and ignored by the
// wasm function) and copies them into a preallocated Float64Array, so that a call allocates nothing.
type Wrapper = (a0: number, a1: number, a2: number, a3: number, a4: number, a5: number, a6: number, a7: number, a8: number, a9: number, a10: number, a11: number, a12: number, a13: number, a14: number, a15: number) => number;

/** fn(v[0], ..., v[15]). */
const callWith = (fn: Fn, v: Float64Array): number => fn(v[0]!, v[1]!, v[2]!, v[3]!, v[4]!, v[5]!, v[6]!, v[7]!, v[8]!, v[9]!, v[10]!, v[11]!, v[12]!, v[13]!, v[14]!, v[15]!);

/** Units per piece: `total` units cut into at most `pieces` pieces, each a multiple of `align` (the last one shorter). */
const pieceSize = (total: number, align: number, pieces: number) => Math.ceil(Math.ceil(total / align) / pieces) * align;

function rangeKernel(pool: ThreadPool, name: string, id: number, fn: Fn, split: Range): Fn {
  const table = pool.table;
  const most = Math.min(pool.maxPieces, PIECES_PER_THREAD * pool.threads);
  const own = new Float64Array(16);
  const wrapper: Wrapper = (a0, a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11, a12, a13, a14, a15) => {
    own[0] = a0, own[1] = a1, own[2] = a2, own[3] = a3, own[4] = a4, own[5] = a5, own[6] = a6, own[7] = a7;
    own[8] = a8, own[9] = a9, own[10] = a10, own[11] = a11, own[12] = a12, own[13] = a13, own[14] = a14, own[15] = a15;
    const count = own[split.count]!;
    const unitFloats = split.pointers[0]![1] === undefined ? 1 : own[split.pointers[0]![1]]!;
    if (!pool.running || count * unitFloats < MIN_WORK[split.minWork]) return callWith(fn, own);
    const per = pieceSize(count, split.align, most);
    const pieces = Math.ceil(count / per);
    for (let i = 0; i < pieces; i++) {
      const row = pool.row(i);
      table.set(own, row);
      for (let q = 0; q < split.pointers.length; q++) {
        const pointer = split.pointers[q]!, p = pointer[0], floats = pointer[1];
        table[row + p] = own[p]! + 4 * i * per * (floats === undefined ? 1 : own[floats]!);
      }
      table[row + split.count] = Math.min(per, count - i * per);
    }
    pool.run(name, id, pieces);
    let result = table[pool.row(0) + 16]!;
    if (split.combine) {
      for (let i = 1; i < pieces; i++) {
        const r = table[pool.row(i) + 16]!;
        result = split.combine === "max" ? Math.max(result, r) : Math.min(result, r);
      }
    }
    return result;
  };
  return wrapper as Fn;
}

function sumKernel(pool: ThreadPool, name: string, id: number, fn: Fn, split: Sum): Fn {
  const { table, partials } = pool;
  const most = Math.min(pool.maxPieces, PIECES_PER_THREAD * pool.threads);
  const wrapper = (x: number, y: number, z: number): number => {
    const n = split.pointers === 1 ? y : z;
    if (!pool.running || n < MIN_WORK.sum) return split.pointers === 1 ? fn(x, y) : fn(x, y, z);
    const chunks = Math.ceil(n / REDUCE_CHUNK);
    const per = pieceSize(chunks, 1, most);
    const pieces = Math.ceil(chunks / per);
    for (let i = 0; i < pieces; i++) {
      const row = pool.row(i);
      table[row] = x;
      if (split.pointers === 2) table[row + 1] = y;
      table[row + split.pointers] = n;
      table[row + split.pointers + 1] = i * per;
      table[row + split.pointers + 2] = Math.min(chunks, (i + 1) * per);
    }
    pool.run(name, id, pieces, 1, split.pointers);
    let total = 0;
    for (let c = 0; c < chunks; c++) total += partials[c]!;
    return total;
  };
  return wrapper as Fn;
}

/** Rows of C a block of rows is a multiple of (the micro-kernel's 6 and 4 rows), and columns likewise (NR = 8,
 * and 16 floats: a cache line, so that two threads never write one line of C). */
const GEMM_ROWS = 12;
const GEMM_COLS = 16;
/** The argument of the `_ld` forms that points at the pack scratch: each worker puts its own there. */
const PACK_ARG = 7;

function gemmKernel(pool: ThreadPool, name: string, fn: Fn, ldId: number, form: "nn" | "tn" | "nt"): Fn {
  const table = pool.table;
  const most = Math.min(pool.maxPieces, PIECES_PER_THREAD * pool.threads);
  const wrapper = (c: number, a: number, b: number, m: number, n: number, k: number, accumulate: number, pack: number): void => {
    if (!pool.running || m * n * k < MIN_WORK.gemm) {
      fn(c, a, b, m, n, k, accumulate, pack);
      return;
    }
    // Blocks of the dimension whose split packs less twice: rows of C repack all of B in each piece, columns all of A.
    const byRows = m > n;
    const total = byRows ? m : n;
    const per = pieceSize(total, byRows ? GEMM_ROWS : GEMM_COLS, most);
    const pieces = Math.ceil(total / per);
    for (let i = 0; i < pieces; i++) gemmBlock(table, pool.row(i), form, byRows, c, a, b, m, n, k, accumulate, i * per, Math.min(per, total - i * per), pack);
    pool.run(name, ldId, pieces, 0, 0, PACK_ARG);
  };
  return wrapper as Fn;
}

/** Into table[row ..]: the arguments of the `_ld` kernel for the block of C of `size` rows (byRows) or columns from `s`. */
function gemmBlock(table: Float64Array, row: number, form: "nn" | "tn" | "nt", byRows: boolean, c: number, a: number, b: number, m: number, n: number, k: number, accumulate: number, s: number, size: number, pack: number): void {
  const lda = form === "tn" ? m : k;
  const ldb = form === "nt" ? k : n;
  table[row] = byRows ? c + 4 * s * n : c + 4 * s;
  table[row + 1] = byRows ? a + 4 * s * (form === "tn" ? 1 : k) : a;
  table[row + 2] = byRows ? b : b + 4 * s * (form === "nt" ? k : 1);
  table[row + 3] = byRows ? size : m;
  table[row + 4] = byRows ? n : size;
  table[row + 5] = k, table[row + 6] = accumulate, table[row + PACK_ARG] = pack, table[row + 8] = n, table[row + 9] = lda, table[row + 10] = ldb;
}
