// The spatial kernels (conv.ts, pool.ts, batchnorm.ts) against their JavaScript twins on random shapes: the simd
// and scalar builds write the same bits as the twin (channel sums are float64 in one fixed order; im2col/col2im
// and pooling move and add in the same order) over the whole scratch, inputs and untouched memory included; the
// relaxed-SIMD build stays within a float32 rounding tolerance (it fuses the multiply-add of the normalization).
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, isBackendSupported, Rng, type Backend, type Engine, type F32Slice } from "../src/index.js";
import type { Kernels } from "../src/kernels/kernels.js";
import { worstError as closeness } from "./helpers/nn-reference.js";

const FLOATS = 1 << 16;
const REGIONS = 8;
const REGION = FLOATS / REGIONS;
const exactBackends = ["simd", "scalar"] as const;
const relaxed = isBackendSupported("relaxed-simd");

const memories = new Map<Backend, { engine: Engine; scratch: F32Slice }>();
/** Random floats, N(0, 9); each run reads FLOATS of them from a random offset. */
const pool = (() => {
  const rng = new Rng(42);
  return Float32Array.from({ length: 4 * FLOATS }, () => 3 * rng.normal());
})();

beforeAll(async () => {
  for (const backend of ["js", ...exactBackends, ...(relaxed ? ["relaxed-simd" as const] : [])] as const) {
    const engine = await createEngine({ backend });
    memories.set(backend, { engine, scratch: engine.allocF32(FLOATS) });
  }
});

/**
 * Fills the scratch of every backend with the same random floats (region r starts at element r·REGION; a few
 * regions may hold non-negative values, for variances; NaNs may be sprinkled in, for max pooling), runs `call` with
 * the byte addresses of the regions, and
 * compares the whole scratch of each backend with the JavaScript twin's.
 */
function agree(seed: number, call: (k: Kernels, region: number[]) => void, positive: number[] = [], nans = false): void {
  const offset = seed % (3 * FLOATS);
  const data = pool.slice(offset, offset + FLOATS);
  for (const r of positive) for (let i = r * REGION; i < (r + 1) * REGION; i++) data[i] = Math.abs(data[i]!);
  if (nans) for (let i = seed % 37; i < FLOATS; i += 37) data[i] = NaN;
  const results = new Map<Backend, Float32Array>();
  for (const [backend, { engine, scratch }] of memories) {
    scratch.array.set(data);
    call(engine.kernels, Array.from({ length: REGIONS }, (_, r) => scratch.ptr + 4 * r * REGION));
    results.set(backend, scratch.array.slice());
  }
  const js = results.get("js")!;
  const jsBits = new Uint32Array(js.buffer);
  for (const backend of exactBackends) {
    const bits = new Uint32Array(results.get(backend)!.buffer);
    const first = bits.findIndex((b, i) => b !== jsBits[i]);
    expect(first === -1 ? "same bits" : `${backend} differs at element ${first}: ${results.get(backend)![first]} vs ${js[first]}`).toBe("same bits");
  }
  if (relaxed) expect(closeness(results.get("relaxed-simd")!, js, 1e-5, 1e-5)).toBeLessThanOrEqual(1);
}

// Per-channel layouts [n, C, L]: L = 1 takes the channel-pair path, L < 4 the scalar tail only, L ≥ 4 the lanes.
const layout = fc.record({
  n: fc.integer({ min: 1, max: 6 }),
  C: fc.integer({ min: 1, max: 9 }),
  L: fc.constantFrom(1, 2, 3, 4, 5, 7, 15, 16, 17, 33),
});
const large = { n: 2, C: 3, L: 1031 };
const seed = fc.integer({ min: 1, max: 2 ** 31 - 1 });

