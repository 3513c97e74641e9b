// The recurrent cell kernels (assembly/nn/recurrent.ts) and the embedding kernels on every backend: on any shape
// (rows 0..5, hidden 1..19: SIMD blocks and tails) and inputs, simd and scalar write the same bits as the js twin
// and nothing past the end; relaxed-simd stays within a tolerance; and all match a float64 transcription of
// PyTorch's cell. Each cell also has plausible bugs (`mutants`, float64 cells with one thing wrong): the kernel's
// output must be out of tolerance of each, so that the tolerance is known to be able to fail.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, type Backend, type Engine } from "../src/index.js";
import type { Kernels } from "../src/kernels/kernels.js";
import { sigmoid64, worstError } from "./helpers/nn-reference.js";

const BACKENDS: Backend[] = ["js", "simd", "scalar", "relaxed-simd"];
const SENTINEL = 12345.5;
const engines = {} as Record<Backend, Engine>;
beforeAll(async () => {
  for (const b of BACKENDS) engines[b] = await createEngine({ backend: b });
});

/** Runs `call` on fresh copies of `buffers` (a sentinel past each end) and returns them after the call. */
function run(backend: Backend, buffers: Float32Array[], call: (k: Kernels, ptrs: number[]) => void): Float32Array[] {
  const engine = engines[backend];
  const slices = buffers.map((b) => {
    const s = engine.allocF32(b.length + 1);
    s.array.set(b);
    s.array[b.length] = SENTINEL;
    return s;
  });
  call(engine.kernels, slices.map((s) => s.ptr));
  return slices.map((s) => s.array.slice());
}

type Cell = (inputs: Float64Array[], rows: number, hidden: number) => Float64Array[];

interface CellSpec {
  name: string;
  /** Sizes of the buffers, as multiples of rows × hidden, and which of them the kernel writes. */
  sizes: number[];
  outputs: number[];
  call: (k: Kernels, p: number[], rows: number, hidden: number) => void;
  /** The float64 cell: the kernel's outputs from its inputs. */
  f64: Cell;
  mutants: Record<string, Cell>;
}

const tanh = Math.tanh;
const dsig = (y: number) => (1 - y) * y;

/** LSTM forward in float64; `bug` plants one mistake. */
function lstm64(bug = ""): Cell {
  return ([gates, cPrev], rows, H) => {
    const g = Float64Array.from(gates!), c = new Float64Array(rows * H), tc = new Float64Array(rows * H), h = new Float64Array(rows * H);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        const at = (q: number) => gates![r * 4 * H + q * H + j]!;
        let [i, f, gg, o] = [sigmoid64(at(0)), sigmoid64(at(1)), tanh(at(2)), sigmoid64(at(3))];
        if (bug === "gate order i, g, f, o") [f, gg] = [sigmoid64(at(2)), tanh(at(1))];
        if (bug === "g a sigmoid") gg = sigmoid64(at(2));
        const cv = f * cPrev![r * H + j]! + i * gg;
        const t = bug === "no tanh on c" ? cv : tanh(cv);
        [i, f, gg, o].forEach((v, q) => (g[r * 4 * H + q * H + j] = v));
        c[r * H + j] = cv, tc[r * H + j] = t, h[r * H + j] = o * t;
      }
    }
    return [g, cPrev!, c, tc, h];
  };
}

function lstmBackward64(bug = ""): Cell {
  return ([dG, dh, dc, gates, cPrev, tc], rows, H) => {
    const dGates = Float64Array.from(dG!), dcOut = Float64Array.from(dc!);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        const at = (q: number) => gates![r * 4 * H + q * H + j]!;
        const [i, f, g, o] = [at(0), at(1), at(2), at(3)];
        const t = tc![r * H + j]!, d = dh![r * H + j]!;
        const dct = dc![r * H + j]! + d * o * (bug === "no 1 − tanh²" ? 1 : 1 - t * t);
        const grads = [dct * g * dsig(i), dct * cPrev![r * H + j]! * dsig(f), dct * i * (1 - g * g), d * t * dsig(o)];
        if (bug === "forget gradient from c, not cPrev") grads[1] = dct * dsig(f);
        grads.forEach((v, q) => (dGates[r * 4 * H + q * H + j] = v));
        dcOut[r * H + j] = bug === "dc not through f" ? dct : dct * f;
      }
    }
    return [dGates, dh!, dcOut, gates!, cPrev!, tc!];
  };
}

