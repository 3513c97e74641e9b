import { describe, expect, it } from "vitest";
import { createEngine, GEMM_PACK_FLOATS, isBackendSupported, type Backend } from "../src/index.js";
import { checkExports, exportMismatches, kernelsOf } from "../src/kernels/abi.js";
import { KERNEL_NAMES, WASM_CONSTANTS, WASM_EXPORTS } from "../src/kernels/kernels.js";
import { createReferenceKernels } from "../src/kernels/reference.js";
import { wasmBytes } from "../src/engine/embedded.js";
import { loadKernels } from "../src/engine/engine.js";

const backends: Backend[] = ["relaxed-simd", "simd", "scalar", "js"];

describe("engine", () => {
  it("resolves 'auto' to the best backend this runtime validates", async () => {
    const engine = await createEngine();
    expect(engine.backend).toBe(isBackendSupported("relaxed-simd") ? "relaxed-simd" : "simd");
  });

  it("rejects an unknown backend by name", async () => {
    await expect(createEngine({ backend: "gpu" as Backend })).rejects.toThrow(/Unknown backend 'gpu'/);
  });

  for (const backend of backends) {
    it(`keeps parameter views valid across memory.grow (${backend})`, async () => {
      const engine = await createEngine({ backend, initialMemoryMiB: 1 });
      const p = engine.parameter([1, 2, 3, 4, 5]);
      const before = p.data;
      const bytes = engine.memory.buffer.byteLength;
      engine.allocF32(4 * 1024 * 1024); // 16 MiB: forces a grow
      expect(engine.memory.buffer.byteLength).toBeGreaterThan(bytes);
      expect(before.length).toBe(0); // the old view was detached by the grow...
      expect(Array.from(p.data)).toEqual([1, 2, 3, 4, 5]); // ...the accessor makes a new one
      p.grad.set([1, 1, 1, 1, 1]);
      p.data[2] = 7;
      expect(new Float32Array(engine.memory.buffer, p.dataSlice.ptr, 5)[2]).toBe(7);
    });
  }

  it("keeps int32 and byte views valid across memory.grow", async () => {
    const engine = await createEngine({ backend: "js", initialMemoryMiB: 1 });
    const labels = engine.allocI32(3);
    const bytes = engine.allocU8(5);
    labels.array.set([7, -1, 3]);
    bytes.array.set([1, 2, 255, 4, 5]);
    const [oldLabels, oldBytes] = [labels.array, bytes.array];
    engine.allocF32(4 * 1024 * 1024);
    expect(oldLabels.length + oldBytes.length).toBe(0);
    expect(Array.from(labels.array)).toEqual([7, -1, 3]);
    expect(Array.from(bytes.array)).toEqual([1, 2, 255, 4, 5]);
  });

  it("packs parameters contiguously, grads in the same layout", async () => {
    const engine = await createEngine({ backend: "js" });
    const [a, b] = engine.parameters([{ values: 3 }, { values: [1, 2], shape: [1, 2] }]);
    expect(b!.dataSlice.ptr).toBe(a!.dataSlice.ptr + 12);
    expect(b!.gradSlice.ptr - a!.gradSlice.ptr).toBe(12);
    const c = engine.parameter(5);
    const d = engine.parameter(7);
    expect(d.dataSlice.ptr).toBe(c.dataSlice.ptr + 20);
    expect(() => engine.parameter([1, 2, 3], [2, 2], "w")).toThrow(/parameter 'w': shape \[2, 2\] does not hold 3 values/);
  });
});

/** The simd build with the export `name` renamed to `to` (same length, so that no section size changes). */
function renamedExport(name: string, to: string): Uint8Array<ArrayBuffer> {
  const bytes = wasmBytes("simd").slice();
  const needle = [name.length, ...new TextEncoder().encode(name)];
  const hits: number[] = [];
  for (let i = 0; i + needle.length <= bytes.length; i++) if (needle.every((b, j) => bytes[i + j] === b)) hits.push(i);
  expect(hits, `occurrences of ${name} in the binary`).toHaveLength(1);
  bytes.set(new TextEncoder().encode(to), hits[0]! + 1);
  return bytes;
}

