// Progress of multi-run commands (compare, advise): on a terminal, one line redrawn in place with the run, the
// epoch, a bar and the running loss; on every output, one line per finished run.
import type { CompareProgress } from "../lab/compare.js";
import { humanOutput } from "./console.js";
import { formatLoss, formatPercent, formatSeconds } from "../lab/format.js";

const BAR = 24;

export interface RunPrinter {
  (event: CompareProgress): void;
  /** Clears the live line (before printing something else). */
  clear(): void;
}

export function runPrinter(options: { tty: boolean; width: number; prefix?: string }): RunPrinter {
  const out = humanOutput();
  let live = false, last = 0;
  const clear = () => {
    if (live) out.write("\r\x1b[2K");
    live = false;
  };
  const print = ((e: CompareProgress) => {
    const name = e.name.padEnd(options.width);
    const tag = `${options.prefix ?? ""}[${e.run + 1}/${e.runs}]`;
    // fit reports batches at most every 100 ms within an epoch: short epochs only report their end.
    if ((e.type === "batch" || e.type === "epoch") && options.tty) {
      const now = Date.now();
      if (now - last < 80) return;
      last = now;
      const done = e.type === "batch" ? (e.epoch + e.step / Math.max(1, e.steps)) / e.epochs : (e.epoch + 1) / e.epochs;
      const filled = Math.round(done * BAR);
      out.write(`\r\x1b[2K${tag} ${name} epoch ${e.epoch + 1}/${e.epochs} ${"━".repeat(filled)}${"─".repeat(BAR - filled)} loss ${formatLoss(e.loss)}`);
      live = true;
    } else if (e.type === "run-start" && options.tty) {
      out.write(`\r\x1b[2K${tag} ${name} starting…`);
      live = true;
    } else if (e.type === "tune") {
      clear();
      out.write(`${tag} ${name} tuning: lr ${e.lrs.join(", ")} on a validation split\n`);
    } else if (e.type === "run-end") {
      clear();
      const s = e.summary;
      const parts = s.diverged
        ? [`diverged at step ${s.divergedAt}`]
        : [
            `loss ${formatLoss(s.finalLoss)}`,
            ...(Number.isNaN(s.finalTestLoss) ? [] : [`test loss ${formatLoss(s.finalTestLoss)}`]),
            ...(Number.isNaN(s.finalTestAccuracy) ? [] : [`test acc ${formatPercent(s.finalTestAccuracy)}`]),
          ];
      out.write(`${tag} ${name} ${parts.join("  ")}  (${formatSeconds(s.seconds)}, seed ${e.seed})\n`);
    }
  }) as RunPrinter;
  print.clear = clear;
  return print;
}
