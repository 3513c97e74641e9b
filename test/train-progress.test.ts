// The terminal progress bar (no dependency): drawn in place, the last step always drawn, cleared before the
// epoch's summary line.
import { afterEach, describe, expect, it, vi } from "vitest";
import { createProgressBar } from "../src/train/progress.js";

afterEach(() => vi.restoreAllMocks());

describe("createProgressBar", () => {
  it("draws epoch, steps, loss and accuracy on one line, then the summary", async () => {
    const out: string[] = [];
    vi.spyOn(process.stdout, "write").mockImplementation((s) => (out.push(String(s)), true));
    const bar = await createProgressBar();
    bar.epochBegin(0, 2, 4);
    for (let i = 1; i <= 4; i++) bar.batchEnd(i, 1 / i, 0.5, 1000);
    bar.epochEnd({ epoch: 0, epochs: 2, loss: 0.25, accuracy: 0.5, valLoss: NaN, valAccuracy: NaN, seconds: 1, samplesPerSecond: 1000 });
    bar.end();
    const text = out.join("");
    expect(text).toContain("epoch 1/2 |");
    expect(text).toContain(`|${"\u2588".repeat(30)}| 4/4 | loss 0.2500 | acc 50.00% | 1000 samples/s | eta 0s`);
    expect(text.indexOf("\x1b[?25l")).toBe(0);
    expect(text.lastIndexOf("\r\x1b[2K\x1b[?25h")).toBeLessThan(text.lastIndexOf("\n"));
    expect(text.endsWith("\n")).toBe(true);
  });
});
