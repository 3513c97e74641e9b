// Where the kernels come from: a module, bytes or a URL the user gives, or the builds embedded in the
// zero-configuration entry; and what 'auto' does when this runtime refuses to compile WebAssembly (Cloudflare
// Workers: "Wasm code generation disallowed by embedder"; a page whose Content-Security-Policy lacks
// 'wasm-unsafe-eval'): it tries the next build, and in the end the plain-JavaScript kernels, and says why.
import { checkExports, kernelsOf } from "../kernels/abi.js";
import type { Kernels } from "../kernels/kernels.js";
import type { WasmMemory, WasmModule } from "../kernels/wasm-types.js";
import { createReferenceKernels } from "../kernels/reference.js";
import { withSharedMemoryImport } from "./shared-module.js";
import { type Backend, checkBackend, isBackendSupported, resolveBackend, WASM_BACKENDS, type WasmBackend } from "./backend.js";

/** A kernel module to run instead of the embedded builds: one of the three. */
export interface KernelSource {
  /** A compiled module (`import wasm from "wasm-optim/wasm/simd.wasm"` in Cloudflare Workers and some bundlers). */
  module?: WasmModule;
  /** The bytes of a build (`await readFile(require.resolve("wasm-optim/wasm/simd.wasm"))`). */
  bytes?: ArrayBuffer | ArrayBufferView;
  /** Where to fetch a build from (compiled while it downloads, where the runtime can). */
  url?: string | URL;
}

/** The embedded bytes of each build, or undefined in the lean entry. */
export type EmbeddedBuilds = ((backend: WasmBackend) => Uint8Array<ArrayBuffer>) | undefined;

export interface LoadedKernels {
  kernels: Kernels;
  backend: Exclude<Backend, "auto">;
  /** The compiled module (null for 'js'). */
  module: WasmModule | null;
  /** Why this backend runs, in a sentence. */
  reason: string;
}

/** The section scripts/build-wasm.mjs appends to every build, naming it. */
const BUILD_SECTION = "wasm-optim.backend";
const SOURCES = ["module", "bytes", "url"] as const;
const toString = (x: unknown) => Object.prototype.toString.call(x);
const messageOf = (e: unknown) => (e instanceof Error ? `${e.name}: ${e.message}` : String(e));

/** Chooses and loads the kernels on `memory` for `requested`, from `source` or else the embedded builds. `shared`:
 * the memory is shared (threads), so each build's memory import is rewritten to a shared one before compiling. */
export async function loadBackend(requested: Backend, source: KernelSource, memory: WasmMemory, embedded: EmbeddedBuilds, shared = false): Promise<LoadedKernels> {
  checkBackend(requested);
  const given = SOURCES.filter((k) => source[k] !== undefined);
  if (given.length > 1) throw new TypeError(`createEngine: give one of module, bytes or url, not ${given.join(" and ")}`);
  const js = (reason: string): LoadedKernels => ({ kernels: createReferenceKernels(memory), backend: "js", module: null, reason });
  if (given.length === 1) {
    const what = given[0]!;
    if (requested === "js") throw new RangeError(`createEngine: backend 'js' runs no WebAssembly, but a ${what} was given`);
    let module: WebAssembly.Module, kernels: Kernels;
    try {
      module = await compileSource(source, shared);
      checkExports(WebAssembly.Module.exports(module)); // a foreign module is named as such before its build
      checkBuild(what, buildOf(module), requested);
      kernels = await instantiate(module, memory);
    } catch (e) {
      if (requested === "auto" && isRefusal(e)) return js(`js: this runtime refuses to run the ${what} given (${messageOf(e)})`);
      throw isRefusal(e) ? refusedError(`the ${what} given`, e) : e;
    }
    const backend = buildOf(module) ?? (requested as WasmBackend);
    return { kernels, backend, module, reason: `${backend}: the ${what} given` };
  }
  if (requested === "js") return js("js: asked for");
  if (requested !== "auto") {
    resolveBackend(requested); // throws when this runtime does not validate it
    if (!embedded) throw new Error(`createEngine: wasm-optim/lean embeds no wasm build: pass { module }, { bytes } or { url } of wasm-optim/wasm/${requested}.wasm, use backend 'js', or import 'wasm-optim', which embeds the builds`);
    try {
      const module = await compileBuild(embedded(requested), shared);
      return { kernels: await instantiate(module, memory), backend: requested, module, reason: `${requested}: asked for` };
    } catch (e) {
      throw isRefusal(e) ? refusedError(`backend '${requested}'`, e) : e;
    }
  }
  if (!embedded) return js("js: wasm-optim/lean was given no module, bytes or url");
  const passed: string[] = [];
  for (const backend of WASM_BACKENDS) {
    if (!isBackendSupported(backend)) {
      passed.push(`${backend} is not validated here${backend === "relaxed-simd" ? " (Node 20: node --experimental-wasm-relaxed-simd)" : ""}`);
      continue;
    }
    try {
      const module = await compileBuild(embedded(backend), shared);
      const reason = passed.length ? `${backend}: ${passed.join("; ")}` : `${backend}: the fastest build this runtime validates`;
      return { kernels: await instantiate(module, memory), backend, module, reason };
    } catch (e) {
      passed.push(`compiling ${backend} was refused (${messageOf(e)})`);
    }
  }
  return js(`js: ${passed.join("; ")}`);
}

