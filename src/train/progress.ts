// A terminal progress bar for fit(), shown only when stdout is a TTY: one line redrawn in place (at most ten times
// a second), cleared at the end of each epoch, where the epoch's summary line is written. No dependency.
import { formatEpochSummary, type EpochSummary, type ProgressReporter } from "./reporter.js";

interface Stdout {
  write(s: string): void;
  columns?: number;
}

const BAR_WIDTH = 30;
const REDRAW_MS = 100;

/** True in Node when stdout is a terminal (not in browsers, workers, pipes or CI logs). */
export function stdoutIsTTY(): boolean {
  const proc = (globalThis as { process?: { stdout?: { isTTY?: boolean } } }).process;
  return proc?.stdout?.isTTY === true;
}

/** A progress bar on stdout: epoch, steps, loss, accuracy and samples/s; a summary line per epoch. */
export async function createProgressBar(): Promise<ProgressReporter> {
  const stdout = (globalThis as unknown as { process: { stdout: Stdout } }).process.stdout;
  let epochLabel = "", total = 0, started = 0, drawn = 0, running = false;
  const draw = (done: number, loss: string, accuracy: string, speed: string) => {
    const now = Date.now();
    if (done < total && now - drawn < REDRAW_MS) return;
    drawn = now;
    const filled = total ? Math.round((BAR_WIDTH * done) / total) : 0;
    const eta = done ? Math.round(((now - started) / done) * (total - done) / 1000) : NaN;
    const line = `epoch ${epochLabel} |${"\u2588".repeat(filled)}${"\u2591".repeat(BAR_WIDTH - filled)}| ${done}/${total} | loss ${loss} | acc ${accuracy} | ${speed} samples/s | eta ${Number.isNaN(eta) ? "-" : `${eta}s`}`;
    stdout.write(`\r\x1b[2K${line.slice(0, Math.max(20, (stdout.columns ?? 120) - 1))}`);
  };
  const stop = () => {
    if (running) stdout.write("\r\x1b[2K\x1b[?25h"); // clear the line, show the cursor again
    running = false;
  };
  return {
    epochBegin(epoch, epochs, batches) {
      epochLabel = `${epoch + 1}/${epochs}`;
      total = batches;
      started = Date.now();
      drawn = 0;
      if (!running) stdout.write("\x1b[?25l"); // hide the cursor while drawing
      running = true;
      draw(0, "-", "-", "-");
    },
    batchEnd(done, loss, accuracy, samplesPerSecond) {
      draw(done, loss.toFixed(4), Number.isNaN(accuracy) ? "-" : `${(100 * accuracy).toFixed(2)}%`, String(Math.round(samplesPerSecond)));
    },
    epochEnd(summary: EpochSummary) {
      stop();
      stdout.write(`${formatEpochSummary(summary)}\n`);
    },
    end: stop,
  };
}
