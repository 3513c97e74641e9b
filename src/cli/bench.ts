// wasm-optim bench: runs the kernel benchmarks of a source checkout (bench/*.bench.mjs) in a child Node with
// relaxed SIMD enabled, passing its output through and its exit status back.
import { Command, Option } from "commander";
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { action, argument, UsageError } from "./usage.js";

interface BenchFlags {
  suite: "optim" | "gemm";
  sizes?: string;
}

const parseSizes = argument((value: string) => {
  const bad = value.split(",").find((s) => !(Number(s) >= 1 && Number.isFinite(Number(s))));
  if (bad !== undefined) throw new UsageError(`--sizes: '${bad}' is not a size (give comma-separated element counts such as 1e5,1e6)`);
  return value;
});

export function benchCommand(): Command {
  return new Command("bench")
    .description("run the kernel benchmarks (optimizer steps per backend against TensorFlow.js and memory bandwidth, or the GEMM); they write bench/results/<suite>.json")
    .addOption(new Option("--suite <name>", "which benchmark").choices(["optim", "gemm"]).default("optim"))
    .option("--sizes <list>", "parameter counts for the optim suite (default 1e5,1e6,1e7)", parseSizes)
    .action(action(async (flags: BenchFlags) => {
      const script = fileURLToPath(new URL(`../bench/${flags.suite}.bench.mjs`, import.meta.url));
      if (!existsSync(script)) throw new UsageError(`bench: no ${script} (the benchmarks come with the source repository, not the npm package)`);
      const env = { ...process.env, ...(flags.sizes ? { BENCH_SIZES: flags.sizes } : {}) };
      const code = await new Promise<number>((resolve, reject) => {
        const child = spawn(process.execPath, ["--experimental-wasm-relaxed-simd", script], { stdio: "inherit", env });
        child.on("error", reject);
        child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
      if (code !== 0) process.exit(code);
    }));
}
