// CSV: headers (detected or given), label columns by name, index or from the end, regression targets,
// blank lines and CRLF; errors naming file, line and column.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readCsvFile } from "../src/data/node/read.js";
import { parseCsv } from "../src/index.js";

const withHeader = 'a, b ,"label",c\r\n1,2.5,0,-3\r\n\r\n4,5e-1,2,.5\r\n7,8,1,9\r\n';

describe("CSV", () => {
  it("detects a header and takes the label column by name; the rest are features in file order", () => {
    const data = parseCsv(withHeader, { label: "label", name: "t.csv" });
    expect(data.shape).toEqual([3]);
    expect(Array.from(data.x)).toEqual([1, 2.5, -3, 4, 0.5, 0.5, 7, 8, 9]);
    expect(Array.from(data.labels!)).toEqual([0, 2, 1]);
    expect(data.numClasses).toBe(3);
    expect(data.name).toBe("t.csv");
  });

  it("takes the label by index (default the last column) without a header", () => {
    const text = "1,2,3\n4,5,6\n";
    expect(Array.from(parseCsv(text).labels!)).toEqual([3, 6]);
    expect(Array.from(parseCsv(text).x)).toEqual([1, 2, 4, 5]);
    const first = parseCsv(text, { label: 0, numClasses: 10 });
    expect(Array.from(first.labels!)).toEqual([1, 4]);
    expect(first.numClasses).toBe(10);
    expect(Array.from(first.x)).toEqual([2, 3, 5, 6]);
    expect(Array.from(parseCsv(text, { label: -2 }).labels!)).toEqual([2, 5]);
  });

  it("reads regression targets, one or several columns", () => {
    const text = "x1,x2,y1,y2\n1,2,0.5,-1\n3,4,1.5,-2\n";
    const one = parseCsv(text, { task: "regression" });
    expect(one.targetSize).toBe(1);
    expect(Array.from(one.targets!)).toEqual([-1, -2]);
    expect(Array.from(one.x)).toEqual([1, 2, 0.5, 3, 4, 1.5]);
    const two = parseCsv(text, { task: "regression", label: ["y1", 3] });
    expect(two.targetSize).toBe(2);
    expect(Array.from(two.targets!)).toEqual([0.5, -1, 1.5, -2]);
    expect(two.shape).toEqual([2]);
  });

  it("header: true treats a numeric first line as names; false makes a non-numeric one an error", () => {
    expect(parseCsv("1,2\n3,4\n", { header: true }).length).toBe(1);
    expect(() => parseCsv("a,b\n3,4\n", { header: false, name: "f.csv" })).toThrow(/^f.csv: line 1, column 1: 'a' is not a number$/);
  });

  const errors: [string, string, object, RegExp][] = [
    ["a bad number", "a,b,y\n1,2,0\n3,x4,1\n", {}, /^e.csv: line 3, column 2 \('b'\): 'x4' is not a number$/],
    ["an empty field", "1,,0\n", {}, /^e.csv: line 1, column 2: '' is not a number$/],
    ["a short line", "a,b,y\n1,2,0\n\n3,1\n", {}, /^e.csv: line 4 has 2 fields, expected 3 \(as the header\)$/],
    ["a fractional label", "a,y\n1,0\n2,1.5\n", {}, /^e.csv: line 3, column 2 \('y'\): class label 1.5 is not a non-negative integer$/],
    ["a negative label", "1,-1\n", {}, /^e.csv: line 1, column 2: class label -1 is not a non-negative integer$/],
    ["an unknown label name", "a,b\n1,2\n", { label: "y" }, /^e.csv: no column named 'y' in the header \(columns: a, b\)$/],
    ["a label name without header", "1,2\n", { label: "y" }, /^e.csv: label column 'y' given by name, but the file has no header line$/],
    ["a label index out of range", "1,2\n", { label: 5 }, /^e.csv: label column 5 does not exist \(the file has 2 columns\)$/],
    ["a label above numClasses", "1,3\n", { numClasses: 3 }, /^e.csv: label 3 of sample 0 is outside \[0, 3\)$/],
    ["no data", "\n\n", {}, /^e.csv: no data lines$/],
  ];
  for (const [what, text, options, message] of errors) {
    it(`reports ${what}`, () => {
      expect(() => parseCsv(text, { name: "e.csv", ...options })).toThrow(message);
    });
  }

  it("reads files, gzipped or not, naming the path in errors", async () => {
    const dir = mkdtempSync(join(tmpdir(), "wasm-optim-csv-"));
    const plain = join(dir, "d.csv"), gz = join(dir, "d.csv.gz");
    writeFileSync(plain, withHeader);
    writeFileSync(gz, gzipSync(withHeader));
    expect(Array.from((await readCsvFile(plain, { label: 2 })).labels!)).toEqual([0, 2, 1]);
    expect(Array.from((await readCsvFile(gz, { label: "label" })).x)).toEqual([1, 2.5, -3, 4, 0.5, 0.5, 7, 8, 9]);
    writeFileSync(plain, "1,2\n3,?\n");
    await expect(readCsvFile(plain)).rejects.toThrow(`${plain}: line 2, column 2: '?' is not a number`);
  });
});
