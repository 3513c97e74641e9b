// The gather kernels on every backend against an independent plain-JS computation and against the JS twin:
// simd and scalar agree with the twin bit for bit; relaxed SIMD fuses x·scale + offset, so it is within one
// rounding (and exact when offset is 0).
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { createEngine, type Backend, type Engine } from "../src/index.js";

const wasmBackends: Backend[] = ["simd", "scalar", "relaxed-simd"];
const f = Math.fround;

interface Case {
  rows: number;
  cols: number;
  n: number; // rows in the source
  seed: number;
  scale: number;
  offset: number;
}

/** Fills a source of n rows, gathers `rows` of them (with repeats) with each kernel, returns the outputs. */
function runCase(engine: Engine, c: Case) {
  const { rows, cols, n, scale, offset } = c;
  let state = c.seed >>> 0;
  const rand = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const srcU8 = engine.allocU8(n * cols);
  const srcF32 = engine.allocF32(n * cols);
  const srcI32 = engine.allocI32(n);
  const idx = engine.allocI32(rows);
  for (let i = 0; i < n * cols; i++) {
    srcU8.array[i] = Math.floor(rand() * 256);
    srcF32.array[i] = (rand() - 0.5) * 1000;
  }
  for (let i = 0; i < n; i++) srcI32.array[i] = Math.floor(rand() * 2 ** 31) - 2 ** 30;
  for (let r = 0; r < rows; r++) idx.array[r] = Math.floor(rand() * n);
  // Unaligned destinations: one element in, as a sub-slice of a model's buffer could be.
  const dstU8 = engine.allocF32(rows * cols + 1).slice(1, rows * cols);
  const dstF32 = engine.allocF32(rows * cols + 1).slice(1, rows * cols);
  const dstI32 = engine.allocI32(rows);
  const k = engine.kernels;
  k.f32_gather_rows_u8(dstU8.ptr, srcU8.ptr, idx.ptr, rows, cols, scale, offset);
  k.f32_gather_rows_f32(dstF32.ptr, srcF32.ptr, idx.ptr, rows, cols, scale, offset);
  k.i32_gather(dstI32.ptr, srcI32.ptr, idx.ptr, rows);
  // Independent expectation: float32 rounding of each operation, written out here.
  const expU8 = new Float32Array(rows * cols), expF32 = new Float32Array(rows * cols), expI32 = new Int32Array(rows);
  const s = f(scale), o = f(offset);
  for (let r = 0; r < rows; r++) {
    const i = idx.array[r]!;
    expI32[r] = srcI32.array[i]!;
    for (let j = 0; j < cols; j++) {
      expU8[r * cols + j] = f(f(srcU8.array[i * cols + j]! * s) + o);
      expF32[r * cols + j] = f(f(srcF32.array[i * cols + j]! * s) + o);
    }
  }
  return {
    u8: Float32Array.from(dstU8.array), f32: Float32Array.from(dstF32.array), i32: Int32Array.from(dstI32.array),
    expU8, expF32, expI32,
  };
}

const odd = [0, 1, 3, 4, 5, 15, 16, 17, 31, 33, 64, 784, 1001];

function within(actual: Float32Array, expected: Float32Array): boolean {
  // One float32 rounding of slack, relative to the magnitude of the terms (fused multiply-add).
  return actual.every((v, i) => Math.abs(v - expected[i]!) <= 2 ** -22 * (Math.abs(expected[i]!) + 1000));
}

describe("gather kernels", () => {
  for (const backend of ["js", ...wasmBackends] as Backend[]) {
    it(`${backend}: rows gathered in index order, bytes scaled, for odd row widths`, async () => {
      const engine = await createEngine({ backend });
      for (const cols of odd) {
        for (const [scale, offset] of [[1 / 255, 0], [1 / 16, -0.5], [1, 0], [-2.5, 3]] as const) {
          const out = runCase(engine, { rows: 7, cols, n: 11, seed: cols + 1, scale, offset });
          const where = `cols ${cols}, scale ${scale}, offset ${offset}`;
          expect(out.i32, where).toEqual(out.expI32);
          if (backend === "relaxed-simd" && offset !== 0) {
            expect(within(out.u8, out.expU8), where).toBe(true);
            expect(within(out.f32, out.expF32), where).toBe(true);
          } else {
            expect(out.u8, where).toEqual(out.expU8);
            expect(out.f32, where).toEqual(out.expF32);
          }
        }
      }
    });
  }

  it("simd and scalar match the JS twin bit for bit on random shapes", async () => {
    const engines = await Promise.all((["js", "simd", "scalar", "relaxed-simd"] as const).map((backend) => createEngine({ backend })));
    const [js, ...wasm] = engines;
    fc.assert(
      fc.property(
        fc.record({
          rows: fc.integer({ min: 0, max: 9 }),
          cols: fc.integer({ min: 0, max: 70 }),
          n: fc.integer({ min: 1, max: 12 }),
          seed: fc.integer({ min: 0, max: 0xffffffff }),
          scale: fc.float({ min: -4, max: 4, noNaN: true }),
          offset: fc.float({ min: -4, max: 4, noNaN: true }),
        }),
        (c) => {
          const ref = runCase(js!, c);
          for (const engine of wasm) {
            const out = runCase(engine, c);
            expect(out.i32).toEqual(ref.i32);
            if (engine.backend === "relaxed-simd") {
              expect(within(out.u8, ref.u8)).toBe(true);
              expect(within(out.f32, ref.f32)).toBe(true);
            } else {
              expect(out.u8).toEqual(ref.u8);
              expect(out.f32).toEqual(ref.f32);
            }
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});
