import type { WasmMemory } from "../kernels/wasm-types.js";

/**
 * A typed-array view of linear memory that survives `memory.grow()`. Growing a non-shared WebAssembly.Memory
 * detaches its old ArrayBuffer, which silently turns every view made on it into an empty array; every view in
 * wasm-optim goes through `array`, which re-creates the view when the buffer has changed.
 */
abstract class GrowSafeSlice<A extends Float32Array | Int32Array | Uint8Array | Uint16Array> {
  private buffer: ArrayBufferLike | null = null;
  private view: A | null = null;

  constructor(
    protected readonly memory: WasmMemory,
    /** Byte offset into linear memory. */
    readonly ptr: number,
    /** Number of elements. */
    readonly length: number,
  ) {}

  get array(): A {
    if (this.view === null || this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.view = this.viewOn(this.buffer);
    }
    return this.view;
  }

  /** The typed array of `length` elements at `ptr` in `buffer`. */
  protected abstract viewOn(buffer: ArrayBufferLike): A;
}

/** A Float32Array view (weights, gradients, state, activations) that survives `memory.grow()`. */
export class F32Slice extends GrowSafeSlice<Float32Array> {
  protected viewOn(buffer: ArrayBufferLike): Float32Array {
    return new Float32Array(buffer, this.ptr, this.length);
  }

  /** A sub-slice of `length` elements starting `start` elements in. */
  slice(start: number, length: number): F32Slice {
    if (start < 0 || length < 0 || start + length > this.length) {
      throw new RangeError(`slice [${start}, ${start + length}) is outside a slice of length ${this.length}`);
    }
    return new F32Slice(this.memory, this.ptr + 4 * start, length);
  }
}

/** An Int32Array view (labels, indices) that survives `memory.grow()`. */
export class I32Slice extends GrowSafeSlice<Int32Array> {
  protected viewOn(buffer: ArrayBufferLike): Int32Array {
    return new Int32Array(buffer, this.ptr, this.length);
  }
}

/** A Uint8Array view (raw image bytes) that survives `memory.grow()`. */
export class U8Slice extends GrowSafeSlice<Uint8Array> {
  protected viewOn(buffer: ArrayBufferLike): Uint8Array {
    return new Uint8Array(buffer, this.ptr, this.length);
  }
}

/** A Uint16Array view (bf16 optimizer state) that survives `memory.grow()`. */
export class U16Slice extends GrowSafeSlice<Uint16Array> {
  protected viewOn(buffer: ArrayBufferLike): Uint16Array {
    return new Uint16Array(buffer, this.ptr, this.length);
  }
}
