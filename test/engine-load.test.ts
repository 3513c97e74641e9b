// Where the kernels come from: createEngine({ module }), { bytes }, { url }, the lean entry without embedded
// builds, and 'auto' falling back when this runtime refuses to compile WebAssembly (as workerd and a strict CSP do).
import { readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEngine, isBackendSupported } from "../src/index.js";
import { createEngine as createLeanEngine } from "../src/lean.js";

const build = (name: string) => readFileSync(new URL(`../build/${name}.wasm`, import.meta.url));
const refusal = () => Object.assign(new Error("WebAssembly.compile(): Wasm code generation disallowed by embedder"), { name: "CompileError" });

afterEach(() => vi.restoreAllMocks());

describe("createEngine's kernel source", () => {
  it("runs a compiled module, telling its build from the module's section", async () => {
    const engine = await createEngine({ module: new WebAssembly.Module(build("scalar")) });
    expect([engine.backend, engine.backendReason]).toEqual(["scalar", "scalar: the module given"]);
    expect(engine.module).toBeInstanceOf(WebAssembly.Module);
  });

  it("compiles bytes, and refuses a build other than the backend asked for", async () => {
    expect((await createEngine({ bytes: build("simd") })).backend).toBe("simd");
    expect((await createEngine({ bytes: build("simd").buffer.slice(0), backend: "simd" })).backend).toBe("simd");
    await expect(createEngine({ bytes: build("simd"), backend: "scalar" })).rejects.toThrow("the bytes given is the simd build, but backend 'scalar' was asked for");
    await expect(createEngine({ bytes: build("simd"), backend: "js" })).rejects.toThrow("backend 'js' runs no WebAssembly, but a bytes was given");
  });

  it("runs bytes on threads (the memory import rewritten to shared), a compiled module on one thread, saying why", async () => {
    const threaded = await createEngine({ bytes: build("simd"), threads: 2 });
    try {
      expect([threaded.backend, threaded.threads, threaded.threadsReason]).toEqual(["simd", 2, ""]);
      const w = threaded.parameter(new Float32Array(70_000).fill(1));
      w.grad.fill(0.5);
      const one = await createEngine({ bytes: build("simd") });
      const v = one.parameter(new Float32Array(70_000).fill(1));
      v.grad.fill(0.5);
      const { Adam } = await import("../src/index.js");
      new Adam([w], { lr: 0.1 }).step();
      new Adam([v], { lr: 0.1 }).step();
      expect(Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength).equals(Buffer.from(v.data.buffer, v.data.byteOffset, v.data.byteLength))).toBe(true);
    } finally {
      threaded.dispose();
    }
    const fromModule = await createEngine({ module: new WebAssembly.Module(build("scalar")), threads: 2 });
    expect([fromModule.threads, fromModule.threadsReason]).toEqual([1, "a compiled module imports a plain memory: pass the build's bytes or url to run on threads"]);
  });

  it("fetches a url, streaming when it is served as application/wasm", async () => {
    const types: string[] = [];
    const server = createServer((req, res) => {
      const type = req.url === "/typed" ? "application/wasm" : "application/octet-stream";
      types.push(type);
      res.writeHead(req.url === "/missing" ? 404 : 200, { "content-type": type }).end(build("simd"));
    });
    await new Promise<void>((done) => server.listen(0, "127.0.0.1", done));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const streaming = vi.spyOn(WebAssembly, "compileStreaming");
    try {
      expect((await createEngine({ url: `${base}/typed` })).backend).toBe("simd");
      expect(streaming).toHaveBeenCalledTimes(1);
      expect((await createEngine({ url: new URL(`${base}/untyped`) })).backend).toBe("simd");
      expect(streaming).toHaveBeenCalledTimes(1);
      await expect(createEngine({ url: `${base}/missing` })).rejects.toThrow(`fetching url ${base}/missing failed: HTTP 404`);
    } finally {
      server.close();
    }
  });

  it("checks what it is given, before any work", async () => {
    await expect(createEngine({ module: build("simd") as never })).rejects.toThrow("module must be a compiled WebAssembly.Module (got [object Uint8Array]); pass raw bytes as bytes");
    await expect(createEngine({ bytes: "simd" as never })).rejects.toThrow("bytes must be an ArrayBuffer or a typed array (got [object String])");
    await expect(createEngine({ url: 7 as never })).rejects.toThrow("url must be a string or a URL (got [object Number])");
    await expect(createEngine({ bytes: build("simd"), url: "x" })).rejects.toThrow("give one of module, bytes or url, not bytes and url");
    await expect(createEngine({ modul: 1 } as never)).rejects.toThrow("createEngine: unknown option 'modul' (known: backend, initialMemoryMiB, maximumMemoryMiB, threads, module, bytes, url); did you mean 'module'?");
    await expect(createEngine({ bytes: new Uint8Array([0, 97, 115, 109, 1, 0, 0, 0]) })).rejects.toThrow(/does not match the ABI this library was built for .*: missing memory \(memory\)/);
  });

  it("asks for the backend with a module that does not name its build", async () => {
    const stripped = build("scalar").subarray(0, build("scalar").length - (2 + "wasm-optim.backend".length + 1 + "scalar".length));
    expect(WebAssembly.validate(stripped)).toBe(true);
    await expect(createEngine({ bytes: stripped })).rejects.toThrow("the bytes given does not say which build it is (no 'wasm-optim.backend' section): pass backend");
    expect((await createEngine({ bytes: stripped, backend: "scalar" })).backend).toBe("scalar");
  });
});

