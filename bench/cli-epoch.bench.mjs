// The CLI's training epoch against the benchmark's, on the same settings (issue 8: within 5 %): Fashion-MNIST,
// MLP 784-256-128-10, batch 128, Adam lr 1e-3. Runs, alternately and BENCH_REPEATS times (default 3):
//   `wasm-optim train --data fashion-mnist --model mlp:256,128 --batch 128 --opt adam:lr=1e-3` as a user starts it
//     (node dist/cli.js, no flags: the CLI relaunches itself with relaxed SIMD on Node 20), its epoch's training
//     time from history.json (60000 / samplesPerSecond: the epoch without the validation pass, which the CLI adds
//     and the benchmark times separately), and the whole epoch as the CLI prints it;
//   bench/train-worker.mjs --framework wasm-optim --model mlp (what `npm run bench:train` times).
// Prints the medians over all epochs and the ratio. The machine may be shared: the load is printed before and after.
// Both on BENCH_THREADS threads (default: every core, as the CLI).
//   npm run bench:cli            BENCH_EPOCHS=2 BENCH_REPEATS=1 npm run bench:cli   (a quick check)
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { median } from "./lib/suite.mjs";

const run = promisify(execFile);
const epochs = Number(process.env.BENCH_EPOCHS ?? 3);
const repeats = Number(process.env.BENCH_REPEATS ?? 3);
const threads = Number(process.env.BENCH_THREADS ?? os.availableParallelism()); // the CLI's default: every core
const load = () => os.loadavg().map((x) => x.toFixed(2)).join(" ");

async function cliEpochs() {
  const out = mkdtempSync(join(os.tmpdir(), "wasm-optim-cli-bench-"));
  try {
    const args = ["dist/cli.js", "train", "--data", "fashion-mnist", "--model", "mlp:256,128", "--batch", "128", "--opt", "adam:lr=1e-3", "--epochs", String(epochs), "--threads", String(threads), "--out", out];
    const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
    const backend = /, (\S+) kernels/.exec(stdout)?.[1];
    const history = JSON.parse(readFileSync(join(out, "train-fashion-mnist", "history.json"), "utf8"));
    return { backend, train: history.epochs.map((e) => 60000 / e.samplesPerSecond), whole: history.epochs.map((e) => e.seconds) };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

async function benchEpochs() {
  const args = ["--experimental-wasm-relaxed-simd", "bench/train-worker.mjs", "--framework", "wasm-optim", "--model", "mlp", "--epochs", String(epochs), "--eval-at", String(epochs), "--threads", String(threads)];
  const { stdout } = await run(process.execPath, args, { maxBuffer: 1 << 24 });
  const report = JSON.parse(stdout.trim().split("\n").pop());
  return { backend: report.info.backend, train: report.epochs.map((e) => e.seconds) };
}

console.error(`load before: ${load()}`);
const cli = { train: [], whole: [] }, bench = [];
let backends;
for (let r = 0; r < repeats; r++) {
  const c = await cliEpochs();
  const b = await benchEpochs();
  backends = { cli: c.backend, bench: b.backend };
  cli.train.push(...c.train), cli.whole.push(...c.whole), bench.push(...b.train);
  console.error(`  repeat ${r + 1}: cli ${c.train.map((s) => s.toFixed(2)).join(" ")} (with validation ${c.whole.map((s) => s.toFixed(2)).join(" ")}), bench ${b.train.map((s) => s.toFixed(2)).join(" ")}`);
}
console.error(`load after: ${load()}`);
const [c, w, b] = [median(cli.train), median(cli.whole), median(bench)];
console.log(JSON.stringify({ epochs, repeats, threads, backends, cliEpochSeconds: c, cliEpochWithValidationSeconds: w, benchEpochSeconds: b, ratio: c / b, ratioWithValidation: w / b }));
console.log(`CLI epoch ${c.toFixed(2)} s (${w.toFixed(2)} s with its validation pass), benchmark ${b.toFixed(2)} s: ratio ${(c / b).toFixed(3)} (${(w / b).toFixed(3)})`);
