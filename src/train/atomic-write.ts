// Node-only: writing a file so that a crash or an error never leaves a half-written file under its name.
//
//   write to a temporary file in the same directory → fsync it → rename over the target → fsync the directory
//
// rename() within one directory is atomic on POSIX file systems: a reader sees the old file or the new one. On
// any failure the temporary file is removed and the previous file is left as it was.
import { open, rename, unlink } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { readRegularFile } from "../data/node/file.js";

let counter = 0;

/** Writes `bytes` to `path` atomically; the error names the path and the cause. */
export async function writeFileAtomic(path: string, bytes: Uint8Array, what = "file"): Promise<void> {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now()}.${counter++}.tmp`);
  let created = false;
  try {
    const handle = await open(temp, "wx");
    created = true;
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
    created = false;
  } catch (e) {
    if (created) await unlink(temp).catch(() => undefined);
    throw new Error(`cannot write the ${what} ${path}: ${(e as Error).message}`, { cause: e });
  }
  await syncDirectory(dirname(path));
}

/** Makes the rename durable. Some platforms (Windows) cannot open a directory: there the rename is enough. */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, "r");
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // best effort
  }
}

/**
 * Reads a whole regular file (a directory, FIFO or device is refused before a byte is read); the error, a
 * DataError, names the path.
 */
export async function readFileBytes(path: string, what = "file"): Promise<Uint8Array> {
  return readRegularFile(path, what);
}