/** Throws unless the module's build (from its section) is the one asked for, or can be told when 'auto'. */
function checkBuild(what: string, built: WasmBackend | undefined, requested: Backend): void {
  if (built === undefined && requested === "auto") {
    throw new RangeError(`createEngine: the ${what} given does not say which build it is (no '${BUILD_SECTION}' section): pass backend 'simd', 'scalar' or 'relaxed-simd' with it`);
  }
  if (built !== undefined && requested !== "auto" && built !== requested) {
    throw new RangeError(`createEngine: the ${what} given is the ${built} build, but backend '${requested}' was asked for`);
  }
}

/** Which build a module is, from its custom section (undefined for a module without one). */
export function buildOf(module: WasmModule): WasmBackend | undefined {
  const [section] = WebAssembly.Module.customSections(module as WebAssembly.Module, BUILD_SECTION);
  const name = section && new TextDecoder().decode(section);
  return WASM_BACKENDS.find((b) => b === name);
}

async function compileSource({ module, bytes, url }: KernelSource, shared: boolean): Promise<WebAssembly.Module> {
  if (module !== undefined) {
    if (toString(module) !== "[object WebAssembly.Module]") throw new TypeError(`createEngine: module must be a compiled WebAssembly.Module (got ${toString(module)}); pass raw bytes as bytes`);
    return module as WebAssembly.Module;
  }
  if (bytes !== undefined) {
    if (!ArrayBuffer.isView(bytes) && toString(bytes) !== "[object ArrayBuffer]") throw new TypeError(`createEngine: bytes must be an ArrayBuffer or a typed array (got ${toString(bytes)})`);
    return compileBuild(bytes, shared);
  }
  if (typeof url !== "string" && toString(url) !== "[object URL]") throw new TypeError(`createEngine: url must be a string or a URL (got ${toString(url)})`);
  let response: Response;
  try {
    response = await fetch(url!);
  } catch (e) {
    throw new Error(`createEngine: cannot fetch url ${String(url)} (${messageOf(e)}); in Node, read the file and pass { bytes }`);
  }
  if (!response.ok) throw new Error(`createEngine: fetching url ${String(url)} failed: HTTP ${response.status}`);
  // compileStreaming compiles while the bytes arrive; it needs the application/wasm type (and unchanged bytes).
  if (!shared && typeof WebAssembly.compileStreaming === "function" && response.headers.get("content-type")?.startsWith("application/wasm")) {
    return WebAssembly.compileStreaming(response);
  }
  return compileBuild(await response.arrayBuffer(), shared);
}

/** Compiles a build; for a shared memory, with its memory import rewritten (./shared-module.ts). */
function compileBuild(bytes: ArrayBuffer | ArrayBufferView, shared: boolean): Promise<WebAssembly.Module> {
  return WebAssembly.compile(shared ? withSharedMemoryImport(asBytes(bytes)) : (bytes as BufferSource));
}

/** The bytes of a buffer or view, as one Uint8Array (no copy). */
function asBytes(bytes: ArrayBuffer | ArrayBufferView): Uint8Array {
  return ArrayBuffer.isView(bytes) ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : new Uint8Array(bytes);
}

/** Checks the module against the ABI this library was built for, then instantiates it on `memory`. */
export async function instantiate(module: WasmModule, memory: WasmMemory): Promise<Kernels> {
  checkExports(WebAssembly.Module.exports(module as WebAssembly.Module));
  const instance = await WebAssembly.instantiate(module as WebAssembly.Module, { env: { memory: memory as WebAssembly.Memory } });
  return kernelsOf(instance.exports);
}

/** An error of a runtime that compiles no WebAssembly at all (as opposed to bytes that are not a valid module). */
function isRefusal(e: unknown): boolean {
  return e instanceof Error && (e.name === "EvalError" || /disallowed|refused|unsafe-eval|security policy/i.test(e.message));
}

function refusedError(what: string, e: unknown): Error {
  return new Error(
    `createEngine: this runtime refuses to compile WebAssembly for ${what} (${messageOf(e)}). In a page, allow it with ` +
      `the Content-Security-Policy source 'wasm-unsafe-eval'; in Cloudflare Workers (workerd), import the file ` +
      `wasm-optim/wasm/simd.wasm as a module and pass it as createEngine({ module }); or use backend 'js'.`,
  );
}
