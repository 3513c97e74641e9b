// The kernel builds import a plain memory ("env"."memory", no maximum). A threaded engine runs them on a shared
// memory, which a module can import only if its import says `shared` (with a maximum). Rather than embed three
// more builds that differ in one import, the import section of a build is rewritten here: its memory import gets
// the limits flags 0x03 (shared, has maximum) and the maximum 65536 pages (4 GiB), which accepts every shared
// memory the engine creates. Nothing else in the module changes.

const IMPORT_SECTION = 2;
const MEMORY_KIND = 2;
const SHARED_WITH_MAXIMUM = 0x03;
const MAX_PAGES = 65536;

class Reader {
  constructor(
    readonly bytes: Uint8Array,
    public at = 0,
  ) {}
  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const byte = this.bytes[this.at++]!;
      result += (byte & 0x7f) * 2 ** shift;
      if (byte < 0x80) return result;
    }
  }
  skipName(): void {
    const length = this.u32();
    this.at += length;
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value % 128;
    value = Math.floor(value / 128);
    if (value > 0) byte |= 0x80;
    out.push(byte);
  } while (value > 0);
  return out;
}

/** The same module with its imported memory declared shared (maximum 4 GiB). Throws when it imports no memory. */
export function withSharedMemoryImport(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  const r = new Reader(bytes, 8); // after the magic number and the version
  while (r.at < bytes.length) {
    const sectionStart = r.at;
    const id = bytes[r.at++]!;
    const size = r.u32();
    const contentStart = r.at;
    if (id !== IMPORT_SECTION) {
      r.at = contentStart + size;
      continue;
    }
    const count = r.u32();
    for (let i = 0; i < count; i++) {
      r.skipName();
      r.skipName();
      const kind = bytes[r.at++]!;
      if (kind !== MEMORY_KIND) {
        skipImportDescriptor(r, kind);
        continue;
      }
      const limitsStart = r.at;
      const flags = bytes[r.at++]!;
      const initial = r.u32();
      if (flags & 1) r.u32();
      const limits = [SHARED_WITH_MAXIMUM, ...leb(initial), ...leb(MAX_PAGES)];
      const content = [...bytes.subarray(contentStart, limitsStart), ...limits, ...bytes.subarray(r.at, contentStart + size)];
      const out = new Uint8Array(sectionStart + 1 + leb(content.length).length + content.length + (bytes.length - contentStart - size));
      out.set(bytes.subarray(0, sectionStart + 1));
      let at = sectionStart + 1;
      for (const part of [leb(content.length), content]) {
        out.set(part, at);
        at += part.length;
      }
      out.set(bytes.subarray(contentStart + size), at);
      return out;
    }
    r.at = contentStart + size;
  }
  throw new Error("the kernel module imports no memory");
}

/** Skips the descriptor of a function (0), table (1) or global (3) import. */
function skipImportDescriptor(r: Reader, kind: number): void {
  if (kind === 0) r.u32();
  else if (kind === 1) {
    r.at++; // reference type
    const flags = r.bytes[r.at++]!;
    r.u32();
    if (flags & 1) r.u32();
  } else if (kind === 3) r.at += 2; // value type, mutability
  else throw new Error(`unknown import kind ${kind} in the kernel module`);
}
