// The bf16 and int8 optimizer-state kernels (assembly/optim/lowbit.ts) against a reference written here: the update
// in float32 (the operation order of the float32 kernels), and the quantization rules in float64 — bf16 by choosing
// the nearer of the two neighbouring bf16 values (ties to the even one), int8 by bitsandbytes' own search
// (csrc/kernels.cu `quantize_2D`: a binary search over the sorted map, then the nearer neighbour by float32
// midpoints, then the sign check of the first moment). Every backend (js, simd, scalar, relaxed-simd) must write the
// reference's bits, on lengths 0..2000 (odd ones, block edges), blocks of zeros, huge and tiny values. Plausible
// bugs, in the kernel's scalars (mutants) and in the rules (wrong references), must each make the check fail.
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { createEngine, isBackendSupported, type Backend, type Engine } from "../src/index.js";
import { WASM_CONSTANTS } from "../src/kernels/kernels.js";
import { DYNAMIC_MAP, UNSIGNED_DYNAMIC_MAP, quantizationMaps } from "../src/optim/qmap.js";
import qmapJson from "./data/optim/qmap.json" with { type: "json" };

const f = Math.fround;
const BLOCK = WASM_CONSTANTS.Q8_BLOCK;
const MAX_N = 2000;
const backends = (["js", "simd", "scalar", "relaxed-simd"] as const).filter((b) => isBackendSupported(b));

type Kind = "adam" | "adamw" | "sgd";
type Dtype = "bf16" | "int8";

interface Hyper {
  beta1: number; beta2: number; eps: number; weightDecay: number; decay: number; stepSize: number; invBc2Sqrt: number;
  gradSign: number; lr: number; momentum: number; omd: number; nesterov: number; first: number;
}

/** One kernel's inputs: θ, g, the states' codes (bf16 bits or int8 codes) and the int8 blocks' absmax. */
interface Inputs {
  p: Float32Array;
  g: Float32Array;
  m: Uint16Array;
  v: Uint16Array;
  absmax: Float32Array;
}

interface Outputs extends Inputs {}

// ---------------------------------------------------------------------------------------------- the reference

const word = new Uint32Array(1);
const float = new Float32Array(word.buffer);
const bitsOf = (x: number) => ((float[0] = x), word[0]!);
const fromBits = (b: number) => ((word[0] = b), float[0]!);
const signbit = (x: number) => x < 0 || Object.is(x, -0);

/** bf16 of a float32, in float64: the nearer of the bf16 values below and above in magnitude, ties to even. */
function bf16Of(x: number): number {
  if (Number.isNaN(x)) return (bitsOf(x) >>> 16) | 0x40;
  const low = bitsOf(x) >>> 16; // truncated toward zero
  const a = Math.abs(fromBits(low << 16)), b = Math.abs(fromBits(((low + 1) & 0xffff) << 16));
  const d = Math.abs(x) - a, e = b - Math.abs(x);
  if (d < e) return low;
  if (d > e) return (low + 1) & 0xffff;
  return low & 1 ? (low + 1) & 0xffff : low;
}

/** bitsandbytes' quantize_2D (without its quadrant cache, which only speeds up the first steps). */
function bnbQuantize(code: Float32Array, signed: boolean, x: number, ties = true): number {
  let pivot = 127, upperPivot = 255, lowerPivot = 0;
  let lower = signed ? -1 : 0, upper = 1, val = code[pivot]!;
  for (let i = 64; i > 0; i >>= 1) {
    if (x > val) (lowerPivot = pivot), (lower = val), (pivot += i);
    else (upperPivot = pivot), (upper = val), (pivot -= i);
    val = code[pivot]!;
  }
  if (x > val) {
    const mid = f(f(upper + val) * 0.5);
    return x > mid || (!ties && x === mid) ? upperPivot : pivot;
  }
  const mid = f(f(lower + val) * 0.5);
  return x < mid || (!ties && x === mid) ? lowerPivot : pivot;
}

/** The code of s in a block of absmax `top`: x = s / top (0 in a block of zeros), then bitsandbytes' sign check. */
function q8Of(code: Float32Array, signed: boolean, s: number, top: number, rule: Rule): number {
  const x = top > 0 ? f(s / top) : 0;
  let c = bnbQuantize(code, signed, x, rule.ties);
  if (signed && rule.signCheck && signbit(code[c]!) !== signbit(s)) c += s > 0 ? 1 : -1;
  return c;
}

