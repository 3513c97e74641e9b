// The WebAssembly objects that public signatures mention, as structural types: the published declarations then
// compile under `--lib es2022 --types node` (no DOM lib, so no WebAssembly namespace), and the real
// WebAssembly.Memory and WebAssembly.Module are assignable to them.

/** A WebAssembly.Memory: its buffer (replaced when it grows) and grow. */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(delta: number): number;
}

/** A compiled WebAssembly.Module (checked at run time). */
export type WasmModule = object;
