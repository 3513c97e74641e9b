// Node-only: Fashion-MNIST from a directory of its four IDX files, gzipped or not (by default where Debian's
// dataset-fashion-mnist package installs them).
import { existsSync, statSync } from "node:fs";
import { join } from "node:path";
import { DataError } from "../errors.js";
import { FASHION_MNIST_FILES, fashionMnistFrom, type FashionMnist, type FashionMnistOptions } from "../fashion-mnist.js";
import { readIdxFile } from "./read.js";

export const FASHION_MNIST_DIR = "/usr/share/datasets/fashion-mnist";

const HINT = `\`apt-get install dataset-fashion-mnist\` provides them in ${FASHION_MNIST_DIR}`;

/**
 * Reads train and test sets from `dir` (default /usr/share/datasets/fashion-mnist), each file streamed into one
 * buffer of its values; with `engine`, the images into that engine's memory (see FashionMnistOptions).
 */
export async function loadFashionMnist(options: { dir?: string } & FashionMnistOptions = {}): Promise<FashionMnist> {
  const dir = options.dir ?? FASHION_MNIST_DIR;
  const names = Object.values(FASHION_MNIST_FILES);
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DataError("Fashion-MNIST", `no directory ${dir} (looked there for ${names.map((n) => `${n}[.gz]`).join(", ")}); ${HINT}`);
  }
  const find = (name: string): string => {
    const path = [join(dir, `${name}.gz`), join(dir, name)].find((p) => existsSync(p));
    if (!path) throw new DataError("Fashion-MNIST", `${dir} has neither ${name}.gz nor ${name}; ${HINT}`);
    return path;
  };
  const paths = Object.fromEntries(Object.entries(FASHION_MNIST_FILES).map(([key, name]) => [key, find(name)]));
  return fashionMnistFrom((key, expect, engine) => readIdxFile(paths[key]!, expect, { engine }), options);
}