/** The rules, as the wrong references switch them off one at a time. */
interface Rule {
  ties: boolean;
  signCheck: boolean;
  bf16: (x: number) => number;
  newAbsmax: boolean;
  flush: boolean;
}
const RULE: Rule = { ties: true, signCheck: true, bf16: bf16Of, newAbsmax: true, flush: true };

function reference(kind: Kind, dtype: Dtype, x: Inputs, h: Hyper, rule: Rule = RULE): Outputs {
  const n = x.p.length;
  const out: Outputs = { p: x.p.slice(), g: x.g.slice(), m: x.m.slice(), v: x.v.slice(), absmax: x.absmax.slice() };
  const blocks = Math.ceil(n / BLOCK);
  const tiny = kind === "sgd" || f(h.eps) > 0 ? 2 ** -126 : 0;
  const flush = (y: number) => (rule.flush && Math.abs(y) < tiny ? 0 : y);
  const load = (codes: Uint16Array, i: number, map: Float32Array, absmax: number) =>
    dtype === "bf16" ? fromBits(codes[i]! << 16) : f(map[codes[i]!]! * absmax);
  /** [θ', m', v'] of element i from the stored state (the float32 update of the kernels). */
  const element = (i: number, am: number, av: number): [number, number, number] => {
    let pi = x.p[i]!;
    if (kind === "sgd") {
      const gi = f(f(f(h.weightDecay) * pi) + f(f(h.gradSign) * x.g[i]!));
      const bi = flush(h.first ? gi : f(f(f(h.omd) * gi) + f(f(h.momentum) * load(x.m, i, DYNAMIC_MAP, am))));
      const step = h.nesterov ? f(f(f(h.momentum) * bi) + gi) : bi;
      return [f(f(f(-h.lr) * step) + pi), bi, 0];
    }
    if (kind === "adamw") pi = f(pi * f(h.decay));
    let gi = f(f(h.gradSign) * x.g[i]!);
    if (kind === "adam") gi = f(f(f(h.weightDecay) * pi) + gi);
    const mi = flush(f(f(f(h.beta1) * load(x.m, i, DYNAMIC_MAP, am)) + f(f(1 - h.beta1) * gi)));
    const vi = flush(f(f(f(f(1 - h.beta2) * gi) * gi) + f(f(h.beta2) * load(x.v, i, UNSIGNED_DYNAMIC_MAP, av))));
    const denom = f(f(f(Math.sqrt(vi)) * f(h.invBc2Sqrt)) + f(h.eps));
    return [f(f(f(-h.stepSize) * f(mi / denom)) + pi), mi, vi];
  };
  for (let b = 0; b < blocks; b++) {
    const start = b * BLOCK, end = Math.min(n, start + BLOCK);
    const am = x.absmax[b]!, av = x.absmax[blocks + b]!;
    let topM = 0, topV = 0;
    for (let i = start; i < end; i++) {
      const [, mi, vi] = element(i, am, av);
      topM = Math.max(topM, Math.abs(mi));
      topV = Math.max(topV, vi);
    }
    if (!rule.newAbsmax) (topM = am), (topV = av);
    for (let i = start; i < end; i++) {
      const [pi, mi, vi] = element(i, am, av);
      out.p[i] = pi;
      out.m[i] = dtype === "bf16" ? rule.bf16(mi) : q8Of(DYNAMIC_MAP, true, mi, topM, rule);
      if (kind !== "sgd") out.v[i] = dtype === "bf16" ? rule.bf16(vi) : q8Of(UNSIGNED_DYNAMIC_MAP, false, vi, topV, rule);
    }
    if (dtype === "int8") (out.absmax[b] = topM), kind !== "sgd" && (out.absmax[blocks + b] = topV);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------- the kernels

interface Bench {
  engine: Engine;
  p: number; g: number; m: number; v: number; absmax: number; qmap: number;
}
const benches = new Map<Backend, Bench>();
beforeAll(async () => {
  for (const backend of backends) {
    const engine = await createEngine({ backend });
    const bytes = (k: number) => engine.allocU8(k).ptr;
    benches.set(backend, {
      engine, p: bytes(4 * MAX_N + 64), g: bytes(4 * MAX_N + 64), m: bytes(2 * MAX_N + 64), v: bytes(2 * MAX_N + 64),
      absmax: bytes(8 * Math.ceil(MAX_N / BLOCK) + 64), qmap: quantizationMaps(engine).ptr,
    });
  }
});

const SENTINEL = 0xa5;

/** Runs the kernel on one backend; checks that nothing past the end was written. */
function run(backend: Backend, kind: Kind, dtype: Dtype, x: Inputs, h: Hyper): Outputs {
  const b = benches.get(backend)!;
  const mem = () => new Uint8Array(b.engine.memory.buffer);
  const n = x.p.length, blocks = Math.ceil(n / BLOCK), w = dtype === "bf16" ? 2 : 1;
  const put = (ptr: number, bytes: Uint8Array, room: number) => mem().fill(SENTINEL, ptr, ptr + room).set(bytes, ptr);
  const asBytes = (a: Float32Array | Uint16Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const codes = (a: Uint16Array) => (w === 2 ? asBytes(a) : Uint8Array.from(a));
  put(b.p, asBytes(x.p), 4 * n + 16);
  put(b.g, asBytes(x.g), 4 * n + 16);
  put(b.m, codes(x.m), w * n + 16);
  put(b.v, codes(x.v), w * n + 16);
  put(b.absmax, asBytes(x.absmax), 8 * blocks + 16);
  const k = b.engine.kernels;
  const sgd = [h.lr, h.weightDecay, h.momentum, h.omd, h.nesterov, h.first, h.gradSign] as const;
  const adam = [h.beta1, h.beta2, 1 - h.beta1, 1 - h.beta2, h.eps, kind === "adamw" ? h.decay : h.weightDecay, h.stepSize, h.invBc2Sqrt, h.gradSign] as const;
  if (dtype === "bf16") {
    if (kind === "sgd") k.bf16_sgd_momentum(b.p, b.g, b.m, n, ...sgd);
    else (kind === "adam" ? k.bf16_adam : k.bf16_adamw)(b.p, b.g, b.m, b.v, n, ...adam);
  } else {
    if (kind === "sgd") k.q8_sgd_momentum(b.p, b.g, b.m, b.absmax, n, b.qmap, ...sgd);
    else (kind === "adam" ? k.q8_adam : k.q8_adamw)(b.p, b.g, b.m, b.v, b.absmax, n, b.qmap, ...adam);
  }
  const m = mem();
  for (const [ptr, len] of [[b.p, 4 * n], [b.m, w * n], [b.v, w * n], [b.absmax, 8 * blocks]] as const) {
    expect(m.subarray(ptr + len, ptr + len + 16).every((y) => y === SENTINEL), `${backend} wrote past the end`).toBe(true);
  }
  const read16 = (ptr: number) => (w === 2 ? new Uint16Array(m.slice(ptr, ptr + 2 * n).buffer) : Uint16Array.from(m.subarray(ptr, ptr + n)));
  return {
    p: new Float32Array(m.slice(b.p, b.p + 4 * n).buffer), g: x.g, m: read16(b.m), v: read16(b.v),
    absmax: new Float32Array(m.slice(b.absmax, b.absmax + 8 * blocks).buffer),
  };
}

/** Where two outputs differ (bit for bit), or null. */
function difference(a: Outputs, b: Outputs): string | null {
  for (const key of ["p", "m", "v", "absmax"] as const) {
    const x = a[key], y = b[key];
    for (let i = 0; i < x.length; i++) {
      const same = key === "m" || key === "v" ? x[i] === y[i] : Object.is(x[i], y[i]) || (Number.isNaN(x[i]) && Number.isNaN(y[i]));
      if (!same) return `${key}[${i}]: ${x[i]} vs ${y[i]}`;
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------- the inputs

/** A value of one of the regimes: ordinary, zero, huge, tiny, subnormal. */
const magnitude = fc.oneof(
  { weight: 6, arbitrary: fc.double({ min: -3, max: 3, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
  { weight: 1, arbitrary: fc.tuple(fc.boolean(), fc.double({ min: 1e12, max: 1e18, noNaN: true })).map(([neg, y]) => (neg ? -y : y)) },
  { weight: 1, arbitrary: fc.double({ min: 1e-30, max: 1e-20, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(1e-40, -3e-42, 2 ** -126) },
);

/** Values of length n, whole blocks of them zero sometimes. */
const vector = (n: number) =>
  fc.tuple(fc.array(magnitude, { minLength: n, maxLength: n }), fc.boolean()).map(([a, zeroBlock]) => {
    const out = Float32Array.from(a);
    if (zeroBlock && n > BLOCK) out.fill(0, BLOCK, 2 * BLOCK);
    return out;
  });

function inputs(dtype: Dtype): fc.Arbitrary<Inputs> {
  const length = fc.oneof(fc.integer({ min: 0, max: MAX_N }), fc.constantFrom(0, 1, 3, 4, 5, 7, 255, 256, 257, 511, 512, 513, 1001, MAX_N));
  return length.chain((n) => {
    const blocks = Math.ceil(n / BLOCK);
    const state = dtype === "bf16"
      ? vector(n).map((a) => Uint16Array.from(a, bf16Of))
      : fc.array(fc.integer({ min: 0, max: 255 }), { minLength: n, maxLength: n }).map((a) => Uint16Array.from(a));
    const absmax = fc.array(fc.oneof(fc.constant(0), fc.double({ min: 1e-30, max: 1e3, noNaN: true }), fc.constant(1e18)), { minLength: 2 * blocks, maxLength: 2 * blocks });
    return fc.record({
      p: vector(n).map((a) => a.map((y) => Math.max(-1e6, Math.min(1e6, y)))),
      g: vector(n),
      m: state,
      v: state.map((s) => (dtype === "bf16" ? s.map((y) => y & 0x7fff) : s)), // v ≥ 0
      absmax: absmax.map((a) => Float32Array.from(a)),
    });
  });
}

const unit = (min: number, max: number) => fc.double({ min, max, noNaN: true });
const hyper: fc.Arbitrary<Hyper> = fc.record({
  beta1: unit(0, 0.999), beta2: unit(0.9, 0.99999), eps: fc.constantFrom(1e-8, 0, 1e-3), weightDecay: fc.constantFrom(0, 0.1, 0.01),
  decay: unit(0.9, 1), stepSize: unit(1e-4, 0.1), invBc2Sqrt: unit(1, 30), gradSign: fc.constantFrom(1, -1),
  lr: unit(1e-4, 0.1), momentum: unit(0, 0.99), omd: unit(0.5, 1), nesterov: fc.constantFrom(0, 1), first: fc.constantFrom(0, 0, 1),
});

// ---------------------------------------------------------------------------------------------- the tests

it("the maps are bitsandbytes' create_dynamic_map(signed) and (unsigned), bit for bit (scripts/reference/qmap.py)", () => {
  expect([...DYNAMIC_MAP]).toEqual(qmapJson.signed.map(f));
  expect([...UNSIGNED_DYNAMIC_MAP]).toEqual(qmapJson.unsigned.map(f));
  for (let k = 0; k < 255; k++) expect(DYNAMIC_MAP[254 - k] === -DYNAMIC_MAP[k]!).toBe(true); // the mirror the kernels use
});

const KERNELS: [Kind, Dtype][] = [["adam", "bf16"], ["adamw", "bf16"], ["sgd", "bf16"], ["adam", "int8"], ["adamw", "int8"], ["sgd", "int8"]];

/** Property: every backend writes the reference's bits (the kernel called with `mutate`d scalars). */
const agrees = (kind: Kind, dtype: Dtype, rule: Rule = RULE, mutate: (h: Hyper) => Hyper = (h) => h) =>
  fc.property(inputs(dtype), hyper, (x, h) => {
    const want = reference(kind, dtype, x, h, rule);
    for (const backend of backends) {
      const why = difference(run(backend, kind, dtype, x, mutate(h)), want);
      if (why) throw new Error(`${backend}: ${why}`);
    }
  });

describe.each(KERNELS)("%s with %s state", (kind, dtype) => {
  it(`every backend (${backends.join(", ")}) writes the reference's bits`, () => {
    fc.assert(agrees(kind, dtype), { numRuns: 30 });
  });

  const mutants: Record<string, (h: Hyper) => Hyper> = kind === "sgd"
    ? { "ignores the dampening": (h) => ({ ...h, omd: 1 }), "treats the first step as a later one": (h) => ({ ...h, first: 0 }) }
    : {
      "uses β1 for β2": (h) => ({ ...h, beta2: h.beta1 }),
      "forgets the bias correction of v": (h) => ({ ...h, invBc2Sqrt: 1 }),
      ...(kind === "adamw" ? { "skips the decoupled decay": (h: Hyper) => ({ ...h, decay: 1 }) } : { "ignores the weight decay": (h: Hyper) => ({ ...h, weightDecay: 0 }) }),
    };
  const rules: Record<string, Rule> = dtype === "bf16"
    ? { "truncates to bf16": { ...RULE, bf16: (y) => (Number.isNaN(y) ? bf16Of(y) : bitsOf(y) >>> 16) }, "does not flush": { ...RULE, flush: false } }
    : { "keeps the old absmax": { ...RULE, newAbsmax: false }, "skips the sign check": { ...RULE, signCheck: false }, "does not flush": { ...RULE, flush: false } };
  for (const [bug, mutate] of Object.entries(mutants)) {
    it(`fails on a kernel that ${bug}`, () => {
      expect(fc.check(agrees(kind, dtype, RULE, mutate), { numRuns: 60, endOnFailure: true }).failed).toBe(true);
    });
  }
  for (const [bug, rule] of Object.entries(rules)) {
    it(`fails against a reference that ${bug}`, () => {
      expect(fc.check(agrees(kind, dtype, rule), { numRuns: 60, endOnFailure: true }).failed).toBe(true);
    });
  }
});

describe("int8 quantization at and around every midpoint of the maps", () => {
  /** SGD's first step stores b = g and absmax max|g| = 1: the codes are those of g itself. */
  const atMidpoints = (map: Float32Array) => {
    const xs: number[] = [1];
    for (let k = 0; k < 255; k++) {
      const mid = f(f(map[k]! + map[k + 1]!) * 0.5);
      for (let d = -2; d <= 2; d++) xs.push(fromBits(bitsOf(mid) + d), fromBits(bitsOf(map[k]!) + d));
    }
    return Float32Array.from(xs.filter((y) => Math.abs(y) <= 1));
  };
  const h: Hyper = { beta1: 0, beta2: 0, eps: 1e-8, weightDecay: 0, decay: 1, stepSize: 0, invBc2Sqrt: 1, gradSign: 1, lr: 0, momentum: 0.5, omd: 1, nesterov: 0, first: 1 };
  it("the signed map (SGD's momentum): bitsandbytes' codes, ties to the even code", () => {
    const g = atMidpoints(DYNAMIC_MAP);
    // one block at a time, each holding 1 so that absmax = 1 and x = g exactly
    for (let s = 0; s < g.length; s += BLOCK - 1) {
      const x = Float32Array.from([1, ...g.subarray(s, s + BLOCK - 1)]);
      const n = x.length, zeros = new Uint16Array(n);
      const input: Inputs = { p: new Float32Array(n), g: x, m: zeros, v: zeros, absmax: new Float32Array(2 * Math.ceil(n / BLOCK)) };
      const want = reference("sgd", "int8", input, h);
      const ties = reference("sgd", "int8", input, h, { ...RULE, ties: false });
      expect(difference(want, ties), "the block holds a tie").not.toBeNull();
      for (const backend of backends) expect(difference(run(backend, "sgd", "int8", input, h), want), backend).toBeNull();
    }
  });
  it("the unsigned map (Adam's second moment, v = g² with β2 = 0)", () => {
    const targets = atMidpoints(UNSIGNED_DYNAMIC_MAP).filter((y) => y >= 0);
    // the g whose float32 square is the target, where one exists
    const g = [...targets].map((t) => [-1, 0, 1].map((d) => fromBits(bitsOf(f(Math.sqrt(t))) + d)).find((y) => f(y * y) === t)).filter((y) => y !== undefined);
    expect(g.length).toBeGreaterThan(targets.length / 3);
    let tied = 0;
    for (let s = 0; s < g.length; s += BLOCK - 1) {
      const x = Float32Array.from([1, ...g.slice(s, s + BLOCK - 1)]);
      const n = x.length, zeros = new Uint16Array(n);
      const input: Inputs = { p: new Float32Array(n), g: x, m: zeros, v: zeros, absmax: new Float32Array(2 * Math.ceil(n / BLOCK)) };
      const hv = { ...h, beta2: 0 };
      const want = reference("adam", "int8", input, hv);
      if (difference(want, reference("adam", "int8", input, hv, { ...RULE, ties: false }))) tied++;
      for (const backend of backends) expect(difference(run(backend, "adam", "int8", input, hv), want), backend).toBeNull();
    }
    expect(tied).toBeGreaterThan(0);
  });
});
