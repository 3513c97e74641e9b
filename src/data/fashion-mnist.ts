// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence): 28×28 grey images of clothing in 10 classes, 60000
// for training and 10000 for testing, as four IDX files. This module builds the datasets from the files' bytes
// (in a browser: fetch them); loadFashionMnist in ./node/fashion-mnist.ts reads them from a directory.
import type { Engine } from "../engine/engine.js";
import type { Dataset } from "./dataset.js";
import { decodeIdx, idxClassification, type IdxArray, type IdxExpectation } from "./idx.js";

export const FASHION_MNIST_CLASSES = [
  "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
] as const;

/** The file names, as published (Debian's dataset-fashion-mnist installs them gzipped, with a .gz suffix). */
export const FASHION_MNIST_FILES = {
  trainImages: "train-images-idx3-ubyte",
  trainLabels: "train-labels-idx1-ubyte",
  testImages: "t10k-images-idx3-ubyte",
  testLabels: "t10k-labels-idx1-ubyte",
} as const;

export type FashionMnistBytes = Record<keyof typeof FASHION_MNIST_FILES, { bytes: Uint8Array; source: string }>;

export interface FashionMnist {
  /** 60000 samples of shape [1, 28, 28], bytes scaled by 1/255 when gathered, labels 0..9. */
  train: Dataset;
  /** 10000 samples, likewise. */
  test: Dataset;
}

export interface FashionMnistOptions {
  /**
   * Read the images straight into this engine's memory: the datasets then live there only (Dataset.engine), and
   * a DataLoader of the same engine uses them in place, without a second copy.
   */
  engine?: Engine;
}

/** Reads one of the four files, given its key, what it must hold and the engine for images (if any). */
export type FashionMnistReader = (key: keyof typeof FASHION_MNIST_FILES, expect: IdxExpectation, engine?: Engine) => Promise<IdxArray>;

/**
 * Builds the train and test sets from the four files, read by `read`: the two label files first, then the images,
 * whose headers must declare as many images as there are labels before any memory is reserved for them.
 */
export async function fashionMnistFrom(read: FashionMnistReader, options: FashionMnistOptions = {}): Promise<FashionMnist> {
  const labels = { dtype: "u8", ndims: 1 } as const;
  const [trainLabels, testLabels] = await Promise.all([read("trainLabels", labels), read("testLabels", labels)]);
  const images = (of: IdxArray) => ({ dtype: "u8", ndims: 3, samples: { count: of.dims[0]!, from: `${of.source} (the labels)` } }) as const;
  const [trainImages, testImages] = await Promise.all([
    read("trainImages", images(trainLabels), options.engine),
    read("testImages", images(testLabels), options.engine),
  ]);
  const classes = { numClasses: FASHION_MNIST_CLASSES.length };
  return {
    train: idxClassification(trainImages, trainLabels, classes),
    test: idxClassification(testImages, testLabels, classes),
  };
}

/** Builds the train and test sets from the four IDX files' bytes (gzipped or not). */
export function fashionMnistFromBytes(files: FashionMnistBytes, options: FashionMnistOptions = {}): Promise<FashionMnist> {
  return fashionMnistFrom((key, expect, engine) => decodeIdx(files[key].bytes, files[key].source, expect, { engine }), options);
}
