// Node-only: opening a file the user named, refusing what is not a regular file before reading a byte. A
// directory, a FIFO (which would block), a device such as /dev/zero (which never ends), a socket, a missing or
// unreadable file, and a file larger than a reader accepts all give a DataError naming the path.
import { constants, type Stats } from "node:fs";
import { open, type FileHandle } from "node:fs/promises";
import { DataError } from "../errors.js";

/** What a path is, when it is not a regular file. */
function kind(stats: Stats): string | null {
  if (stats.isFile()) return null;
  if (stats.isDirectory()) return "a directory";
  if (stats.isFIFO()) return "a FIFO (named pipe)";
  if (stats.isCharacterDevice()) return "a character device";
  if (stats.isBlockDevice()) return "a block device";
  if (stats.isSocket()) return "a socket";
  return "not a regular file";
}

const CODES: Record<string, string> = {
  ENOENT: "no such file",
  EACCES: "permission denied",
  EPERM: "permission denied",
  ELOOP: "too many symbolic links",
  ENOTDIR: "a part of the path is not a directory",
  ENAMETOOLONG: "the path is too long",
};

/**
 * Opens `path` for reading, after checking that it is a regular file of at most `maxBytes` bytes; `what` says
 * what the file should be ('CSV file', 'checkpoint'). Returns the open handle and its size; close the handle.
 */
export async function openRegularFile(path: string, what: string, maxBytes = Infinity): Promise<{ handle: FileHandle; size: number }> {
  let handle: FileHandle;
  try {
    // O_NONBLOCK: opening a FIFO does not wait for a writer (regular files ignore it).
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = String((e as NodeJS.ErrnoException).code);
    throw new DataError(path, `cannot open the ${what}: ${CODES[code] ?? (e as Error).message}`, { cause: e });
  }
  try {
    const stats = await handle.stat();
    const not = kind(stats);
    if (not) throw new DataError(path, `is ${not}, not a regular file (expected a ${what})`);
    if (stats.size > maxBytes) {
      throw new DataError(path, `is ${stats.size} bytes, more than the ${maxBytes} bytes a ${what} may have here`);
    }
    return { handle, size: stats.size };
  } catch (e) {
    await handle.close();
    throw e;
  }
}

/**
 * Opens a regular file (see openRegularFile), runs `read` on it and closes it; an I/O failure becomes a DataError
 * naming the path.
 */
export async function withRegularFile<T>(
  path: string, what: string, maxBytes: number, read: (handle: FileHandle, size: number) => Promise<T>,
): Promise<T> {
  const { handle, size } = await openRegularFile(path, what, maxBytes);
  try {
    return await read(handle, size);
  } catch (e) {
    if (e instanceof DataError) throw e;
    throw new DataError(path, `cannot read the ${what}: ${(e as Error).message}`, { cause: e });
  } finally {
    await handle.close();
  }
}

/** Reads a regular file whole (see openRegularFile), exactly the size it had when opened. */
export function readRegularFile(path: string, what: string, maxBytes = Infinity): Promise<Uint8Array> {
  return withRegularFile(path, what, maxBytes, async (handle, size) => {
    const bytes = new Uint8Array(size);
    await fillFrom(handle, bytes, 0, path);
    return bytes;
  });
}

/** Reads the file from byte `from` on into `bytes[from..]` (the file's size); a file that shrank is a DataError. */
export async function fillFrom(handle: FileHandle, bytes: Uint8Array, from: number, path: string): Promise<void> {
  for (let filled = from; filled < bytes.length;) {
    const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, filled);
    if (bytesRead === 0) throw new DataError(path, `shrank while being read: ${filled} of ${bytes.length} bytes`);
    filled += bytesRead;
  }
}

/** Reads `length` bytes at `position` (fewer at the end of the file). */
export async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let filled = 0;
  while (filled < length) {
    const { bytesRead } = await handle.read(out, filled, length - filled, position + filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return out.subarray(0, filled);
}
