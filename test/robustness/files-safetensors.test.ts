// Bad safetensors and checkpoint files, generated: header lengths beyond the file or absurd, headers that are not
// JSON objects, dtypes, shapes and offsets that do not fit, overlapping or uncovered data, trailing garbage; and
// checkpoints whose hyperparameters are out of range. Each gives an error naming the file and the tensor or field.
import { describe, expect, it, beforeAll } from "vitest";
import { createEngine } from "../../src/engine/engine.js";
import { Linear } from "../../src/nn/linear.js";
import { Sequential } from "../../src/nn/sequential.js";
import { Adam } from "../../src/optim/adam.js";
import { SGD } from "../../src/optim/sgd.js";
import { OneCycleLR } from "../../src/optim/schedulers/one-cycle-lr.js";
import { applyCheckpoint, decodeCheckpoint, encodeCheckpoint } from "../../src/train/checkpoint.js";
import { importSafetensors, readCheckpoint, readSafetensorsFile } from "../../src/train/checkpoint-file.js";
import { decodeSafetensors, encodeSafetensors } from "../../src/train/safetensors.js";
import { rejects, tempDir, throws } from "./harness.js";

const { file } = tempDir("st");

/** A safetensors file from a header object (as given: any JSON) and raw data bytes. */
function raw(header: unknown, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(typeof header === "string" ? header : JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}
const t = (dtype: string, shape: unknown, offsets: unknown) => ({ dtype, shape, data_offsets: offsets });

describe("safetensors headers", () => {
  const data16 = new Uint8Array(16);
  const cases: [string, Uint8Array, (string | RegExp)[]][] = [
    ["an empty file", new Uint8Array(0), ["truncated: 0 bytes", "empty"]],
    ["7 bytes", new Uint8Array(7), ["truncated: 7 bytes"]],
    ["a header length of 2^63", raw({}, data16, 2n ** 63n), ["the header length 9223372036854775808 goes beyond the end of the file"]],
    ["a header length of 2^64 - 1", raw({}, data16, 2n ** 64n - 1n), ["goes beyond the end of the file"]],
    ["a header length one past the file", raw({}, data16, 2n + 16n + 1n), ["goes beyond the end of the file"]],
    ["a header that is not JSON", raw("{not json", data16), ["not valid UTF-8 JSON"]],
    ["a header that is not UTF-8", raw("\"\u0000\"", data16).map((b, i) => (i === 9 ? 0xff : b)), ["not valid UTF-8 JSON"]],
    ["a header that is an array", raw([1, 2]), ["not a JSON object"]],
    ["a header that is null", raw("null"), ["not a JSON object"]],
    ["a header that is a number", raw("42"), ["not a JSON object"]],
    ["metadata that is not an object", raw({ __metadata__: [1] }), ["__metadata__ is not an object"]],
    ["a metadata value that is a number", raw({ __metadata__: { a: 1 } }), ["__metadata__ value 'a' is not a string"]],
    ["an entry that is a string", raw({ w: "F32" }), ["tensor 'w': the header entry is not an object"]],
    ["an entry that is an array", raw({ w: [1] }), ["tensor 'w': the header entry is not an object"]],
    ["an unknown dtype", raw({ w: t("F33", [4], [0, 16]) }, data16), ["tensor 'w': unknown dtype \"F33\""]],
    ["a dtype named after an Object method", raw({ w: t("toString", [4], [0, 16]) }, data16), ["tensor 'w': unknown dtype \"toString\""]],
    ["a dtype that is a number", raw({ w: t(4 as unknown as string, [4], [0, 16]) }, data16), ["tensor 'w': unknown dtype 4"]],
    ["a negative dimension", raw({ w: t("F32", [-4], [0, 16]) }, data16), ["tensor 'w': invalid shape [-4]"]],
    ["a fractional dimension", raw({ w: t("F32", [2.5], [0, 16]) }, data16), ["tensor 'w': invalid shape [2.5]"]],
    ["a shape that is not a list", raw({ w: t("F32", 4, [0, 16]) }, data16), ["tensor 'w': invalid shape 4"]],
    ["a dimension of 2^60", raw({ w: t("F32", [2 ** 60], [0, 16]) }, data16), ["tensor 'w'"]],
    ["a shape product overflowing", raw({ w: t("F32", [2 ** 40, 2 ** 40], [0, 16]) }, data16), ["tensor 'w'"]],
    ["offsets that are not a pair", raw({ w: t("F32", [4], [0]) }, data16), ["tensor 'w': invalid data_offsets [0]"]],
    ["negative offsets", raw({ w: t("F32", [4], [-16, 0]) }, data16), ["tensor 'w': invalid data_offsets [-16,0]"]],
    ["offsets beyond the data", raw({ w: t("F32", [4], [16, 32]) }, data16), ["tensor 'w': data_offsets [16, 32] out of range (the data part has 16 bytes)"]],
    ["reversed offsets", raw({ w: t("F32", [0], [16, 0]) }, data16), ["tensor 'w': data_offsets [16, 0] out of range"]],
    ["a shape that disagrees with the byte length", raw({ w: t("F32", [3], [0, 16]) }, data16), ["tensor 'w': shape [3] of F32 needs 12 bytes, data_offsets [0, 16] give 16"]],
    ["a dtype size that disagrees", raw({ w: t("F64", [4], [0, 16]) }, data16), ["tensor 'w': shape [4] of F64 needs 32 bytes"]],
    ["overlapping tensors", raw({ a: t("F32", [4], [0, 16]), b: t("F32", [2], [8, 16]) }, data16), ["overlaps"]],
    ["a gap between tensors", raw({ a: t("F32", [2], [0, 8]), b: t("F32", [1], [12, 16]) }, data16), ["a gap of 4 bytes before tensor 'b'"]],
    ["data not covered (trailing garbage)", raw({ a: t("F32", [2], [0, 8]) }, data16), ["the data part has 16 bytes but the tensors cover 8"]],
    ["data missing (truncated)", raw({ a: t("F32", [4], [0, 16]) }, new Uint8Array(12)), ["tensor 'a': data_offsets [0, 16] out of range (the data part has 12 bytes)"]],
  ];
  for (const [what, bytes, names] of cases) {
    it(`refuses ${what}, from bytes and from a file`, async () => {
      throws(() => decodeSafetensors(bytes, "w.safetensors"), { names: ["w.safetensors: ", ...names] });
      const path = file(`${what.replace(/\W+/g, "-")}.safetensors`, bytes);
      await rejects(() => readSafetensorsFile(path), { names: [`${path}: `, ...names] });
    });
  }

  it("refuses a header of more than 100 MB even when the file is that large, before reading the data", async () => {
    const huge = new Uint8Array(8);
    new DataView(huge.buffer).setBigUint64(0, 200_000_000n, true);
    const path = file("huge-header.safetensors", huge);
    const { truncateSync } = await import("node:fs");
    truncateSync(path, 200_000_100); // sparse: no disk used
    await rejects(() => readSafetensorsFile(path), { names: [path, "the header length 200000000 exceeds the limit of 100000000 bytes"], ms: 2000 });
  });

  it("checks the header against the file before reading gigabytes of data", async () => {
    const bytes = raw({ w: t("F32", [4], [0, 16]) });
    const path = file("sparse-data.safetensors", bytes);
    const { truncateSync } = await import("node:fs");
    truncateSync(path, 3_000_000_000); // a 3 GB file of zeros whose header covers 16 bytes
    await rejects(() => readSafetensorsFile(path), { names: [path, /the data part has \d+ bytes but the tensors cover 16/], ms: 2000 });
  });
});

describe("checkpoints with bad hyperparameters", () => {
  let model: Sequential;
  let good: Uint8Array;
  beforeAll(async () => {
    const engine = await createEngine({ backend: "js" });
    model = new Sequential([new Linear(3, 2)]).compile(engine, { inputShape: [3], batchSize: 2 });
    const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
    optimizer.step(); // so that the state holds a step and buffers
    good = encodeCheckpoint({ model, optimizer });
  });

  /** The good checkpoint with its optimizer JSON edited. */
  function edited(edit: (optimizer: { paramGroups: Record<string, unknown>[]; state: Record<string, Record<string, unknown>> }) => void): Uint8Array {
    const file = decodeSafetensors(good);
    const meta = { ...file.metadata };
    const optimizer = JSON.parse(meta.optimizer!);
    edit(optimizer);
    meta.optimizer = JSON.stringify(optimizer);
    return encodeSafetensors([...file.tensors].map(([name, t]) => [name, { shape: t.shape, data: t.toFloat32() }] as const), meta);
  }

  const cases: [string, (o: { paramGroups: Record<string, unknown>[]; state: Record<string, Record<string, unknown>> }) => void, string[]][] = [
    ["a negative lr", (o) => (o.paramGroups[0]!.lr = -1), ["Invalid lr: -1"]],
    ["a NaN lr", (o) => (o.paramGroups[0]!.lr = { $number: "NaN" }), ["Invalid lr: NaN"]],
    ["an infinite lr", (o) => (o.paramGroups[0]!.lr = { $number: "Infinity" }), ["Invalid lr: Infinity"]],
    ["a string lr", (o) => (o.paramGroups[0]!.lr = "0.1"), ["Invalid lr: 0.1"]],
    ["a NaN beta", (o) => (o.paramGroups[0]!.betas = [{ $number: "NaN" }, 0.999]), ["betas[0]", "NaN"]],
    ["a beta of 1.5", (o) => (o.paramGroups[0]!.betas = [0.9, 1.5]), ["betas[1]: 1.5"]],
    ["betas that are not a pair", (o) => (o.paramGroups[0]!.betas = 0.9), ["betas"]],
    ["a negative eps", (o) => (o.paramGroups[0]!.eps = -1e-8), ["eps"]],
    ["a negative weight decay", (o) => (o.paramGroups[0]!.weightDecay = -0.1), ["weightDecay"]],
    ["amsgrad that is not a boolean", (o) => (o.paramGroups[0]!.amsgrad = "yes"), ["amsgrad"]],
    ["an unknown option", (o) => (o.paramGroups[0]!.momentum = 0.9), ["unknown option 'momentum'"]],
    ["a negative initialLr", (o) => (o.paramGroups[0]!.initialLr = -3), ["initialLr: -3"]],
    ["a negative step", (o) => { for (const s of Object.values(o.state)) s.step = -5; }, ["step: -5"]],
    ["a fractional step", (o) => { for (const s of Object.values(o.state)) s.step = 1.5; }, ["step: 1.5"]],
  ];
  for (const [what, edit, names] of cases) {
    it(`refuses a checkpoint with ${what}, naming the file, the group and the field, and changes nothing`, async () => {
      const bytes = edited(edit);
      const path = file(`${what.replace(/\W+/g, "-")}.ckpt`, bytes);
      const optimizer = new Adam(model.parameters(), { lr: 0.5 });
      const before = structuredClone(optimizer.stateDict());
      await rejects(async () => applyCheckpoint(await readCheckpoint(path), model, optimizer, null), { names: [path, "paramGroups[0]", ...names].filter((n) => !(what.includes("step") && n === "paramGroups[0]")) });
      expect(optimizer.stateDict()).toEqual(before);
    });
  }

  it("refuses the state of another optimizer and bad metadata, naming the file", async () => {
    throws(() => applyCheckpoint(decodeCheckpoint(good, "g.ckpt"), model, new SGD(model.parameters()), null), { type: Error, names: ["g.ckpt", "Adam, not of SGD"] });
    const file_ = decodeSafetensors(good);
    for (const [key, value] of [["optimizer", "{oops"], ["optimizer", "[]"], ["format_version", "99"], ["format", "other"], ["training", "7"]] as const) {
      const bytes = encodeSafetensors([...file_.tensors].map(([n, t]) => [n, { shape: t.shape, data: t.toFloat32() }] as const), { ...file_.metadata, [key]: value });
      throws(() => decodeCheckpoint(bytes, "m.ckpt"), { names: ["m.ckpt: ", /metadata|format|version/] });
    }
  });

  it("refuses a training state with an invalid RNG state, totals or position, naming the field", () => {
    const training = {
      epoch: 0, batchesDone: 1, step: 1, batchesPerEpoch: 2, samples: 4,
      loader: { rng: [1, 2, 3, 4], batch: 1 }, modelRng: null,
      totals: { lossSum: 1, correct: 0, seen: 2, steps: 1, skipped: 0, seconds: 0.1, trainSeconds: 0.1, lr: 0.001 },
      history: { epochs: [] }, stepLosses: new Float64Array([1]), callbacks: [],
    };
    const bytes = (edit: (t: Record<string, unknown>) => void) => {
      const t = structuredClone(training) as unknown as Record<string, unknown>;
      edit(t);
      return encodeCheckpoint({ model, training: t as never });
    };
    expect(decodeCheckpoint(bytes(() => {})).training?.step).toBe(1);
    const cases: [(t: Record<string, unknown>) => void, string][] = [
      [(t) => (t.loader = { rng: [0, 0, 0, 0], batch: 0 }), "loader.rng"],
      [(t) => (t.loader = { rng: [1.5, 2, 3, 4], batch: 0 }), "loader.rng"],
      [(t) => (t.loader = { rng: [1, 2, 3], batch: 0 }), "loader.rng"],
      [(t) => (t.loader = { rng: [-1, 2, 3, 4], batch: 0 }), "loader.rng"],
      [(t) => (t.modelRng = ["x"]), "modelRng"],
      [(t) => ((t.totals as Record<string, unknown>).seen = -Infinity), "totals.seen"],
      [(t) => ((t.totals as Record<string, unknown>).correct = "3"), "totals.correct"],
      [(t) => (t.step = -1), "invalid step"],
      [(t) => (t.epoch = 1.5), "invalid epoch"],
      [(t) => (t.samples = "4"), "invalid samples"],
    ];
    for (const [edit, field] of cases) throws(() => decodeCheckpoint(bytes(edit), "t.ckpt"), { names: ["t.ckpt: metadata 'training'", field] });
  });

  it("refuses scheduler states with bad rates, epochs, types or fields, naming the field, and changes nothing", () => {
    const optimizer = new Adam(model.parameters(), { lr: 0.1 });
    const scheduler = new OneCycleLR(optimizer, { maxLr: 1, totalSteps: 10 });
    const bytes = encodeCheckpoint({ model, optimizer, scheduler });
    const st = decodeSafetensors(bytes);
    const withScheduler = (edit: (s: Record<string, unknown>) => void) => {
      const state = JSON.parse(st.metadata.scheduler!);
      edit(state);
      const tensors = [...st.tensors].map(([n, t]) => [n, { shape: t.shape, data: t.toFloat32() }] as const);
      return decodeCheckpoint(encodeSafetensors(tensors, { ...st.metadata, scheduler: JSON.stringify(state) }), "s.ckpt");
    };
    const cases: [(s: Record<string, unknown>) => void, string][] = [
      [(s) => (s.baseLrs = [-1]), "'baseLrs[0]' is -1 (must be a finite number >= 0)"],
      [(s) => (s.maxLrs = [{ $number: "NaN" }]), "'maxLrs[0]' is NaN"],
      [(s) => (s.lastLr = [0.1, 0.2]), "'lastLr' has 2 entries, the scheduler 1"],
      [(s) => (s.baseMomentums = [-0.5]), "'baseMomentums[0]' is -0.5"],
      [(s) => (s.lastEpoch = -7), "'lastEpoch' is -7 (must be an integer >= -1)"],
      [(s) => (s.lastEpoch = 2.5), "'lastEpoch' is 2.5"],
      [(s) => (s.totalSteps = "10"), "'totalSteps' is \"10\", expected a number"],
      [(s) => (s.totalSteps = { $number: "Infinity" }), "'totalSteps' is Infinity (must be finite)"],
      [(s) => (s.cycleMomentum = 1), "'cycleMomentum' is 1, expected a boolean"],
      [(s) => (s.phases = 3), "'phases' is 3, expected a list"],
      [(s) => (s.evil = 1), "unknown field 'evil'"],
    ];
    const before = JSON.stringify(scheduler.stateDict());
    for (const [edit, message] of cases) {
      const checkpoint = withScheduler(edit);
      throws(() => applyCheckpoint(checkpoint, model, optimizer, scheduler), { names: ["s.ckpt: ", message] });
    }
    expect(JSON.stringify(scheduler.stateDict())).toBe(before);
    expect(() => applyCheckpoint(withScheduler(() => {}), model, optimizer, scheduler)).not.toThrow();
  });

  it("a weights file that does not match the model names the tensor", async () => {
    const path = file("w.safetensors", encodeSafetensors([["0.weight", { shape: [5, 5], data: new Float32Array(25) }]]));
    await rejects(() => importSafetensors(model, path), { names: [path, "0.weight", "[5, 5]"] });
  });
});
