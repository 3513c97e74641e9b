// The Node-only part of the data library (it imports node:fs and node:zlib), kept out of src/index.ts so that the
// package stays importable in browsers. Meant for a separate entry point ('wasm-optim/node') and the CLI.
export { readCsvFile, readIdxFile, readMaybeGzipped } from "./read.js";
export { FASHION_MNIST_DIR, loadFashionMnist } from "./fashion-mnist.js";
export { readWords, readFortunes, WORDS_FILE, FORTUNES_DIR, FORTUNES_FILES } from "./text.js";
