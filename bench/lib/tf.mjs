// TensorFlow.js with its wasm and cpu backends, loaded from node_modules (dev dependencies, no download).
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

const require = createRequire(import.meta.url);

export async function loadTf() {
  const tf = require("@tensorflow/tfjs-core");
  require("@tensorflow/tfjs-backend-cpu");
  const wasm = require("@tensorflow/tfjs-backend-wasm");
  wasm.setWasmPaths(fileURLToPath(new URL("../../node_modules/@tensorflow/tfjs-backend-wasm/dist/", import.meta.url)));
  return tf;
}