function gru64(bug = ""): Cell {
  return ([gx, gh, hPrev, h], rows, H) => {
    const gates = Float64Array.from(gx!), out = Float64Array.from(h!);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        const x = (q: number) => gx![r * 3 * H + q * H + j]!, y = (q: number) => gh![r * 3 * H + q * H + j]!;
        const rg = sigmoid64(x(0) + y(0)), z = sigmoid64(x(1) + y(1));
        const n = bug === "r after the bias" ? tanh(x(2) + rg * (y(2) - 0.25) + 0.25) : tanh(x(2) + rg * y(2));
        gates[r * 3 * H + j] = rg, gates[r * 3 * H + H + j] = z, gates[r * 3 * H + 2 * H + j] = n;
        const hp = hPrev![r * H + j]!;
        out[r * H + j] = bug === "z on n" ? (1 - z) * hp + z * n : (1 - z) * n + z * hp;
      }
    }
    return [gates, gh!, hPrev!, out];
  };
}

function gruBackward64(bug = ""): Cell {
  return ([dgx, dgh, dhPrev, dh, gates, gh, hPrev], rows, H) => {
    const dx = Float64Array.from(dgx!), dy = Float64Array.from(dgh!), dp = Float64Array.from(dhPrev!);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < H; j++) {
        const at = (q: number) => gates![r * 3 * H + q * H + j]!;
        const [rg, z, n] = [at(0), at(1), at(2)], d = dh![r * H + j]!, hn = gh![r * 3 * H + 2 * H + j]!;
        const an = d * (1 - z) * (1 - n * n);
        const az = d * (hPrev![r * H + j]! - n) * dsig(z);
        const ar = an * hn * dsig(rg);
        const o = r * 3 * H + j;
        dx[o] = ar, dx[o + H] = az, dx[o + 2 * H] = an;
        dy[o] = ar, dy[o + H] = az, dy[o + 2 * H] = bug === "dh_n without r" ? an : an * rg;
        dp[r * H + j] = dhPrev![r * H + j]! + d * (bug === "direct term (1 − z)" ? 1 - z : z);
      }
    }
    return [dx, dy, dp, dh!, gates!, gh!, hPrev!];
  };
}

const CELLS: CellSpec[] = [
  {
    name: "f32_lstm_cell", sizes: [4, 1, 1, 1, 1], outputs: [0, 2, 3, 4],
    call: (k, p, rows, H) => k.f32_lstm_cell(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, rows, H),
    f64: lstm64(), mutants: { "gate order i, g, f, o": lstm64("gate order i, g, f, o"), "g a sigmoid": lstm64("g a sigmoid"), "no tanh on c": lstm64("no tanh on c") },
  },
  {
    name: "f32_lstm_cell_backward", sizes: [4, 1, 1, 4, 1, 1], outputs: [0, 2],
    call: (k, p, rows, H) => k.f32_lstm_cell_backward(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, rows, H),
    f64: lstmBackward64(),
    mutants: { "no 1 − tanh²": lstmBackward64("no 1 − tanh²"), "forget gradient from c, not cPrev": lstmBackward64("forget gradient from c, not cPrev"), "dc not through f": lstmBackward64("dc not through f") },
  },
  {
    name: "f32_gru_cell", sizes: [3, 3, 1, 1], outputs: [0, 3],
    call: (k, p, rows, H) => k.f32_gru_cell(p[0]!, p[1]!, p[2]!, p[3]!, rows, H),
    f64: gru64(), mutants: { "r after the bias": gru64("r after the bias"), "z on n": gru64("z on n") },
  },
  {
    name: "f32_gru_cell_backward", sizes: [3, 3, 1, 1, 3, 3, 1], outputs: [0, 1, 2],
    call: (k, p, rows, H) => k.f32_gru_cell_backward(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, p[6]!, rows, H, 1),
    f64: gruBackward64(), mutants: { "dh_n without r": gruBackward64("dh_n without r"), "direct term (1 − z)": gruBackward64("direct term (1 − z)") },
  },
];

/** Inputs of a cell: gates of backward kernels are activations (in (0, 1), or (−1, 1) for tanh gates). */
function inputs(spec: CellSpec, rows: number, H: number, values: (i: number) => number): Float32Array[] {
  let i = 0;
  return spec.sizes.map((m) => Float32Array.from({ length: m * rows * H }, () => values(i++)));
}

const shape = fc.record({ rows: fc.integer({ min: 0, max: 5 }), hidden: fc.integer({ min: 1, max: 19 }), seed: fc.integer() });

function draw(seed: number, scale: number): (i: number) => number {
  return (i) => {
    const x = Math.sin(seed * 0.001 + i * 12.9898) * 43758.5453;
    return (2 * (x - Math.floor(x)) - 1) * scale;
  };
}