describe("per-channel kernels (batch norm, bias)", () => {
  const cases: [string, (k: Kernels, r: number[], s: { n: number; C: number; L: number }) => void, number[]][] = [
    ["f32_bn_stats", (k, r, { n, C, L }) => k.f32_bn_stats(r[1]!, r[2]!, r[0]!, n, C, L), []],
    ["f32_channel_sum_add", (k, r, { n, C, L }) => k.f32_channel_sum_add(r[1]!, r[0]!, n, C, L), []],
    ["f32_channel_fill", (k, r, { n, C, L }) => k.f32_channel_fill(r[0]!, r[1]!, n, C, L), []],
    ["f32_channel_affine", (k, r, { n, C, L }) => k.f32_channel_affine(r[2]!, r[0]!, r[1]!, r[3]!, n, C, L), []],
    ["f32_channel_affine in place", (k, r, { n, C, L }) => k.f32_channel_affine(r[0]!, r[0]!, r[1]!, r[3]!, n, C, L), []],
    [
      "f32_bn_backward_reduce (training)",
      (k, r, { n, C, L }) => k.f32_bn_backward_reduce(r[4]!, r[5]!, r[6]!, r[7]!, r[0]!, r[1]!, r[2]!, r[3]!, n, C, L, 1),
      [3],
    ],
    [
      "f32_bn_backward_reduce (eval)",
      (k, r, { n, C, L }) => k.f32_bn_backward_reduce(r[4]!, r[5]!, r[6]!, r[7]!, r[0]!, r[1]!, r[2]!, r[3]!, n, C, L, 0),
      [3],
    ],
    ["f32_bn_backward_input", (k, r, { n, C, L }) => k.f32_bn_backward_input(r[7]!, r[0]!, r[1]!, r[2]!, r[3]!, r[4]!, r[5]!, n, C, L), []],
    ["f32_bn_update_running", (k, r, { C }) => k.f32_bn_update_running(r[0]!, r[1]!, r[2]!, r[3]!, C, 0.1, 4 / 3), [1, 3]],
    ["f32_bn_scale_shift", (k, r, { C }) => k.f32_bn_scale_shift(r[5]!, r[6]!, r[7]!, r[0]!, r[1]!, r[2]!, r[3]!, C, 1e-5), [1]],
  ];
  for (const [name, call, positive] of cases) {
    it(`${name}: simd and scalar write the twin's bits`, () => {
      fc.assert(fc.property(layout, seed, (s, sd) => agree(sd, (k, r) => call(k, r, s), positive)), { numRuns: 60 });
      agree(5, (k, r) => call(k, r, large), positive);
    });
  }
});

// Image geometry with a kernel that fits the padded input and padding at most half the kernel (pooling's rule).
const geometry = fc
  .record({
    C: fc.integer({ min: 1, max: 3 }),
    H: fc.integer({ min: 1, max: 9 }),
    W: fc.integer({ min: 1, max: 17 }),
    KH: fc.integer({ min: 1, max: 4 }),
    KW: fc.integer({ min: 1, max: 4 }),
    SH: fc.integer({ min: 1, max: 3 }),
    SW: fc.integer({ min: 1, max: 3 }),
    ph: fc.integer({ min: 0, max: 2 }),
    pw: fc.integer({ min: 0, max: 2 }),
  })
  .map((g) => {
    const PH = Math.min(g.ph, Math.floor(g.KH / 2)), PW = Math.min(g.pw, Math.floor(g.KW / 2));
    return { ...g, PH, PW, OH: Math.floor((g.H + 2 * PH - g.KH) / g.SH) + 1, OW: Math.floor((g.W + 2 * PW - g.KW) / g.SW) + 1 };
  })
  .filter((g) => g.OH >= 1 && g.OW >= 1);

type G = { C: number; H: number; W: number; KH: number; KW: number; SH: number; SW: number; PH: number; PW: number; OH: number; OW: number };
const args = (g: G, planes = g.C) => [planes, g.H, g.W, g.KH, g.KW, g.SH, g.SW, g.PH, g.PW, g.OH, g.OW] as const;

describe("im2col, col2im and pooling", () => {
  const cases: [string, (k: Kernels, r: number[], g: G) => void, boolean?][] = [
    ["f32_im2col", (k, r, g) => k.f32_im2col(r[1]!, r[0]!, ...args(g))],
    ["f32_col2im", (k, r, g) => k.f32_col2im(r[1]!, r[0]!, ...args(g))],
    ["f32_maxpool2d", (k, r, g) => k.f32_maxpool2d(r[1]!, r[2]!, r[0]!, ...args(g, 2 * g.C))],
    ["f32_maxpool2d with NaNs", (k, r, g) => k.f32_maxpool2d(r[1]!, r[2]!, r[0]!, ...args(g, 2 * g.C)), true],
    [
      "f32_maxpool2d_backward",
      (k, r, g) => {
        k.f32_maxpool2d(r[1]!, r[2]!, r[0]!, ...args(g, 2 * g.C));
        k.f32_maxpool2d_backward(r[3]!, r[4]!, r[2]!, 2 * g.C, g.H * g.W, g.OH * g.OW);
      },
    ],
    ["f32_avgpool2d", (k, r, g) => k.f32_avgpool2d(r[1]!, r[0]!, 1, ...args(g, 2 * g.C))],
    ["f32_avgpool2d without padding counted", (k, r, g) => k.f32_avgpool2d(r[1]!, r[0]!, 0, ...args(g, 2 * g.C))],
    ["f32_avgpool2d_backward", (k, r, g) => k.f32_avgpool2d_backward(r[1]!, r[0]!, 1, ...args(g, 2 * g.C))],
  ];
  for (const [name, call, nans = false] of cases) {
    it(`${name}: simd and scalar write the twin's bits`, () => {
      fc.assert(fc.property(geometry, seed, (g, sd) => agree(sd, (k, r) => call(k, r, g), [], nans)), { numRuns: 80 });
    });
  }
});
