import type { WasmMemory } from "../kernels/wasm-types.js";
const PAGE = 65536;
const MIB = 1 << 20;

/** A request the engine's memory cannot hold: the bytes asked, the bytes it can hold, and what to do. */
export class MemoryLimitError extends RangeError {
  override name = "MemoryLimitError";
  constructor(
    message: string,
    /** Bytes the allocation asked for. */
    readonly requested: number,
    /** The most bytes the engine's memory can ever hold (its maximum size). */
    readonly limit: number,
  ) {
    super(message);
  }
}

/**
 * `top` rounded up to a multiple of `align` (a power of two), in float64 arithmetic: exact for every address of a
 * wasm32 memory (up to 4 GiB) and beyond, where 32-bit bit operations (`& ~(align - 1)`) turn every address past
 * 2 GiB negative.
 */
export function alignUp(top: number, align: number): number {
  if (!Number.isInteger(align) || align < 1 || (align & (align - 1)) !== 0) throw new RangeError(`alignment ${align} is not a power of two`);
  return Math.ceil(top / align) * align;
}

const mib = (bytes: number) => `${(bytes / MIB).toFixed(bytes < 10 * MIB ? 2 : 0)} MiB`;

/**
 * Hands out aligned byte ranges of one WebAssembly.Memory, growing it when needed. A bump allocator: models and
 * optimizers plan their memory once, when they are built, and a training step allocates nothing.
 */
export class Arena {
  private top: number;
  /** The most bytes the memory can grow to (its `maximum`, in bytes). */
  readonly limit: number;

  constructor(
    private readonly memory: WasmMemory,
    /** First byte the arena may use (above the kernel module's static data). */
    base: number,
    /** The memory's maximum size in bytes (default 4 GiB, the wasm32 limit). */
    limit = 65536 * PAGE,
  ) {
    this.top = base;
    this.limit = limit;
  }

  /** Bytes handed out so far, counted from address 0. */
  get used(): number {
    return this.top;
  }

  /** Bytes that can still be handed out before the memory reaches its maximum. */
  get available(): number {
    return Math.max(0, this.limit - this.top);
  }

  /**
   * Throws a MemoryLimitError, before anything is reserved, unless `bytes` more bytes fit (with alignment).
   * `what` says what they are for ('the images of train-images-idx3-ubyte').
   */
  check(bytes: number, what = "a buffer", align = 64): void {
    if (!Number.isFinite(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${what}: ${bytes} bytes`);
    const end = alignUp(this.top, align) + bytes;
    if (end > this.limit) {
      throw new MemoryLimitError(
        `cannot allocate ${what}: ${bytes} bytes (${mib(bytes)}) asked, but the engine's memory can hold at most ${this.limit} bytes ` +
          `(${mib(this.limit)}, maximumMemoryMiB ${this.limit / MIB}), of which ${this.available} bytes (${mib(this.available)}) are free: ` +
          (this.limit < 4096 * MIB
            ? "raise maximumMemoryMiB in createEngine (wasm32 memory goes up to 4096), or use a smaller model, batch size or dataset"
            : "4 GiB is the wasm32 limit: use a smaller model, batch size or dataset (e.g. --subset, a smaller --batch)"),
        bytes,
        this.limit,
      );
    }
  }

  /** Reserves `bytes` bytes aligned to `align` (a power of two), zero-filled. Returns the byte offset. */
  alloc(bytes: number, align = 64, what?: string): number {
    const ptr = this.reserve(bytes, align, what);
    this.ensure(ptr + bytes, bytes);
    new Uint8Array(this.memory.buffer, ptr, bytes).fill(0);
    return ptr;
  }

  /**
   * Reserves the address range of `bytes` bytes without growing the memory or zero-filling it: for a reader that
   * grows the memory (`ensure`) only as its data arrive, so that a file that turns out shorter than its header
   * says leaves the memory no larger than its real contents needed. Returns the byte offset.
   */
  reserve(bytes: number, align = 64, what?: string): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`cannot allocate ${bytes} bytes`);
    this.check(bytes, what, align);
    const ptr = alignUp(this.top, align);
    this.top = ptr + bytes;
    return ptr;
  }

  /**
   * Gives back the allocation at `ptr` of `bytes` bytes when it is still the last one (a reader that failed after
   * reserving), so that the space is used again. The memory does not shrink (wasm memory cannot).
   */
  release(ptr: number, bytes: number): void {
    if (ptr + bytes === this.top) this.top = ptr;
  }

  /** Grows the memory so that addresses below `end` exist. */
  ensure(end: number, requested = end): void {
    const have = this.memory.buffer.byteLength;
    if (end <= have) return;
    if (end > this.limit) {
      throw new MemoryLimitError(`cannot grow the engine's memory to ${end} bytes: it can hold ${this.limit} bytes (maximumMemoryMiB ${this.limit / MIB})`, requested, this.limit);
    }
    const pages = Math.ceil((end - have) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new MemoryLimitError(
        `cannot grow the engine's memory by ${requested} bytes (${mib(requested)}) to ${end} bytes: ${(e as Error).message} ` +
          `(the runtime refused the memory; its limit here is ${this.limit} bytes; free memory or use a smaller model or dataset)`,
        requested,
        this.limit,
      );
    }
  }
}