describe("recurrent cell kernels", () => {
  for (const spec of CELLS) {
    // Backward kernels read activations: values in (−1, 1) stand for them.
    const scale = spec.name.endsWith("backward") ? 0.99 : 4;
    it(`${spec.name}: simd and scalar write the twin's bits, nothing past the end; relaxed-simd within tolerance`, () => {
      fc.assert(
        fc.property(shape, ({ rows, hidden, seed }) => {
          const x = inputs(spec, rows, hidden, draw(seed, scale));
          const js = run("js", x, (k, p) => spec.call(k, p, rows, hidden));
          for (const b of ["simd", "scalar"] as const) expect(run(b, x, (k, p) => spec.call(k, p, rows, hidden)), b).toEqual(js);
          const relaxed = run("relaxed-simd", x, (k, p) => spec.call(k, p, rows, hidden));
          relaxed.forEach((out, i) => expect(worstError(out, js[i]!, 1e-5, 1e-6), `relaxed-simd buffer ${i}`).toBeLessThanOrEqual(1));
          js.forEach((out, i) => expect(out[x[i]!.length], `sentinel after buffer ${i}`).toBe(SENTINEL));
        }),
        { numRuns: 80 },
      );
    });

    it(`${spec.name}: matches PyTorch's cell in float64, and every mutant is out of tolerance`, () => {
      const rows = 3, hidden = 9;
      const x = inputs(spec, rows, hidden, draw(7, scale));
      const got = run("simd", x, (k, p) => spec.call(k, p, rows, hidden));
      const x64 = x.map((v) => Float64Array.from(v));
      const check = (cell: Cell) => Math.max(...spec.outputs.map((o) => worstError(got[o]!.subarray(0, x[o]!.length), cell(x64, rows, hidden)[o]!, 1e-5, 1e-6)));
      expect(check(spec.f64)).toBeLessThanOrEqual(1);
      for (const [bug, cell] of Object.entries(spec.mutants)) expect(check(cell), bug).toBeGreaterThan(1);
    });
  }
});

describe("swap-axes and embedding kernels", () => {
  it("f32_swap_axes transposes [A, B, C] into [B, A, C] on every backend", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 1, max: 9 }), (A, B, C) => {
        const src = Float32Array.from({ length: A * B * C }, (_, i) => i + 0.5);
        const want = new Float32Array(A * B * C);
        for (let a = 0; a < A; a++) for (let b = 0; b < B; b++) for (let c = 0; c < C; c++) want[(b * A + a) * C + c] = src[(a * B + b) * C + c]!;
        for (const backend of BACKENDS) {
          const [, dst] = run(backend, [src, new Float32Array(src.length)], (k, p) => k.f32_swap_axes(p[1]!, p[0]!, A, B, C));
          expect(dst!.subarray(0, src.length), backend).toEqual(want);
          expect(dst![src.length]).toBe(SENTINEL);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("f32_embedding_backward accumulates repeated ids in order, the same bits on every backend", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 12 }), fc.integer({ min: 1, max: 11 }), (ids, dim) => {
        const dy = Float32Array.from({ length: ids.length * dim }, (_, i) => Math.sin(i) * 3);
        const dw = Float32Array.from({ length: 4 * dim }, (_, i) => Math.cos(i));
        const want = Float32Array.from(dw);
        ids.forEach((id, i) => {
          for (let j = 0; j < dim; j++) want[id * dim + j] = Math.fround(want[id * dim + j]! + dy[i * dim + j]!);
        });
        for (const backend of BACKENDS) {
          const [out] = run(backend, [dw, dy, Float32Array.from(ids)], (k, p) => k.f32_embedding_backward(p[0]!, p[1]!, p[2]!, ids.length, dim));
          expect(out!.subarray(0, dw.length), backend).toEqual(want);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("f32_find_bad_id finds the first id that is not an integer in range", () => {
    for (const backend of BACKENDS) {
      const find = (ids: number[], limit: number) => {
        const engine = engines[backend];
        const s = engine.tensor(ids.length ? ids : [0]);
        return engine.kernels.f32_find_bad_id(s.ptr, ids.length, limit);
      };
      expect(find([0, 1, 2], 3)).toBe(-1);
      expect(find([0, 3, 2], 3)).toBe(1);
      expect(find([0, 1, -1], 3)).toBe(2);
      expect(find([0.5], 3)).toBe(0);
      expect(find([NaN], 3)).toBe(0);
      expect(find([], 3)).toBe(-1);
    }
  });
});
