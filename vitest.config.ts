import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    setupFiles: ["test/setup.ts"],
    pool: "forks",
    // Node 20 validates relaxed SIMD only behind this V8 flag; the tests opt in so that the relaxed build is
    // tested too. The library itself never sets V8 flags.
    execArgv: ["--experimental-wasm-relaxed-simd"],
    testTimeout: 60_000,
  },
});
