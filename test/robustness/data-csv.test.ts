// Bad CSV input, generated: labels (huge, sparse, fractional, negative, not numbers), values beyond float32,
// broken rows, and files that are not CSV. Each gives a DataError naming the file, and the line and column where
// there is one, at once.
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { parseCsv } from "../../src/data/csv.js";
import { Dataset, MAX_CLASSES } from "../../src/data/dataset.js";
import { readCsvFile } from "../../src/data/node/read.js";
import { rejects, tempDir, throws } from "./harness.js";

const { file } = tempDir("csv");

/** n rows of two features and a label in 0..2, then `last` as the last line. */
const csv = (last: string, n = 40, header = "a,b,label") =>
  `${header ? `${header}\n` : ""}${Array.from({ length: n }, (_, i) => `${(i * 0.37) % 1},${i},${i % 3}`).join("\n")}\n${last}\n`;
const line = (n = 40, header = true) => n + (header ? 2 : 1); // the line number of `last`

describe("CSV labels", () => {
  const huge = ["2000000000", "1000000", String(MAX_CLASSES), "4294967296", "1e300", "99999999999999999999"];
  for (const label of huge) {
    it(`refuses the label ${label} (it would make that many classes) naming the file, line and column`, async () => {
      const path = file(`huge-${label}.csv`, csv(`0.5,1,${label}`));
      await rejects(() => readCsvFile(path), { names: [path, `line ${line()}`, "column 3 ('label')", label, `${MAX_CLASSES}`] });
      throws(() => parseCsv(csv(`0.5,1,${label}`), { name: "t.csv" }), { names: ["t.csv", `line ${line()}`, "too large"] });
    });
  }

  const notInteger = ["1.7", "0.5", "-1", "-0.5", "2.0000001", "1e-3"];
  for (const label of notInteger) {
    it(`refuses the label ${label} (not a non-negative integer) instead of truncating it`, async () => {
      const path = file(`frac-${label}.csv`, csv(`0.5,1,${label}`));
      await rejects(() => readCsvFile(path), { names: [path, `line ${line()}`, "column 3", `class label ${label} is not a non-negative integer`] });
    });
  }

  const notNumbers = ["NaN", "nan", "Infinity", "-Infinity", "inf", "1,5", "0x10", "", "one", "1 2", "١"];
  for (const label of notNumbers) {
    it(`refuses the label '${label}' (not a number)`, () => {
      throws(() => parseCsv(csv(`0.5,1,${label}`), { name: "t.csv" }), { names: ["t.csv", /line \d+/] });
    });
  }

  it("refuses a sparse label set (a few labels spread up to a large one) and says what to do", () => {
    for (const labels of [[0, 1, 50000], [0, 99998], [3, 70, 900], [10, 20, 30, 40]]) {
      const text = labels.map((l, i) => `${i},${i * 2},${l}`).join("\n");
      throws(() => parseCsv(text, { name: "sparse.csv" }), { names: ["sparse.csv", `${labels.length} distinct values`, `up to ${Math.max(...labels)}`, "numClasses"] });
    }
  });

  it("takes the class count from the labels present, or as given, within the limit", () => {
    const text = "1,2,0\n3,4,2\n5,6,1\n";
    expect(parseCsv(text).numClasses).toBe(3);
    expect(parseCsv(text, { numClasses: 5 }).numClasses).toBe(5);
    for (const numClasses of [2, 0, -1, 1.5, NaN, MAX_CLASSES + 1, 2e9]) {
      throws(() => parseCsv(text, { name: "n.csv", numClasses }), { names: ["n.csv", /numClasses|outside/] });
    }
  });

  it("checks labels given to a Dataset as numbers: no truncation of 1.7 or NaN, no wrap-around of 2^32", () => {
    const x = new Float32Array(8);
    for (const bad of [1.7, NaN, Infinity, -Infinity, 2 ** 32, 2 ** 31, 0.5]) {
      throws(() => new Dataset({ x, shape: [2], labels: [0, 1, bad, 1], name: "d" }), { names: ["d: label", "sample 2"] });
    }
    throws(() => new Dataset({ x, shape: [2], labels: Int32Array.of(0, 1, 2_000_000_000, 1), name: "d" }), { names: ["d: label 2000000000 of sample 2", `${MAX_CLASSES}`] });
  });
});

