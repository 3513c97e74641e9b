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
