// Option checks shared by the schedulers: each throws a RangeError naming the option and the value.
import type { SchedulerOptimizer } from "./lr-scheduler.js";

export function requireOneOf<T extends string>(name: string, value: unknown, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(`Invalid ${name}: ${String(value)} (must be one of ${allowed.map((a) => `'${a}'`).join(", ")})`);
  }
}

/** A value per parameter group: a number is repeated, a list must have one entry per group. */
export function perGroup(name: string, value: number | readonly number[] | undefined, optimizer: SchedulerOptimizer,
  check: (name: string, v: unknown) => void): number[] {
  const n = optimizer.paramGroups.length;
  if (Array.isArray(value)) {
    if (value.length !== n) throw new RangeError(`Invalid ${name}: expected ${n} values (one per parameter group), got ${value.length}`);
    value.forEach((v, i) => check(`${name}[${i}]`, v));
    return [...value];
  }
  check(name, value);
  return new Array<number>(n).fill(value as number);
}

/** A function per parameter group: one function is shared, a list must have one per group. */
export function perGroupFunctions<F>(name: string, value: F | readonly F[] | undefined, optimizer: SchedulerOptimizer): F[] {
  const n = optimizer.paramGroups.length;
  const list = Array.isArray(value) ? (value as readonly F[]) : new Array<F>(n).fill(value as F);
  if (list.length !== n) throw new RangeError(`Invalid ${name}: expected ${n} functions (one per parameter group), got ${list.length}`);
  list.forEach((f, i) => {
    if (typeof f !== "function") throw new RangeError(`Invalid ${name}${Array.isArray(value) ? `[${i}]` : ""}: ${String(f)} (must be a function)`);
  });
  return [...list];
}
