// Edge runtimes train for real, from their npm packages (dev dependencies): workerd (the Cloudflare Workers
// runtime) runs test/edge/worker.mjs, bundled with esbuild, the simd build given as a wasm module binding, and
// answers a local HTTP request with the trained weights; Deno and Bun run test/edge/script.mjs on dist/. Each
// returns the same float32 bits as Node for the same seed. A runtime whose package cannot start here is skipped
// with a message saying why.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { train } from "./edge/train.mjs";

const root = process.cwd();
const require = createRequire(import.meta.url);
const built = existsSync(join(root, "dist/index.js"));

/** The executable of an npm package's bin, and whether it starts (`--version`), with the reason when not. */
function runtime(pkg: string, bin: string): { path: string; skip: string | false } {
  let path = "";
  try {
    const manifest = require.resolve(`${pkg}/package.json`);
    const bins = JSON.parse(readFileSync(manifest, "utf8")).bin as string | Record<string, string>;
    path = join(dirname(manifest), typeof bins === "string" ? bins : bins[bin]!);
    execFileSync(path, ["--version"], { stdio: "pipe", timeout: 30_000 });
    return { path, skip: false };
  } catch (e) {
    const why = path ? `its npm package does not start here (${String(e).split("\n")[0]})` : `the npm package ${pkg} is not installed (npm ci installs it)`;
    console.warn(`skipping ${pkg}: ${why}`);
    return { path, skip: why };
  }
}

const node = built ? await (async () => {
  const lib = await import(join(root, "dist/index.js"));
  return train(lib, await lib.createEngine({ backend: "simd" }));
})() : null;

const freePort = () => new Promise<number>((done) => {
  const server = createServer().listen(0, "127.0.0.1", () => {
    const { port } = server.address() as AddressInfo;
    server.close(() => done(port));
  });
});

describe.skipIf(!built)("edge runtimes train bit-identically to Node (simd build)", () => {
  const workerd = runtime("workerd", "workerd");
  describe.skipIf(workerd.skip)("workerd", () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-optim-workerd-"));
    let child: ChildProcess | undefined;
    let base = "";
    let log = "";
    beforeAll(async () => {
      await build({ entryPoints: [join(root, "test/edge/worker.mjs")], outfile: join(dir, "worker.js"), bundle: true, format: "esm", platform: "neutral", external: ["./simd.wasm"], logLevel: "silent" });
      copyFileSync(join(root, "build/simd.wasm"), join(dir, "simd.wasm"));
      const port = await freePort();
      writeFileSync(join(dir, "config.capnp"), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "main", worker = .trainer)],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);
const trainer :Workerd.Worker = (
  modules = [
    (name = "worker.js", esModule = embed "worker.js"),
    (name = "simd.wasm", wasm = embed "simd.wasm"),
  ],
  compatibilityDate = "2024-09-23",
);
`);
      child = spawn(workerd.path, ["serve", join(dir, "config.capnp")], { stdio: ["ignore", "pipe", "pipe"] });
      child.stdout!.on("data", (d) => (log += d));
      child.stderr!.on("data", (d) => (log += d));
      base = `http://127.0.0.1:${port}`;
      for (let i = 0; i < 150; i++) {
        if (await fetch(`${base}/embedded`).then(() => true, () => false)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`workerd did not answer: ${log}`);
    }, 60_000);
    afterAll(() => {
      child?.kill();
      rmSync(dir, { recursive: true, force: true });
    });

    it("a Worker answers a request with the weights it trained, the same bits as Node's", async () => {
      const response = await fetch(`${base}/`);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expect(JSON.parse(text)).toEqual({ ...node, reason: "simd: the module given" });
    });

    it("'auto' with the embedded builds falls back to js there, saying that compiling is refused", async () => {
      const answer = await (await fetch(`${base}/embedded`)).json();
      expect(answer.backend).toBe("js");
      expect(answer.reason).toMatch(/^js: compiling relaxed-simd was refused \(CompileError: .*Wasm code generation disallowed by embedder\)/);
    });
  });

  const deno = runtime("deno", "deno");
  it.skipIf(deno.skip)("Deno runs the built package and trains the same bits", () => {
    const out = execFileSync(deno.path, ["run", "--no-config", "--allow-read", "test/edge/script.mjs"], { encoding: "utf8", timeout: 120_000, env: { ...process.env, DENO_DIR: join(tmpdir(), "wasm-optim-deno"), NO_COLOR: "1" } });
    expect(JSON.parse(out)).toEqual(node);
  });

  const bun = runtime("bun", "bun");
  it.skipIf(bun.skip)("Bun runs the built package and trains the same bits", () => {
    const out = execFileSync(bun.path, ["run", "test/edge/script.mjs"], { encoding: "utf8", timeout: 120_000 });
    expect(JSON.parse(out)).toEqual(node);
  });
});
