// Hyperparameter checks: each throws a RangeError naming the option and the offending value.

export function requireFinite(name: string, value: unknown): asserts value is number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(`Invalid ${name}: ${String(value)} (must be a finite number)`);
  }
}

export function requireNonNegative(name: string, value: unknown): asserts value is number {
  requireFinite(name, value);
  if (value < 0) throw new RangeError(`Invalid ${name}: ${value} (must be >= 0)`);
}

export function requirePositive(name: string, value: unknown): asserts value is number {
  requireFinite(name, value);
  if (value <= 0) throw new RangeError(`Invalid ${name}: ${value} (must be > 0)`);
}

/** lo <= value < hi (or <= hi when `closed`). */
export function requireInRange(name: string, value: unknown, lo: number, hi: number, closed = false): asserts value is number {
  requireFinite(name, value);
  if (value < lo || (closed ? value > hi : value >= hi)) {
    throw new RangeError(`Invalid ${name}: ${value} (must be in [${lo}, ${hi}${closed ? "]" : ")"})`);
  }
}

export function requireBoolean(name: string, value: unknown): asserts value is boolean {
  if (typeof value !== "boolean") throw new RangeError(`Invalid ${name}: ${String(value)} (must be true or false)`);
}

export function requireInteger(name: string, value: unknown, min = 0): asserts value is number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min) {
    throw new RangeError(`Invalid ${name}: ${String(value)} (must be an integer >= ${min})`);
  }
}
