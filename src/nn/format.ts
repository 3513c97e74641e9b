// Text forms of shapes and counts for error messages and summaries.
import type { Shape } from "./layer.js";

/** "[3, 28, 28]" */
export function formatShape(shape: Shape): string {
  return `[${shape.join(", ")}]`;
}

/** "1,234,567" */
export function formatCount(n: number): string {
  return n.toLocaleString("en-US");
}

/** Throws a RangeError naming the layer and the option unless each value is a positive integer. */
export function checkPositiveIntegers(layer: string, values: Record<string, number>): void {
  for (const [option, value] of Object.entries(values)) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`${layer}: ${option} must be a positive integer, got ${value}`);
  }
}
