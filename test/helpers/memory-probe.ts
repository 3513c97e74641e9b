// Records, at the end of every epoch of fit(), the engine's memory size, the arena's use and the JS heap after a
// full garbage collection: what a test of a training loop that allocates nothing looks at.
import v8 from "node:v8";
import vm from "node:vm";
import type { Callback, Engine } from "../../src/index.js";

export function memoryProbe(engine: Engine): { callback: Callback; bytes: number[]; arena: number[]; heap: number[] } {
  v8.setFlagsFromString("--expose-gc");
  const gc = vm.runInNewContext("gc") as () => void;
  const bytes: number[] = [], arena: number[] = [], heap: number[] = [];
  const callback: Callback = {
    onEpochEnd() {
      bytes.push(engine.memory.buffer.byteLength);
      arena.push(engine.arena.used);
      gc();
      heap.push(process.memoryUsage().heapUsed);
    },
  };
  return { callback, bytes, arena, heap };
}