describe("the kernel ABI (src/kernels/abi.gen.ts, generated from assembly/)", () => {
  it("the wasm builds export exactly the generated names, kinds and constants", () => {
    for (const backend of ["simd", "scalar", ...(isBackendSupported("relaxed-simd") ? ["relaxed-simd" as const] : [])] as const) {
      const exports = WebAssembly.Module.exports(new WebAssembly.Module(wasmBytes(backend)));
      expect(exportMismatches(exports), backend).toEqual([]);
      expect(exports.filter((e) => e.kind === "function").map((e) => e.name).sort()).toEqual([...KERNEL_NAMES].sort());
    }
    expect(Object.keys(WASM_EXPORTS)).toContain("memory");
    expect(GEMM_PACK_FLOATS).toBe(WASM_CONSTANTS.GEMM_KC * WASM_CONSTANTS.GEMM_NC + WASM_CONSTANTS.GEMM_MC * WASM_CONSTANTS.GEMM_KC + WASM_CONSTANTS.GEMM_MR * WASM_CONSTANTS.GEMM_NR);
  });

  it("every backend's kernels are exactly the module's functions", async () => {
    expect(Object.keys(createReferenceKernels(new WebAssembly.Memory({ initial: 1 }))).sort()).toEqual([...KERNEL_NAMES].sort());
    for (const backend of ["simd", "scalar", "js"] as const) {
      const engine = await createEngine({ backend });
      expect(Object.keys(engine.kernels).sort(), backend).toEqual([...KERNEL_NAMES].sort());
      for (const name of KERNEL_NAMES) expect(typeof engine.kernels[name], `${backend} ${name}`).toBe("function");
    }
  });

  it("names the missing, extra and mistyped exports of a module", () => {
    const expected = { memory: "memory", f32_a: "function", f32_b: "function", K: "global" } as const;
    expect(() => checkExports([{ name: "memory", kind: "memory" }, { name: "f32_a", kind: "function" }, { name: "K", kind: "global" }, { name: "f32_b", kind: "function" }], expected)).not.toThrow();
    const fake: WebAssembly.ModuleExportDescriptor[] = [
      { name: "memory", kind: "memory" }, { name: "f32_a", kind: "function" }, { name: "f32_c", kind: "function" }, { name: "K", kind: "function" },
    ];
    expect(exportMismatches(fake, expected)).toEqual(["missing f32_b (function)", "extra f32_c (function)", "K is a function, expected a global"]);
    expect(() => checkExports(fake, expected)).toThrow(/does not match the ABI .*missing f32_b \(function\); extra f32_c \(function\); K is a function, expected a global/);
  });

  it("refuses to load a module with a renamed export, naming both names", async () => {
    const memory = new WebAssembly.Memory({ initial: 1 });
    await expect(loadKernels(wasmBytes("simd"), memory)).resolves.toBeDefined();
    await expect(loadKernels(renamedExport("f32_lion", "f32_lioN"), memory)).rejects.toThrow(/missing f32_lion \(function\); extra f32_lioN \(function\)/);
    await expect(loadKernels(renamedExport("GEMM_KC", "GEMM_KX"), memory)).rejects.toThrow(/missing GEMM_KC \(global\); extra GEMM_KX \(global\)/);
  });

  it("refuses a module whose constants differ from the ones the library was built with", async () => {
    const module = new WebAssembly.Module(wasmBytes("simd"));
    const { exports } = new WebAssembly.Instance(module, { env: { memory: new WebAssembly.Memory({ initial: 1 }) } });
    expect(() => kernelsOf(exports)).not.toThrow();
    expect(() => kernelsOf(exports, { ...WASM_CONSTANTS, GEMM_PACK_FLOATS: GEMM_PACK_FLOATS + 1 })).toThrow(
      new RegExp(`constant GEMM_PACK_FLOATS is ${GEMM_PACK_FLOATS}, this library was built with ${GEMM_PACK_FLOATS + 1}`),
    );
  });
});

describe("Rng seeds", () => {
  it("are integers in [0, 2^32): wider or fractional ones would wrap silently onto another seed", async () => {
    const { Rng } = await import("../src/engine/rng.js");
    for (const bad of [-1, 2 ** 32, 1.5, NaN, Infinity]) expect(() => new Rng(bad)).toThrow(/Invalid seed: .* \(must be an integer in \[0, 4294967295\]\)/);
    expect(new Rng(2 ** 32 - 1).nextU32()).not.toBe(new Rng(0).nextU32());
  });
});
