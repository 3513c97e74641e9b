// Fashion-MNIST (Xiao, Rasul & Vollgraf 2017, MIT licence): 28×28 grey images of clothing in 10 classes, 60000
// for training and 10000 for testing, as four IDX files. This module builds the datasets from the files' bytes
// (in a browser: fetch them); loadFashionMnist in ./node/fashion-mnist.ts reads them from a directory.
import type { Dataset } from "./dataset.js";
import { decodeIdx, idxClassification } from "./idx.js";

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

/** Builds the train and test sets from the four IDX files' bytes (gzipped or not). */
export async function fashionMnistFromBytes(files: FashionMnistBytes): Promise<FashionMnist> {
  const images = (f: { bytes: Uint8Array; source: string }) => decodeIdx(f.bytes, f.source, { dtype: "u8", ndims: 3 });
  const labels = (f: { bytes: Uint8Array; source: string }) => decodeIdx(f.bytes, f.source, { dtype: "u8", ndims: 1 });
  const [trainImages, trainLabels, testImages, testLabels] = await Promise.all([
    images(files.trainImages),
    labels(files.trainLabels),
    images(files.testImages),
    labels(files.testLabels),
  ]);
  const options = { numClasses: FASHION_MNIST_CLASSES.length };
  return {
    train: idxClassification(trainImages, trainLabels, options),
    test: idxClassification(testImages, testLabels, options),
  };
}
