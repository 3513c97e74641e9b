// wasm-optim/lean: the package entry without the embedded wasm builds. Everything of 'wasm-optim', except that
// createEngine runs the build you give it (createEngine({ module }), { bytes } or { url }: the files
// wasm-optim/wasm/simd.wasm, scalar.wasm, relaxed-simd.wasm), or the plain-JavaScript kernels when given none.
// A bundle of it carries the one build you load, or none.
import { Engine, type EngineOptions } from "./engine/engine.js";

export * from "./index.js";

/** Loads the kernels given as module, bytes or url and creates the memory (no build given: backend 'js'). */
export function createEngine(options?: EngineOptions): Promise<Engine> {
  return Engine.create(options);
}
