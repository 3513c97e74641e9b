// Plain-text tables for the terminal: a header, a rule, aligned columns (text left, numbers right).

export interface Column<T> {
  title: string;
  value(row: T): string;
  /** Default: right-aligned when every value looks like a number. */
  align?: "left" | "right";
}

export function textTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => c.value(r)));
  const widths = columns.map((c, j) => Math.max(length(c.title), ...cells.map((row) => length(row[j]!))));
  const aligns = columns.map((c, j) => c.align ?? (cells.every((row) => /^[-−+]?[\d.,]|^[–∞]$/.test(row[j]!)) ? "right" : "left"));
  const line = (values: string[]) =>
    values.map((v, j) => (aligns[j] === "right" ? v.padStart(widths[j]! + v.length - length(v)) : v.padEnd(widths[j]! + v.length - length(v)))).join("  ").trimEnd();
  return [line(columns.map((c) => c.title)), widths.map((w) => "─".repeat(w)).join("  "), ...cells.map(line)].join("\n");
}

/** Visible length (code points). */
function length(s: string): number {
  return [...s].length;
}

