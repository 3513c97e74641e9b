// The README's examples (examples/*.mjs) run as a user would run them, against the built package (dist/).
import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { describe, expect, it } from "vitest";

const run = (file: string) => execFileSync(process.execPath, [file], { encoding: "utf8", cwd: new URL("..", import.meta.url).pathname });

describe.skipIf(!existsSync(new URL("../dist/index.js", import.meta.url)))("README examples", () => {
  it("examples/optimizer-step.mjs converges to 1 with Adam and a cosine schedule", () => {
    expect(run("examples/optimizer-step.mjs")).toMatch(/^(relaxed-simd|simd|scalar|js) 1\.000 1\.000 1\.000$/m);
  });

  it("examples/train-digits.mjs reaches over 95 % test accuracy", () => {
    const accuracy = Number(/test accuracy ([\d.]+) %/.exec(run("examples/train-digits.mjs"))?.[1]);
    expect(accuracy).toBeGreaterThan(95);
  });
});
