// Numeric CSV → Dataset: one sample per line, every field a decimal number, an optional header line of column
// names, and a label column (class labels) or target columns (regression) chosen by name or index. The other
// columns are the float32 features, in file order. Blank lines are skipped. Errors name the file, the line
// and the column. Parsers take text: reading files is in ./node/, so this module runs in browsers too.
import { DataError } from "./errors.js";
import { Dataset, MAX_CLASSES, MAX_LABEL } from "./dataset.js";

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
const FLOAT32_MAX = 3.4028234663852886e38;

/** The lines of `text` (without their \r\n or \n), one at a time, with their 1-based numbers; blank lines skipped. */
function* lines(text: string): Generator<{ number: number; line: string }> {
  let at = 0, number = 0;
  while (at <= text.length) {
    let end = text.indexOf("\n", at);
    if (end < 0) end = text.length;
    number++;
    const line = text.slice(at, end > at && text.charCodeAt(end - 1) === 13 ? end - 1 : end);
    if (line.trim() !== "") yield { number, line };
    at = end + 1;
  }
}

/** Lines of text (an upper bound of the data lines). */
function countLines(text: string): number {
  let n = 1;
  for (let at = text.indexOf("\n"); at >= 0; at = text.indexOf("\n", at + 1)) n++;
  return n;
}

export function parseCsv(text: string, options: CsvOptions = {}): Dataset {
  const { name = "CSV", delimiter = ",", task = "classification" } = options;
  if (task !== "classification" && task !== "regression") throw new DataError(name, `task must be 'classification' or 'regression', got ${String(task)}`);
  if (typeof delimiter !== "string" || delimiter.length === 0) throw new DataError(name, `the delimiter must be a non-empty string`);
  const iterator = lines(text);
  const firstLine = iterator.next();
  if (firstLine.done) throw new DataError(name, `no data lines${text.length === 0 ? " (the file is empty)" : ""}`);
  const first = { number: firstLine.value.number, fields: splitFields(firstLine.value.line, delimiter) };
  const auto = options.header === "auto" || options.header === undefined;
  const hasHeader = auto ? first.fields.some((f) => f !== "" && !NUMBER.test(f)) : options.header;
  const header = hasHeader ? first.fields : null;
  const width = first.fields.length;
  const columnName = (c: number) => `column ${c + 1}${header ? ` ('${header[c]}')` : ""}`;

  const labelList = Array.isArray(options.label) ? (options.label as readonly CsvColumn[]) : [(options.label ?? -1) as CsvColumn];
  const labelCols = labelList.map((l) => resolveColumn(l, header, width, name));
  if (task === "classification" && labelCols.length !== 1) {
    throw new DataError(name, `classification takes one label column, got ${labelCols.length}`);
  }
  if (new Set(labelCols).size !== labelCols.length) throw new DataError(name, `a label column is listed twice`);
  const featureCols = Array.from({ length: width }, (_, c) => c).filter((c) => !labelCols.includes(c));
  if (featureCols.length === 0) throw new DataError(name, `no feature columns left besides the label column(s)`);

  const capacity = countLines(text) - (hasHeader ? 1 : 0);
  const features = featureCols.length, targets = labelCols.length;
  const x = new Float32Array(capacity * features);
  const y = new Float64Array(capacity * targets);
  const isLabel = new Int8Array(width).fill(-1);
  labelCols.forEach((c, j) => (isLabel[c] = j));
  let n = 0;
  const parseRow = (number: number, fields: string[]) => {
    if (fields.length !== width) {
      const source = header ? "the header" : `line ${first.number}`;
      throw new DataError(name, `line ${number} has ${fields.length} fields, expected ${width} (as ${source})`);
    }
    let f = n * features;
    for (let c = 0; c < width; c++) {
      const field = fields[c]!;
      if (!NUMBER.test(field)) throw new DataError(name, `line ${number}, ${columnName(c)}: '${field}' is not a number`);
      const v = Number(field);
      const j = isLabel[c]!;
      if (j < 0 || task === "regression") {
        if (Math.abs(v) > FLOAT32_MAX) {
          throw new DataError(name, `line ${number}, ${columnName(c)}: ${field} is beyond the float32 range (±${FLOAT32_MAX.toPrecision(5)})`);
        }
      } else if (!(Number.isInteger(v) && v >= 0)) {
        throw new DataError(name, `line ${number}, ${columnName(c)}: class label ${field} is not a non-negative integer`);
      } else if (v > MAX_LABEL) {
        throw new DataError(name, `line ${number}, ${columnName(c)}: class label ${field} is too large: it would make ${v + 1} classes, more than the ${MAX_CLASSES} a dataset may have`);
      }
      if (j < 0) x[f++] = v;
      else y[n * targets + j] = v;
    }
    n++;
  };
  if (!hasHeader) parseRow(first.number, first.fields);
  for (const { number, line } of iterator) parseRow(number, splitFields(line, delimiter));
  if (n === 0) throw new DataError(name, `a header line and no data lines`);
  const shape = [features];
  return task === "classification"
    ? new Dataset({ x: x.subarray(0, n * features), shape, labels: Int32Array.from(y.subarray(0, n)), numClasses: options.numClasses, name })
    : new Dataset({ x: x.subarray(0, n * features), shape, targets: Float32Array.from(y.subarray(0, n * targets)), targetSize: targets, name });
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
    if (!header) throw new DataError(name, `label column '${column}' given by name, but the file has no header line`);
    const c = header.indexOf(column);
    if (c < 0) throw new DataError(name, `no column named '${column}' in the header (columns: ${header.join(", ")})`);
    return c;
  }
  const c = column < 0 ? width + column : column;
  if (!Number.isInteger(column) || c < 0 || c >= width) {
    throw new DataError(name, `label column ${column} does not exist (the file has ${width} columns)`);
  }
  return c;
}
