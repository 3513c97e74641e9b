// Fashion-MNIST for the training benchmark, read once by loadFashionMnist (dist/node.js) from Debian's
// /usr/share/datasets/fashion-mnist; with an engine, the images are read straight into its memory, where fit()
// and evaluate() use them in place (one copy of the data in the process).
import { loadFashionMnist } from "../../dist/node.js";

/** { train, test }: 60000 and 10000 samples of [1, 28, 28] bytes, seen scaled by 1/255, labels 0..9. */
export function fashionMnist({ engine } = {}) {
  return loadFashionMnist({ engine });
}
