// CSV (RFC 4180) from rows of records, for the raw data next to a report: fields holding a comma, a quote or a
// line break are quoted, quotes doubled; numbers written in full precision, null and undefined as empty fields.

export function toCsv(rows: readonly Readonly<Record<string, unknown>>[], columns?: readonly string[]): string {
  const cols = columns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const lines = [cols.map(field).join(","), ...rows.map((r) => cols.map((c) => field(r[c])).join(","))];
  return `${lines.join("\r\n")}\r\n`;
}

function field(value: unknown): string {
  if (value === null || value === undefined) return "";
  const text = typeof value === "string" ? value : typeof value === "number" || typeof value === "boolean" ? String(value) : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
