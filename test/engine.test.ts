import { describe, expect, it } from "vitest";
import { createEngine, isBackendSupported, type Backend } from "../src/index.js";

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
