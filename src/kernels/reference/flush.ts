// Twin of assembly/optim/flush.ts: state values below the smallest normal float32 are stored as +0.

/** The smallest normal float32, 2^-126. */
export const MIN_NORMAL = 2 ** -126;

/** x, or +0 when |x| < tiny (tiny = MIN_NORMAL to flush, 0 not to). */
export function flush(x: number, tiny: number): number {
  return Math.abs(x) < tiny ? 0 : x;
}
