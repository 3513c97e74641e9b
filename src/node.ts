// Node-only parts of wasm-optim (files, progress bar, reports): import from "wasm-optim/node".
export * from "./data/node/index.js";
