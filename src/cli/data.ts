// The --data flag: a built-in dataset by name, or a path.
//
//   digits          the UCI 8×8 digits shipped in the package (1438 train / 359 test)
//   spirals, moons, blobs, friedman   synthetic sets (seed 0), 80/20 split, features standardized
//   fashion-mnist   from --data-dir (default /usr/share/datasets/fashion-mnist, Debian's dataset-fashion-mnist)
//   <directory>     IDX files in MNIST's layout: train-images-idx3-ubyte, train-labels-idx1-ubyte, t10k-images-idx3-ubyte,
//                   t10k-labels-idx1-ubyte, each optionally .gz
//   <file.csv>      numeric CSV, the label in the last column; 80/20 split
//   adding, copy, words, fortunes, nile   sequence data, with options ('adding:len=100'; see data-sequences.ts)
// --subset n keeps n training samples (a stratified, seeded choice).
import { existsSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import type { Dataset } from "../data/dataset.js";
import { loadDigits } from "../data/builtin/digits.js";
import { FASHION_MNIST_DIR } from "../data/node/fashion-mnist.js";
import { readCsvFile, readIdxFile } from "../data/node/read.js";
import { FASHION_MNIST_FILES, fashionMnistFrom } from "../data/fashion-mnist.js";
import { Standardizer } from "../data/standardize.js";
import { makeBlobs, makeFriedman1, makeMoons, makeSpirals } from "../data/synthetic.js";
import { suggest } from "../lab/spec.js";
import { UsageError } from "./usage.js";
import { DataError } from "../data/errors.js";
import { loadSequenceData, SEQUENCE_DATA_NAMES } from "./data-sequences.js";

export interface LoadedData {
  /** The name used in report titles and default output names ('digits', 'fashion-mnist', 'mydata'). */
  name: string;
  description: string;
  train: Dataset;
  test: Dataset;
}

export const DATA_NAMES = ["digits", "spirals", "moons", "blobs", "friedman", "fashion-mnist"] as const;

export interface DataFlags {
  data: string;
  dataDir?: string;
  subset?: number;
}

export async function loadData(flags: DataFlags): Promise<LoadedData> {
  const loaded = await loadSource(flags);
  if (flags.subset === undefined || flags.subset >= loaded.train.length) return loaded;
  const [train] = loaded.train.split(flags.subset / loaded.train.length, 0);
  return { ...loaded, train: train!.derive({ name: `${loaded.train.name}, ${train!.length} samples` }), description: `${loaded.description}; a subset of ${train!.length} training samples` };
}

async function loadSource({ data, dataDir }: DataFlags): Promise<LoadedData> {
  switch (data) {
    case "digits": {
      const { train, test } = loadDigits();
      return { name: "digits", description: "UCI handwritten digits, 8×8 pixels, 10 classes", train, test };
    }
    case "spirals":
      return synthetic("spirals", "three interleaved spirals in the plane, 3 classes", makeSpirals({ samples: 900, noise: 0.04 }));
    case "moons":
      return synthetic("moons", "two interleaving half circles, 2 classes", makeMoons({ samples: 600, noise: 0.15 }));
    case "blobs":
      return synthetic("blobs", "five Gaussian blobs in 10 dimensions, 5 classes", makeBlobs({ samples: 1000, centers: 5, features: 10, std: 3 }));
    case "friedman":
      return synthetic("friedman", "Friedman #1 regression, 10 features (5 informative)", makeFriedman1({ samples: 1000, features: 10 }));
    case "fashion-mnist":
      return idxDirectory(dataDir ?? FASHION_MNIST_DIR, "fashion-mnist", "Fashion-MNIST, 28×28 grey images of clothing, 10 classes", true);
  }
  const sequences = await loadSequenceData(data);
  if (sequences) return sequences;
  const path = resolve(data);
  if (!existsSync(path)) {
    const guess = suggest(data, [...DATA_NAMES, ...SEQUENCE_DATA_NAMES]);
    throw new UsageError(
      `--data '${data}': not a built-in dataset (${[...DATA_NAMES, ...SEQUENCE_DATA_NAMES].join(", ")}) and no file or directory at ${path}${guess ? `; did you mean '${guess}'?` : ""}`,
    );
  }
  const base = basename(path).replace(/(\.csv)?(\.gz)?$/, "");
  if (statSync(path).isDirectory()) return idxDirectory(path, base, `IDX files in ${path}`, false);
  const all = await readCsvFile(path);
  const [train, test] = all.split(0.8, 0);
  if (train!.length === 0 || test!.length === 0) {
    throw new DataError(path, `${all.length} samples are too few for the 80/20 split into training and test samples (${train!.length} / ${test!.length})`);
  }
  return { name: base, description: `${path}: ${all.length} samples, ${all.featureSize} features, 80/20 split`, train: train!, test: test! };
}

function synthetic(name: string, description: string, all: Dataset): LoadedData {
  const [train, test] = all.split(0.8, 0);
  const standardizer = Standardizer.fit(train!);
  return {
    name,
    description: `${description}; ${train!.length} train / ${test!.length} test samples, standardized`,
    train: standardizer.apply(train!).derive({ name: `${name} (train)` }),
    test: standardizer.apply(test!).derive({ name: `${name} (test)` }),
  };
}

async function idxDirectory(dir: string, name: string, description: string, isFashion: boolean): Promise<LoadedData> {
  const names = Object.values(FASHION_MNIST_FILES);
  const looked = `looked in ${dir} for ${names.map((n) => `${n}[.gz]`).join(", ")}`;
  const debian = isFashion ? `; Debian's dataset-fashion-mnist package provides Fashion-MNIST in ${FASHION_MNIST_DIR} (apt-get install dataset-fashion-mnist), or give --data-dir` : "";
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`--data ${name}: no directory ${dir} (${looked})${debian}`);
  const paths = {} as Record<keyof typeof FASHION_MNIST_FILES, string>;
  for (const [key, file] of Object.entries(FASHION_MNIST_FILES) as [keyof typeof FASHION_MNIST_FILES, string][]) {
    const source = [join(dir, `${file}.gz`), join(dir, file)].find((p) => existsSync(p));
    if (!source) throw new UsageError(`--data ${name}: ${dir} has neither ${file}.gz nor ${file} (${looked})${debian}`);
    paths[key] = source;
  }
  const { train, test } = await fashionMnistFrom((key, expect) => readIdxFile(paths[key], expect));
  return {
    name,
    description: `${description}; ${train.length} train / ${test.length} test samples`,
    train: train.derive({ name: `${name} (train)` }),
    test: test.derive({ name: `${name} (test)` }),
  };
}
