/**
 * A Float32Array view that survives `memory.grow()`. Growing a non-shared WebAssembly.Memory detaches its old
 * ArrayBuffer, which silently turns every view made on it into an empty array; every view in wasm-optim goes
 * through `F32Slice.array`, which re-creates the view when the buffer has changed.
 */
export class F32Slice {
  private buffer: ArrayBufferLike | null = null;
  private view: Float32Array = new Float32Array(0);

  constructor(
    private readonly memory: WebAssembly.Memory,
    /** Byte offset into linear memory. */
    readonly ptr: number,
    /** Number of float32 elements. */
    readonly length: number,
  ) {}

  get array(): Float32Array {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.view = new Float32Array(this.buffer, this.ptr, this.length);
    }
    return this.view;
  }

  /** A sub-slice of `length` elements starting `start` elements in. */
  slice(start: number, length: number): F32Slice {
    if (start < 0 || length < 0 || start + length > this.length) {
      throw new RangeError(`slice [${start}, ${start + length}) is outside a slice of length ${this.length}`);
    }
    return new F32Slice(this.memory, this.ptr + 4 * start, length);
  }
}

/** An Int32Array view (labels, indices) that survives `memory.grow()`, like F32Slice. */
export class I32Slice {
  private buffer: ArrayBufferLike | null = null;
  private view: Int32Array = new Int32Array(0);

  constructor(
    private readonly memory: WebAssembly.Memory,
    readonly ptr: number,
    readonly length: number,
  ) {}

  get array(): Int32Array {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.view = new Int32Array(this.buffer, this.ptr, this.length);
    }
    return this.view;
  }
}

/** A Uint8Array view (raw image bytes) that survives `memory.grow()`, like F32Slice. */
export class U8Slice {
  private buffer: ArrayBufferLike | null = null;
  private view: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly memory: WebAssembly.Memory,
    readonly ptr: number,
    readonly length: number,
  ) {}

  get array(): Uint8Array {
    if (this.buffer !== this.memory.buffer) {
      this.buffer = this.memory.buffer;
      this.view = new Uint8Array(this.buffer, this.ptr, this.length);
    }
    return this.view;
  }
}
