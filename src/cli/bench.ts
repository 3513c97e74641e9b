// wasm-optim bench: runs the kernel benchmarks of a source checkout (bench/*.bench.mjs) in a child Node with
// relaxed SIMD enabled, passing its output through and its exit status back.
import { Command, Option } from "commander";
import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { addOutputModeOptions, printJson, setOutputMode, type OutputFlags } from "./console.js";
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
  const command = new Command("bench")
    .description("run the kernel benchmarks (optimizer steps per backend against TensorFlow.js and memory bandwidth, or the GEMM); they write bench/results/<suite>.json")
    .addOption(new Option("--suite <name>", "which benchmark").choices(["optim", "gemm"]).default("optim"))
    .option("--sizes <list>", "parameter counts for the optim suite (default 1e5,1e6,1e7)", parseSizes);
  return addOutputModeOptions(command)
    .action(action(async (flags: BenchFlags & OutputFlags) => {
      setOutputMode("bench", flags);
      const script = fileURLToPath(new URL(`../bench/${flags.suite}.bench.mjs`, import.meta.url));
      if (!existsSync(script)) throw new UsageError(`bench: no ${script} (the benchmarks come with the source repository, not the npm package)`);
      const env = { ...process.env, ...(flags.sizes ? { BENCH_SIZES: flags.sizes } : {}) };
      const code = await new Promise<number>((resolve, reject) => {
        // The benchmark's own lines only in text mode; --json prints the results file it wrote instead.
        const stdout = flags.json || flags.quiet ? "ignore" : "inherit";
        const child = spawn(process.execPath, ["--experimental-wasm-relaxed-simd", script], { stdio: ["inherit", stdout, "inherit"], env });
        child.on("error", reject);
        child.on("exit", (status, signal) => resolve(status ?? (signal ? 1 : 0)));
      });
      if (code !== 0) process.exit(code);
      const results = fileURLToPath(new URL(`../bench/results/${flags.suite}.json`, import.meta.url));
      printJson({ results: existsSync(results) ? JSON.parse(readFileSync(results, "utf8")) : null });
    }));
}