describe("CSV values", () => {
  const beyond = ["1e39", "-1e39", "3.5e38", "-3.41e38", "1e400", "-1e309"];
  for (const value of beyond) {
    it(`refuses the feature ${value}, beyond float32 (it would become ±Infinity), naming file, line and column`, async () => {
      const path = file(`beyond-${value}.csv`, csv(`0.5,${value},1`));
      await rejects(() => readCsvFile(path), { names: [path, `line ${line()}`, "column 2 ('b')", value, "float32"] });
    });
  }
  for (const value of beyond) {
    it(`refuses the regression target ${value}`, () => {
      throws(() => parseCsv(csv(`0.5,1,${value}`), { name: "r.csv", task: "regression" }), { names: ["r.csv", `line ${line()}`, "column 3", "float32"] });
    });
  }
  it("keeps values within float32 (the largest finite, tiny ones)", () => {
    const d = parseCsv("3.4028234e38,1e-50,0\n-3.4e38,0,1\n");
    expect(Array.from(d.x).every(Number.isFinite)).toBe(true);
  });

  const badRows: [string, string, RegExp][] = [
    ["a short row", "0.5,1", /line 42 has 2 fields, expected 3 \(as the header\)/],
    ["a long row", "0.5,1,1,7", /line 42 has 4 fields, expected 3/],
    ["an empty field", "0.5,,1", /line 42, column 2 \('b'\): '' is not a number/],
    ["text", "0.5,abc,1", /line 42, column 2 \('b'\): 'abc' is not a number/],
    ["a NUL byte", "0.5,\u00001,1", /line 42, column 2/],
    ["a quoted text", '0.5,"x",1', /line 42, column 2 \('b'\): 'x' is not a number/],
    ["a lone delimiter line", ",,", /line 42, column 1/],
  ];
  for (const [what, last, message] of badRows) {
    it(`refuses ${what}, naming the line and column`, () => {
      throws(() => parseCsv(csv(last), { name: "rows.csv" }), { names: ["rows.csv", message] });
    });
  }
});

describe("CSV files", () => {
  const files: [string, Uint8Array | string, RegExp][] = [
    ["an empty file", "", /no data lines \(the file is empty\)/],
    ["blank lines only", "\n\n  \r\n", /no data lines/],
    ["a header only", "a,b,label\n", /a header line and no data lines/],
    ["binary bytes (not UTF-8)", Uint8Array.from([0xff, 0xfe, 0x00, 0x80, 0x81, 10, 0xc3]), /not UTF-8 text/],
    ["a truncated gzip", gzipSync(csv("1,2,0")).subarray(0, 30), /corrupt or truncated gzip data/],
    ["gzip with trailing garbage", Buffer.concat([gzipSync(csv("1,2,0")), Buffer.from("garbage!")]), /corrupt or truncated gzip data|not a number|fields/],
    ["a label column only", "1\n2\n", /no feature columns/],
  ];
  for (const [what, bytes, message] of files) {
    it(`refuses ${what}, naming the file`, async () => {
      const path = file(`${what.replace(/\W+/g, "-")}.csv`, bytes);
      await rejects(() => readCsvFile(path), { names: [path, message] });
    });
  }

  it("stops inflating a gzip bomb at the limit instead of inflating it all", async () => {
    // 64 MiB of digits in a tiny gzip: the reader's limit (here lowered through the API) stops it early.
    const { readMaybeGzipped } = await import("../../src/data/node/read.js");
    const path = file("bomb.csv.gz", gzipSync(Buffer.alloc(64 << 20, "1,2,0\n")));
    await rejects(() => readMaybeGzipped(path, 1 << 20, "CSV file"), { names: [path, "inflates to more than 1048576 bytes"], ms: 3000 });
  });

  it("refuses options that make no sense", () => {
    throws(() => parseCsv("1,2\n", { name: "o.csv", label: 5 }), { names: ["o.csv", "label column 5 does not exist"] });
    throws(() => parseCsv("1,2\n", { name: "o.csv", label: "y" }), { names: ["o.csv", "no header line"] });
    throws(() => parseCsv("a,y\n1,2\n", { name: "o.csv", label: "z" }), { names: ["o.csv", "no column named 'z'"] });
    throws(() => parseCsv("1,2\n", { name: "o.csv", delimiter: "" }), { names: ["o.csv", "delimiter"] });
    throws(() => parseCsv("1,2\n", { name: "o.csv", task: "cluster" as "regression" }), { names: ["o.csv", "task"] });
  });
});
