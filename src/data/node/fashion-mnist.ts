// Node-only: Fashion-MNIST from a directory of its four IDX files, gzipped or not (by default where Debian's
// dataset-fashion-mnist package installs them).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { FASHION_MNIST_FILES, fashionMnistFromBytes, type FashionMnist, type FashionMnistBytes } from "../fashion-mnist.js";
import { readMaybeGzipped } from "./read.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

const HINT = `\`apt-get install dataset-fashion-mnist\` provides them in ${FASHION_MNIST_DIR}`;

/** Reads train and test sets from `dir` (default /usr/share/datasets/fashion-mnist). */
export async function loadFashionMnist(options: { dir?: string } = {}): Promise<FashionMnist> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const names = Object.values(FASHION_MNIST_FILES);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new Error(`Fashion-MNIST: no directory ${dir} (looked there for ${names.map((n) => `${n}[.gz]`).join(", ")}); ${HINT}`);
  }
  const find = (name: string): string => {
    const path = [join(dir, `${name}.gz`), join(dir, name)].find((p) => existsSync(p));
    if (!path) throw new Error(`Fashion-MNIST: ${dir} has neither ${name}.gz nor ${name}; ${HINT}`);
    return path;
  };
  const files = {} as FashionMnistBytes;
  for (const [key, name] of Object.entries(FASHION_MNIST_FILES) as [keyof FashionMnistBytes, string][]) {
    const source = find(name);
    files[key] = { bytes: await readMaybeGzipped(source), source };
  }
  return fashionMnistFromBytes(files);
}
