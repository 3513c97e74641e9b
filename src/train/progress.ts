// A terminal progress bar for fit() (cli-progress), shown only when stdout is a TTY. The package is loaded with
// a computed dynamic import, so bundlers leave it out of browser bundles and browsers never reach this code.
import { formatEpochSummary, type EpochSummary, type ProgressReporter } from "./reporter.js";

interface CliBar {
  start(total: number, value: number, payload: Record<string, unknown>): void;
  update(value: number, payload: Record<string, unknown>): void;
  stop(): void;
}
interface CliProgressModule {
  SingleBar: new (options: Record<string, unknown>, preset?: unknown) => CliBar;
  Presets: Record<string, unknown>;
}

/** True in Node when stdout is a terminal (not in browsers, workers, pipes or CI logs). */
export function stdoutIsTTY(): boolean {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process;
  return proc?.stdout?.isTTY === true;
}

/** A progress bar on stdout: epoch, steps, loss, accuracy and samples/s; a summary line per epoch. */
export async function createProgressBar(): Promise<ProgressReporter> {
  const specifier = "cli-progress";
  const loaded = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as { default?: CliProgressModule } & CliProgressModule;
  const cli = loaded.default ?? loaded;
  const stdout = (globalThis as unknown as { process: { stdout: { write(s: string): void } } }).process.stdout;
  const bar = new cli.SingleBar(
    {
      format: "epoch {epoch} |{bar}| {value}/{total} | loss {loss} | acc {accuracy} | {speed} samples/s | eta {eta_formatted}",
      stream: stdout,
      hideCursor: true,
      clearOnComplete: true,
      fps: 10,
    },
    cli.Presets.shades_classic,
  );
  const payload = { epoch: "", loss: "-", accuracy: "-", speed: "-" };
  let running = false;
  const stop = () => {
    if (running) bar.stop();
    running = false;
  };
  return {
    epochBegin(epoch, epochs, batches) {
      payload.epoch = `${epoch + 1}/${epochs}`;
      payload.loss = payload.accuracy = payload.speed = "-";
      bar.start(batches, 0, payload);
      running = true;
    },
    batchEnd(done, loss, accuracy, samplesPerSecond) {
      payload.loss = loss.toFixed(4);
      payload.accuracy = Number.isNaN(accuracy) ? "-" : `${(100 * accuracy).toFixed(2)}%`;
      payload.speed = String(Math.round(samplesPerSecond));
      bar.update(done, payload);
    },
    epochEnd(summary: EpochSummary) {
      stop();
      stdout.write(`${formatEpochSummary(summary)}\n`);
    },
    end: stop,
  };
}
