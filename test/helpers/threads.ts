// Shared by the test/threads-*.test.ts files: the backends and thread counts a threaded engine is checked on, and
// bit-for-bit comparison of float32 results.
import { createHash } from "node:crypto";
import { createEngine, isBackendSupported, type Backend, type Engine } from "../../src/index.js";

/** Every backend this runtime runs (relaxed SIMD only where it validates: vitest starts Node with the flag). */
export const THREAD_BACKENDS = (["simd", "scalar", "relaxed-simd", "js"] as const).filter((b) => isBackendSupported(b));
/** More threads than this machine's 2 cores must still give the same bits. */
export const THREAD_COUNTS = [1, 2, 3, 4] as const;

/** A threaded engine, checked to run on the threads asked for (the js backend runs on one, and says why). */
export async function threadedEngine(backend: Exclude<Backend, "auto">, threads: number): Promise<Engine> {
  const engine = await createEngine({ backend, threads });
  const expected = backend === "js" ? 1 : threads;
  if (engine.threads !== expected) throw new Error(`${backend}: asked for ${threads} threads, runs on ${engine.threads} (${engine.threadsReason})`);
  return engine;
}

/** SHA-256 of the bytes of float32 arrays, in order: equal hashes are equal bits. */
export function bitsOf(...arrays: Float32Array[]): string {
  const h = createHash("sha256");
  for (const a of arrays) h.update(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
  return h.digest("hex");
}

/** Deterministic values in (-1, 1), distinct per seed. */
export function wave(length: number, seed: number): Float32Array {
  return Float32Array.from({ length }, (_, i) => Math.sin(seed * 12.9898 + i * 0.7311) * 0.9);
}
