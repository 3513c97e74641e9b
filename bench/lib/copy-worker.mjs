// One thread of probes.mjs's memoryCopy: instantiates the copy module on the shared memory, says so, then copies
// its block once per round, when the main thread starts the round (control[0]), counting itself done (control[1]).
import { parentPort, workerData } from "node:worker_threads";

const { module, memory, control, dst, src, size, rounds } = workerData;
const { copy } = new WebAssembly.Instance(module, { env: { memory } }).exports;
parentPort.postMessage("ready");
for (let r = 0; r < rounds; r++) {
  Atomics.wait(control, 0, r); // until round r + 1 starts
  copy(dst, src, size);
  Atomics.add(control, 1, 1);
  Atomics.notify(control, 1);
}
parentPort.postMessage("done");
