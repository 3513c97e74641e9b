// Optimizer state in fewer bits (the option stateDtype of Adam, AdamW and SGD): 'f32' (the default), 'bf16' (2
// bytes a value, rounded to nearest even) or 'int8' (bitsandbytes' blockwise dynamic quantization: 1 byte a value
// and one f32 absmax per block of Q8_BLOCK = 256 values). The kernels and the rules are in
// assembly/optim/lowbit.ts; this file plans the buffers and cuts them into (and back from) per-parameter state
// dict entries: a bf16 state is a Uint16Array of the values' bits, an int8 state a Uint8Array of codes with
// `<name>Absmax`, the Float32Array of its blocks' absmax. The blocks of int8 state are per parameter, as
// bitsandbytes' (each tensor its own state): a block never mixes two parameters, whose gradients may differ by
// orders of magnitude (a bias beside the weights: their second moments would round to 0 in the bias's block, and
// Adam's step there grows ~30-fold; a run diverged so). So the int8 kernels run once per parameter.
import type { Engine } from "../engine/engine.js";
import type { ParamRun } from "../engine/parameter.js";
import { F32Slice, U16Slice, type U8Slice } from "../engine/views.js";
import { WASM_CONSTANTS } from "../kernels/kernels.js";
import { quantizationMaps } from "./qmap.js";

export type StateDtype = "f32" | "bf16" | "int8";
export const STATE_DTYPES: readonly StateDtype[] = ["f32", "bf16", "int8"];

const { Q8_BLOCK } = WASM_CONSTANTS;

export function requireStateDtype(value: unknown): asserts value is StateDtype {
  if (!STATE_DTYPES.includes(value as StateDtype)) {
    throw new RangeError(`Invalid stateDtype: ${String(value)} (must be one of ${STATE_DTYPES.map((d) => `'${d}'`).join(", ")})`);
  }
}

/** The state was planned for `planned` at construction: a group's stateDtype changed since is an error, not ignored. */
export function requirePlannedDtype(current: StateDtype, planned: StateDtype): void {
  if (current !== planned) throw new RangeError(`Invalid stateDtype: '${current}' (the state was planned as '${planned}'; choose it when constructing the optimizer)`);
}

/** One low-bit state buffer of a run: its values' bits (bf16) or codes (int8), and the int8 blocks' absmax. */
export interface LowBitBuffer {
  readonly dtype: "bf16" | "int8";
  readonly codes: U8Slice | U16Slice;
  /** int8: the absmax of every block of every parameter of the run (bf16: null). */
  readonly absmax: F32Slice | null;
  /** Per parameter of the run: where its values start in the run, how many, and (int8) where its blocks' absmax
   * start in `absmax` (the run's other states' follow, in the order planned: Adam's v right after m). */
  readonly parts: readonly LowBitPart[];
}

export interface LowBitPart {
  readonly start: number;
  readonly length: number;
  readonly absmaxAt: number;
}

/** Number of int8 blocks of n values. */
export function blockCount(n: number): number {
  return Math.ceil(n / Q8_BLOCK);
}

/**
 * The low-bit buffers of one run, one per name. For int8 the absmax of all of them is one allocation, parameter
 * after parameter, and within a parameter's region state after state: the Adam kernels find v's right after m's.
 */
export function planLowBit(engine: Engine, names: readonly string[], run: ParamRun, dtype: "bf16" | "int8"): Record<string, LowBitBuffer> {
  const out: Record<string, LowBitBuffer> = {};
  const { length } = run;
  if (dtype === "int8") quantizationMaps(engine); // placed now, so that no step allocates
  let floats = 0;
  const regions = run.params.map((p) => {
    const at = floats;
    floats += names.length * blockCount(p.length);
    return { start: (p.dataSlice.ptr - run.dataPtr) / 4, length: p.length, at };
  });
  const absmax = dtype === "int8" ? engine.allocF32(floats, "int8 optimizer state (absmax)") : null;
  names.forEach((name, j) => {
    const codes = dtype === "int8"
      ? engine.allocU8(length, `int8 optimizer state '${name}'`)
      : new U16Slice(engine.memory, engine.allocU8(2 * length, `bf16 optimizer state '${name}'`).ptr, length);
    const parts = regions.map((r) => ({ start: r.start, length: r.length, absmaxAt: r.at + j * blockCount(r.length) }));
    out[name] = { dtype, codes, absmax, parts };
  });
  return out;
}

/** The part of a buffer that holds the parameter starting `start` values into the run. */
function partAt(buf: LowBitBuffer, start: number): LowBitPart {
  return buf.parts.find((p) => p.start === start)!;
}

export type StateArray = Float32Array | Uint16Array | Uint8Array;

/** The state dict entries of one parameter (values [start, start + length) of the run) of a low-bit buffer. */
export function lowBitEntries(name: string, buf: LowBitBuffer, start: number, length: number): Record<string, StateArray> {
  const out: Record<string, StateArray> = { [name]: buf.codes.array.slice(start, start + length) };
  if (buf.absmax) {
    const at = partAt(buf, start).absmaxAt;
    out[`${name}Absmax`] = buf.absmax.array.slice(at, at + blockCount(length));
  }
  return out;
}

/**
 * Checks parameter `index`'s loaded state `name` (of `length` values) against what
 * stateDict() gives for `dtype`: null when it fits, else what is wrong.
 */
export function stateMismatch(name: string, dtype: StateDtype, entry: Record<string, unknown>, index: number, length: number): string | null {
  const kind = dtype === "f32" ? Float32Array : dtype === "bf16" ? Uint16Array : Uint8Array;
  const values = entry[name];
  if (!(values instanceof kind)) return `parameter ${index}: state '${name}' is not a ${kind.name} (stateDtype '${dtype}')`;
  if (values.length !== length) return `state '${name}' of parameter ${index} has ${values.length} values, the parameter ${length}`;
  if (dtype !== "int8") return null;
  const absmax = entry[`${name}Absmax`];
  const blocks = blockCount(length);
  if (!(absmax instanceof Float32Array) || absmax.length !== blocks) {
    return `parameter ${index}: state '${name}Absmax' must be a Float32Array of the ${blocks} blocks' absmax`;
  }
  return null;
}

/** Writes a parameter's entries (checked by stateMismatch) into a low-bit buffer; no entry means zeros. */
export function setLowBit(name: string, buf: LowBitBuffer, entry: Record<string, unknown> | null, start: number, length: number): void {
  const values = entry?.[name] as Uint8Array | Uint16Array | undefined;
  buf.codes.array.fill(0, start, start + length);
  if (values) buf.codes.array.set(values, start);
  if (!buf.absmax) return;
  const at = partAt(buf, start).absmaxAt;
  const absmax = entry?.[`${name}Absmax`] as Float32Array | undefined;
  if (absmax) buf.absmax.array.set(absmax, at);
  else buf.absmax.array.fill(0, at, at + blockCount(length));
}
