import type { WasmMemory } from "./wasm-types.js";

/** Typed views of a whole WebAssembly.Memory for the reference kernels, re-created after the memory grows. */
export class Heap {
  private buffer: ArrayBufferLike | null = null;
  private f32View = new Float32Array(0);
  private u8View = new Uint8Array(0);
  private i32View = new Int32Array(0);
  private u16View = new Uint16Array(0);

  constructor(private readonly memory: WasmMemory) {}

  private refresh(): void {
    if (this.buffer === this.memory.buffer) return;
    this.buffer = this.memory.buffer;
    this.f32View = new Float32Array(this.buffer);
    this.u8View = new Uint8Array(this.buffer);
    this.i32View = new Int32Array(this.buffer);
    this.u16View = new Uint16Array(this.buffer);
  }

  /** The memory as float32; index a byte offset `ptr` as `f32[ptr >>> 2]` (unsigned: addresses past 2 GiB stay positive). */
  get f32(): Float32Array {
    this.refresh();
    return this.f32View;
  }
  get u8(): Uint8Array {
    this.refresh();
    return this.u8View;
  }
  get i32(): Int32Array {
    this.refresh();
    return this.i32View;
  }
  get u16(): Uint16Array {
    this.refresh();
    return this.u16View;
  }
}
