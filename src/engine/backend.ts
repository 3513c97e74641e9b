import { wasmBinaries } from "./wasm-binaries.gen.js";

/** Which implementation of the kernels runs. `'auto'` picks the fastest that this runtime validates. */
export type Backend = "auto" | "relaxed-simd" | "simd" | "scalar" | "js";
export type WasmBackend = "relaxed-simd" | "simd" | "scalar";
export const BACKENDS: readonly Backend[] = ["auto", "relaxed-simd", "simd", "scalar", "js"];

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const decoded = new Map<WasmBackend, Uint8Array<ArrayBuffer>>();
export function wasmBytes(backend: WasmBackend): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(backend);
  if (!bytes) decoded.set(backend, (bytes = decodeBase64(wasmBinaries[backend])));
  return bytes;
}

/** True when this runtime can compile the given build (Node 20 needs --experimental-wasm-relaxed-simd for relaxed SIMD). */
export function isBackendSupported(backend: Backend): boolean {
  if (backend === "js" || backend === "auto") return true;
  return WebAssembly.validate(wasmBytes(backend));
}

/** The backend `'auto'` resolves to here: relaxed SIMD, else SIMD, else scalar wasm, else plain JavaScript. */
export function resolveBackend(requested: Backend): Exclude<Backend, "auto"> {
  if (!BACKENDS.includes(requested)) {
    throw new RangeError(`Unknown backend '${String(requested)}': expected one of ${BACKENDS.join(", ")}`);
  }
  if (requested !== "auto") {
    if (!isBackendSupported(requested)) {
      const hint = requested === "relaxed-simd" ? " (in Node 20 run node with --experimental-wasm-relaxed-simd)" : "";
      throw new Error(`Backend '${requested}' is not supported by this WebAssembly runtime${hint}`);
    }
    return requested;
  }
  for (const b of ["relaxed-simd", "simd", "scalar"] as const) if (isBackendSupported(b)) return b;
  return "js";
}
