const PAGE = 65536;

/**
 * Hands out aligned byte ranges of one WebAssembly.Memory, growing it when needed. A bump allocator: models and
 * optimizers plan their memory once, when they are built, and a training step allocates nothing.
 */
export class Arena {
  private top: number;

  constructor(
    private readonly memory: WebAssembly.Memory,
    /** First byte the arena may use (above the kernel module's static data). */
    base: number,
  ) {
    this.top = base;
  }

  /** Bytes handed out so far, counted from address 0. */
  get used(): number {
    return this.top;
  }

  /** Reserves `bytes` bytes aligned to `align` (a power of two), zero-filled. Returns the byte offset. */
  alloc(bytes: number, align = 64): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    const ptr = (this.top + align - 1) & ~(align - 1);
    const end = ptr + bytes;
    this.ensure(end);
    new Uint8Array(this.memory.buffer, ptr, bytes).fill(0);
    this.top = end;
    return ptr;
  }

  /** Grows the memory so that addresses below `end` exist. */
  ensure(end: number): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(`cannot grow WebAssembly memory to ${end} bytes: ${(e as Error).message}`);
    }
  }
}
