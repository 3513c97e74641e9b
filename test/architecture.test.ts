// The floors of src/ (docs/ARCHITECTURE.md): a module imports from its own floor or the floors below, never above.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { describe, expect, it } from "vitest";

const FLOORS = ["kernels", "engine", "optim", "nn", "data", "train", "report", "lab", "cli"] as const;
const SRC = resolve("src");

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : []));
}

/** The floor of a file under src/: its first folder ('cli.ts' counts as cli; index.ts and node.ts are entries). */
function floorOf(path: string): number {
  const rel = relative(SRC, path);
  const top = rel.includes("/") ? rel.slice(0, rel.indexOf("/")) : rel.replace(/\.ts$/, "");
  return FLOORS.indexOf(top as (typeof FLOORS)[number]);
}

describe("layering", () => {
  it("every import in src/ goes down or stays on its floor", () => {
    const upward: string[] = [];
    for (const file of files(SRC)) {
      const from = floorOf(file);
      if (from < 0) continue; // the package entries (index.ts, node.ts) may re-export anything
      for (const [, spec] of readFileSync(file, "utf8").matchAll(/from "(\.[^"]+)"/g)) {
        const target = resolve(dirname(file), spec!.replace(/\.js$/, ".ts"));
        const to = floorOf(target);
        if (to > from) upward.push(`${relative(SRC, file)} imports ${relative(SRC, target)} (${FLOORS[from]} → ${FLOORS[to]})`);
      }
    }
    expect(upward).toEqual([]);
  });
});
