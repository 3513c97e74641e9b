// Fashion-MNIST for the training benchmark, read once by loadFashionMnist (dist/node.js) from Debian's
// /usr/share/datasets/fashion-mnist. dist/node.js bundles its own copy of the Dataset class, which fit() and
// DataLoader from dist/index.js do not recognize (`instanceof Dataset` fails), so the sets are re-wrapped as
// dist/index.js Datasets over the same arrays (no copy).
import { Dataset } from "../../dist/index.js";
import { loadFashionMnist } from "../../dist/node.js";

/** { train, test }: 60000 and 10000 samples of [1, 28, 28] bytes, seen scaled by 1/255, labels 0..9. */
export async function fashionMnist() {
  const { train, test } = await loadFashionMnist();
  const wrap = (d) => new Dataset({ x: d.x, shape: d.shape, labels: d.labels, numClasses: d.numClasses, scale: d.scale, offset: d.offset, name: d.name });
  return { train: wrap(train), test: wrap(test) };
}
