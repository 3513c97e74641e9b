// The built package: dist/index.js stays browser-safe (no node: module or package import anywhere in its module
// graph), and the entries share their classes (a Dataset from wasm-optim/node is a Dataset of wasm-optim).
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

const dist = new URL("../dist/", import.meta.url);

function importsOf(file: string): string[] {
  const text = readFileSync(new URL(file, dist), "utf8");
  return [...text.matchAll(/(?:^|[;\s])(?:import|export)\s[^;]*?from\s*"([^"]+)"|import\("([^"]+)"\)/gm)].map((m) => m[1] ?? m[2]!);
}

describe.skipIf(!existsSync(new URL("index.js", dist)))("dist/", () => {
  it("index.js imports only its own chunks, all the way down", () => {
    const seen = new Set<string>();
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const spec of importsOf(file)) {
        expect(spec, `${file} imports ${spec}`).toMatch(/^\.\/(chunk|embedded)-[\w-]+\.js$/);
        visit(spec.slice(2));
      }
    };
    visit("index.js");
    expect(seen.size).toBeGreaterThan(1);
  });

  it.skipIf(!existsSync("/usr/share/datasets/fashion-mnist"))("a Dataset loaded through wasm-optim/node is a wasm-optim Dataset", async () => {
    const lib = await import(new URL("index.js", dist).href);
    const node = await import(new URL("node.js", dist).href);
    const { test } = await node.loadFashionMnist();
    expect(test).toBeInstanceOf(lib.Dataset);
  });
});