describe("the lean entry (wasm-optim/lean)", () => {
  it("embeds no build: 'auto' without a module runs the js kernels and says why", async () => {
    const engine = await createLeanEngine();
    expect([engine.backend, engine.backendReason]).toEqual(["js", "js: wasm-optim/lean was given no module, bytes or url"]);
    await expect(createLeanEngine({ backend: "simd" })).rejects.toThrow("wasm-optim/lean embeds no wasm build: pass { module }, { bytes } or { url } of wasm-optim/wasm/simd.wasm");
    expect((await createLeanEngine({ module: new WebAssembly.Module(build("simd")) })).backend).toBe("simd");
  });
});

describe("'auto' when compiling is refused", () => {
  it("names the fastest build it validates, or why it skipped one", async () => {
    const engine = await createEngine();
    const relaxed = isBackendSupported("relaxed-simd");
    expect(engine.backendReason).toBe(relaxed ? "relaxed-simd: the fastest build this runtime validates" : "simd: relaxed-simd is not validated here (Node 20: node --experimental-wasm-relaxed-simd)");
  });

  it("falls back to the next build, and to js, saying why (workerd: 'disallowed by embedder')", async () => {
    const compile = WebAssembly.compile.bind(WebAssembly);
    const scalar = build("scalar");
    vi.spyOn(WebAssembly, "compile").mockImplementation(async (bytes) => {
      if (new Uint8Array(bytes as ArrayBufferLike).length !== scalar.length) throw refusal(); // only the scalar build compiles
      return compile(bytes);
    });
    expect((await createEngine()).backendReason).toMatch(/^scalar: (relaxed-simd is not validated here .*|compiling relaxed-simd was refused .*); compiling simd was refused \(CompileError: WebAssembly.compile\(\): Wasm code generation disallowed by embedder\)$/);
    vi.spyOn(WebAssembly, "compile").mockRejectedValue(refusal());
    const engine = await createEngine();
    expect(engine.backend).toBe("js");
    expect(engine.backendReason).toContain("compiling scalar was refused (CompileError: WebAssembly.compile(): Wasm code generation disallowed by embedder)");
    await expect(createEngine({ backend: "simd" })).rejects.toThrow(/refuses to compile WebAssembly for backend 'simd' .* 'wasm-unsafe-eval'.*createEngine\(\{ module \}\); or use backend 'js'/);
    expect((await createEngine({ bytes: build("simd") })).backendReason).toMatch(/^js: this runtime refuses to run the bytes given/);
    await expect(createEngine({ bytes: build("simd"), backend: "simd" })).rejects.toThrow(/refuses to compile WebAssembly for the bytes given/);
  });
});
