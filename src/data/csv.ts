// Numeric CSV → Dataset: one sample per line, every field a decimal number, an optional header line of column
// names, and a label column (class labels) or target columns (regression) chosen by name or index. The other
// columns are the float32 features, in file order. Blank lines are skipped. Errors name the file, the line
// and the column. Parsers take text: reading files is in ./node/, so this module runs in browsers too.
import { Dataset } from "./dataset.js";

export type CsvColumn = string | number;

export interface CsvOptions {
  /** The file name shown in errors (default 'CSV'). */
  name?: string;
  /** Whether the first line holds column names; 'auto' (default): when a field of it is text, not a number. */
  header?: boolean | "auto";
  /** Field separator (default ','). */
  delimiter?: string;
  /** The label column, by header name or index (negative counts from the end; default -1, the last). For
   * regression, several target columns may be listed. */
  label?: CsvColumn | readonly CsvColumn[];
  /** 'classification' (default): labels are integer classes 0..k−1. 'regression': float targets. */
  task?: "classification" | "regression";
  /** Number of classes (default: largest label + 1). */
  numClasses?: number;
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const { name = "CSV", delimiter = ",", task = "classification" } = options;
  const rows = text
    .split(/\r?\n/)
    .map((line, i) => ({ number: i + 1, line }))
    .filter((l) => l.line.trim() !== "")
    .map((l) => ({ number: l.number, fields: splitFields(l.line, delimiter) }));
  if (rows.length === 0) throw new Error(`${name}: no data lines`);
  const first = rows[0]!;
  const auto = options.header === "auto" || options.header === undefined;
  const hasHeader = auto ? first.fields.some((f) => f !== "" && !NUMBER.test(f)) : options.header;
  const header = hasHeader ? first.fields : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new Error(`${name}: a header line and no data lines`);
  const width = first.fields.length;
  const columnName = (c: number) => `column ${c + 1}${header ? ` ('${header[c]}')` : ""}`;

  const labelList = Array.isArray(options.label) ? (options.label as readonly CsvColumn[]) : [(options.label ?? -1) as CsvColumn];
  const labelCols = labelList.map((l) => resolveColumn(l, header, width, name));
  if (task === "classification" && labelCols.length !== 1) {
    throw new Error(`${name}: classification takes one label column, got ${labelCols.length}`);
  }
  if (new Set(labelCols).size !== labelCols.length) throw new Error(`${name}: a label column is listed twice`);
  const featureCols = Array.from({ length: width }, (_, c) => c).filter((c) => !labelCols.includes(c));
  if (featureCols.length === 0) throw new Error(`${name}: no feature columns left besides the label column(s)`);

  const x = new Float32Array(data.length * featureCols.length);
  const y = new Float64Array(data.length * labelCols.length);
  data.forEach((row, i) => {
    if (row.fields.length !== width) {
      const source = header ? "the header" : `line ${first.number}`;
      throw new Error(`${name}: line ${row.number} has ${row.fields.length} fields, expected ${width} (as ${source})`);
    }
    const value = (c: number): number => {
      const field = row.fields[c]!;
      if (!NUMBER.test(field)) throw new Error(`${name}: line ${row.number}, ${columnName(c)}: '${field}' is not a number`);
      return Number(field);
    };
    featureCols.forEach((c, j) => (x[i * featureCols.length + j] = value(c)));
    labelCols.forEach((c, j) => {
      const v = value(c);
      if (task === "classification" && !(Number.isInteger(v) && v >= 0 && v < 2 ** 31)) {
        throw new Error(`${name}: line ${row.number}, ${columnName(c)}: class label ${row.fields[c]} is not a non-negative integer`);
      }
      y[i * labelCols.length + j] = v;
    });
  });
  const shape = [featureCols.length];
  return task === "classification"
    ? new Dataset({ x, shape, labels: Int32Array.from(y), numClasses: options.numClasses, name })
    : new Dataset({ x, shape, targets: Float32Array.from(y), targetSize: labelCols.length, name });
}

/** Splits a line on the delimiter, trimming spaces and one pair of surrounding double quotes. */
function splitFields(line: string, delimiter: string): string[] {
  return line.split(delimiter).map((f) => {
    const t = f.trim();
    return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1).trim() : t;
  });
}

function resolveColumn(column: CsvColumn, header: readonly string[] | null, width: number, name: string): number {
  if (typeof column === "string") {
    if (!header) throw new Error(`${name}: label column '${column}' given by name, but the file has no header line`);
    const c = header.indexOf(column);
    if (c < 0) throw new Error(`${name}: no column named '${column}' in the header (columns: ${header.join(", ")})`);
    return c;
  }
  const c = column < 0 ? width + column : column;
  if (!Number.isInteger(column) || c < 0 || c >= width) {
    throw new RangeError(`${name}: label column ${column} does not exist (the file has ${width} columns)`);
  }
  return c;
}
