// Node-only parts of wasm-optim (files, progress bar, reports): import from "wasm-optim/node".
export * from "./data/node/index.js";
export { checkpoint, readCheckpoint, saveCheckpoint, loadCheckpoint, exportSafetensors, importSafetensors } from "./train/checkpoint-file.js";
export { writeFileAtomic } from "./train/atomic-write.js";
export { createProgressBar } from "./train/progress.js";
