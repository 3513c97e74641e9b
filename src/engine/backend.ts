/** Which implementation of the kernels runs. `'auto'` picks the fastest that this runtime validates. */
export type Backend = "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
export type WasmBackend = "relaxed-simd" | "simd" | "scalar";
export const BACKENDS: readonly Backend[] = ["auto", "relaxed-simd", "simd", "scalar", "js"];
/** The order 'auto' tries the wasm builds in. */
export const WASM_BACKENDS: readonly WasmBackend[] = ["relaxed-simd", "simd", "scalar"];

// Feature probes (as wasm-feature-detect's): one function () -> v128 each. SIMD: i8x16.splat, i8x16.popcnt.
// Relaxed SIMD: two i8x16.splat, i8x16.relaxed_swizzle. A runtime that validates the probe validates the build.
const PROBES: Record<WasmBackend, Uint8Array<ArrayBuffer> | null> = {
  simd: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15, 253, 98, 11]),
  "relaxed-simd": new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 15, 1, 13, 0, 65, 1, 253, 15, 65, 2, 253, 15, 253, 128, 2, 11]),
  scalar: null,
};

/** True when this runtime validates the given build (Node 20 needs --experimental-wasm-relaxed-simd for relaxed SIMD).
 * Validating is not compiling: a runtime may still refuse to compile (Cloudflare Workers, a Content-Security-Policy
 * without 'wasm-unsafe-eval'); createEngine then says so, or 'auto' falls back. */
export function isBackendSupported(backend: Backend): boolean {
  if (backend === "js" || backend === "auto") return true;
  if (typeof WebAssembly !== "object") return false;
  const probe = PROBES[backend];
  return probe === null || WebAssembly.validate(probe);
}

/** Throws a RangeError unless `requested` is a backend name. */
export function checkBackend(requested: unknown): asserts requested is Backend {
  if (!BACKENDS.includes(requested as Backend)) {
    throw new RangeError(`Unknown backend '${String(requested)}': expected one of ${BACKENDS.join(", ")}`);
  }
}

/** The backend `'auto'` resolves to here: relaxed SIMD, else SIMD, else scalar wasm, else plain JavaScript
 * (as validated; createEngine falls back further when compiling is refused). */
export function resolveBackend(requested: Backend): Exclude<Backend, "auto"> {
  checkBackend(requested);
  if (requested !== "auto") {
    if (!isBackendSupported(requested)) {
      const hint = requested === "relaxed-simd" ? " (in Node 20 run node with --experimental-wasm-relaxed-simd)" : "";
      throw new Error(`Backend '${requested}' is not supported by this WebAssembly runtime${hint}`);
    }
    return requested;
  }
  return WASM_BACKENDS.find(isBackendSupported) ?? "js";
}
