// Node-only: checkpoints and safetensors weights as files. Writes are atomic (atomic-write.ts): a failed save
// leaves the previous file as it was.
//
//   await fit(model, train, { ..., callbacks: [checkpoint({ path: "run.safetensors", every: 100 })] })
//   await fit(model, train, { ..., resumeFrom: await readCheckpoint("run.safetensors") })
//   await exportSafetensors(model, "model.safetensors")   // torch: model.load_state_dict(load_file(...))
import { checkpointCallback, type Callback } from "./callbacks.js";
import {
  applyCheckpoint, decodeCheckpoint, encodeCheckpoint, loadSafetensors, modelToSafetensors,
  type Checkpoint, type CheckpointParts, type NamedModel, type StatefulScheduler, type TrainingState,
} from "./checkpoint.js";
import type { Optimizer } from "../optim/optimizer.js";
import { writeFileAtomic } from "./atomic-write.js";
import { fillFrom, readAt, withRegularFile } from "../data/node/file.js";
import { DataError } from "../data/errors.js";
import { checkSafetensorsPrefix } from "./safetensors.js";

/** The largest safetensors file read whole: an engine holds at most 4 GiB, a typed array not much more. */
const MAX_SAFETENSORS_BYTES = 2 ** 32;

/**
 * Reads a safetensors file (a checkpoint, weights): a regular file only (not a directory, FIFO or device), its
 * header validated against the file's size (the header length, every tensor's dtype, shape and offsets) before the
 * data are read. Errors are DataErrors naming the path.
 */
export async function readSafetensorsFile(path: string, what = "safetensors file"): Promise<Uint8Array> {
  return withRegularFile(path, what, MAX_SAFETENSORS_BYTES, async (handle, size) => {
    let prefix = await readAt(handle, 0, Math.min(size, 8));
    for (let need = checkSafetensorsPrefix(prefix, size, path); need > 0; need = checkSafetensorsPrefix(prefix, size, path)) {
      prefix = await readAt(handle, 0, need);
      if (prefix.length < need) throw new DataError(path, `shrank while being read: ${prefix.length} of ${need} bytes`);
    }
    const bytes = new Uint8Array(size);
    bytes.set(prefix);
    await fillFrom(handle, bytes, prefix.length, path);
    return bytes;
  });
}

/** Reads and validates a checkpoint file (pass it to fit's resumeFrom, or to applyCheckpoint). */
export async function readCheckpoint(path: string): Promise<Checkpoint> {
  return decodeCheckpoint(await readSafetensorsFile(path, "checkpoint"), path);
}

/** Writes a checkpoint of the model (and optimizer, scheduler) atomically. */
export async function saveCheckpoint(path: string, parts: CheckpointParts): Promise<void> {
  await writeFileAtomic(path, encodeCheckpoint(parts), "checkpoint");
}

/**
 * Loads a checkpoint file into the model, the optimizer and the scheduler (each when given); returns the saved
 * training position, or null. Nothing changes when the file is invalid or does not match.
 */
export async function loadCheckpoint(
  model: NamedModel,
  optimizer: Optimizer<object> | null,
  scheduler: StatefulScheduler | null,
  path: string,
): Promise<TrainingState | null> {
  return applyCheckpoint(await readCheckpoint(path), model, optimizer, scheduler);
}

/** A fit callback that saves the whole training state to `path` every `every` steps, or every epoch (default). */
export function checkpoint(options: { path: string; every?: number | "epoch" }): Callback {
  return checkpointCallback({ every: options.every, write: (bytes) => writeFileAtomic(options.path, bytes, "checkpoint") });
}

/** Writes the model's weights and buffers as a safetensors file with PyTorch's state_dict names and shapes. */
export async function exportSafetensors(model: NamedModel, path: string): Promise<void> {
  await writeFileAtomic(path, modelToSafetensors(model), "safetensors file");
}

/**
 * Loads weights and buffers from a safetensors file (e.g. written by safetensors.torch.save_file(model.state_dict())).
 * F64, F16, BF16 and I64 tensors are converted to float32. With `strict` (default), tensors the model does not
 * have are an error; missing ones always are. Nothing changes when the file does not match.
 */
export async function importSafetensors(model: NamedModel, path: string, options: { strict?: boolean } = {}): Promise<void> {
  loadSafetensors(model, await readSafetensorsFile(path, "safetensors file"), path, options);
}
