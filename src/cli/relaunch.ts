// The command line is an application, so it may start Node with the flags it needs (the library never sets a V8
// flag). Node 18-20 validate relaxed SIMD only behind --experimental-wasm-relaxed-simd, so on those the CLI runs
// itself again with the flag, in a child process that inherits stdin, stdout and stderr (so a terminal stays a
// terminal, for the progress bar), the environment and every other Node option; the parent forwards SIGINT,
// SIGTERM and SIGHUP to it and exits as it did: the same status, or the same signal. 'auto' then picks
// relaxed-simd, as in the benchmarks. Not relaunched: when relaxed SIMD already validates, when the flag was
// given (in the command or NODE_OPTIONS), in the relaunched child itself, or with WASM_OPTIM_RELAUNCH=0.
import { spawn } from "node:child_process";
import { isBackendSupported } from "../engine/backend.js";

const FLAG = "--experimental-wasm-relaxed-simd";
const MARK = "WASM_OPTIM_RELAUNCH";
const SIGNALS = ["SIGINT", "SIGTERM", "SIGHUP"] as const;

/** Whether this process should run the CLI again with FLAG. */
export function needsRelaunch(env: NodeJS.ProcessEnv = process.env, execArgv: readonly string[] = process.execArgv): boolean {
  const major = Number(process.versions.node.split(".")[0]);
  if (env[MARK] === "0" || major < 18 || major > 20) return false;
  if (execArgv.includes(FLAG) || (env.NODE_OPTIONS ?? "").split(/\s+/).includes(FLAG)) return false;
  return !isBackendSupported("relaxed-simd");
}

/**
 * Runs the CLI again with FLAG when needsRelaunch(), and then never resolves: the process ends when the child
 * does, with its status or signal. Resolves at once otherwise, or when the child cannot be started (the CLI then
 * runs here, on the simd kernels).
 */
export function relaunchIfNeeded(): Promise<void> {
  if (!needsRelaunch()) return Promise.resolve();
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, FLAG, ...process.argv.slice(1)], {
      stdio: "inherit",
      env: { ...process.env, [MARK]: "0" },
    });
    const forward = (signal: NodeJS.Signals) => child.kill(signal);
    for (const s of SIGNALS) process.on(s, forward);
    child.on("error", () => {
      for (const s of SIGNALS) process.off(s, forward);
      resolve();
    });
    child.on("exit", (code, signal) => {
      for (const s of SIGNALS) process.off(s, forward);
      if (signal) process.kill(process.pid, signal);
      else process.exit(code ?? 1);
    });
  });
}
