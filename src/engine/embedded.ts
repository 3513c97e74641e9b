// The three wasm builds, inlined as base64 (src/engine/wasm-binaries.gen.ts), so that `createEngine()` needs no
// file, fetch or bundler configuration. Only the zero-configuration entry ('wasm-optim') reaches this module;
// 'wasm-optim/lean' does not, so a bundle of it carries no build, or the one the user passes.
import type { WasmBackend } from "./backend.js";
import { wasmBinaries } from "./wasm-binaries.gen.js";

function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const decoded = new Map<WasmBackend, Uint8Array<ArrayBuffer>>();

/** The embedded bytes of one build. */
export function wasmBytes(backend: WasmBackend): Uint8Array<ArrayBuffer> {
  let bytes = decoded.get(backend);
  if (!bytes) decoded.set(backend, (bytes = decodeBase64(wasmBinaries[backend])));
  return bytes;
}
