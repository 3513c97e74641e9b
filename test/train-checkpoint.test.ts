// Checkpoint and safetensors files: the format against bytes written by hand and by PyTorch, validation of corrupt
// files, atomic writes that leave the previous file intact, and resuming fit from a file.
import { spawnSync } from "node:child_process";
import { mkdtemp, readdir, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { build } from "esbuild";
import { beforeAll, describe, expect, it } from "vitest";
import { loadDigits } from "../src/data/builtin/digits.js";
import { createEngine } from "../src/engine/engine.js";
import { ReLU } from "../src/nn/activations.js";
import { BatchNorm1d } from "../src/nn/batchnorm.js";
import { Linear } from "../src/nn/linear.js";
import { CrossEntropyLoss } from "../src/nn/losses.js";
import { Sequential } from "../src/nn/sequential.js";
import { Adam } from "../src/optim/adam.js";
import { SGD } from "../src/optim/sgd.js";
import { StepLR } from "../src/optim/schedulers/step-lr.js";
import { decodeCheckpoint, encodeCheckpoint } from "../src/train/checkpoint.js";
import { checkpoint, exportSafetensors, importSafetensors, loadCheckpoint, readCheckpoint, saveCheckpoint } from "../src/train/checkpoint-file.js";
import { predict } from "../src/train/evaluate.js";
import { fit } from "../src/train/fit.js";
import { decodeSafetensors } from "../src/train/safetensors.js";
import { bits, digitsMlp, weightsOf } from "./helpers/train-models.js";
import reference from "./data/train/torch_mlp.json" with { type: "json" };

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "wasm-optim-ckpt-"));
});

/** The model of scripts/reference/train_safetensors.py: Linear(6, 5), BatchNorm1d(5), ReLU, Linear(5, 3). */
async function torchShapedModel() {
  const engine = await createEngine({ backend: "simd" });
  return new Sequential([new Linear(6, 5), new BatchNorm1d(5), new ReLU(), new Linear(5, 3)]).compile(engine, { inputShape: [6], batchSize: 4 });
}

/** A safetensors file assembled by hand from the spec: header JSON with explicit offsets, raw little-endian data. */
function handMade(entries: { name: string; dtype: string; shape: number[]; data: Uint8Array }[], metadata?: Record<string, string>): Uint8Array {
  const header: Record<string, unknown> = metadata ? { __metadata__: metadata } : {};
  let offset = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [offset, offset + e.data.length] };
    offset += e.data.length;
  }
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + offset);
  new DataView(out.buffer).setUint32(0, json.length, true); // the high 32 bits stay 0
  out.set(json, 8);
  let at = 8 + json.length;
  for (const e of entries) out.set(e.data, at), (at += e.data.length);
  return out;
}

function le(kind: "f32" | "f64" | "u16" | "i64", values: number[]): Uint8Array {
  const size = { f32: 4, f64: 8, u16: 2, i64: 8 }[kind];
  const view = new DataView(new ArrayBuffer(size * values.length));
  values.forEach((v, i) => {
    if (kind === "f32") view.setFloat32(size * i, v, true);
    else if (kind === "f64") view.setFloat64(size * i, v, true);
    else if (kind === "u16") view.setUint16(size * i, v, true);
    else view.setBigInt64(size * i, BigInt(v), true);
  });
  return new Uint8Array(view.buffer);
}

describe("safetensors", () => {
  it("imports PyTorch's state_dict and computes PyTorch's outputs", async () => {
    const model = await torchShapedModel();
    await importSafetensors(model, "test/data/train/torch_mlp.safetensors");
    for (const [name, p] of model.namedParameters()) expect(Array.from(p.data)).toEqual(reference.state[name as keyof typeof reference.state].map(Math.fround));
    const buffers = model.stateBuffers();
    expect(buffers["1.num_batches_tracked"]!.array[0]).toBe(3);
    expect(Array.from(buffers["1.running_var"]!.array)).toEqual(reference.state["1.running_var"].map(Math.fround));
    const out = predict(model, Float32Array.from(reference.inputs));
    out.forEach((v, i) => expect(v).toBeCloseTo(reference.outputs[i]!, 5));
  });

  it("exports PyTorch's layout: names, shapes, F32 data, num_batches_tracked an int64 scalar, 8-byte aligned data", async () => {
    const model = await torchShapedModel();
    await importSafetensors(model, "test/data/train/torch_mlp.safetensors");
    const path = join(dir, "export.safetensors");
    await exportSafetensors(model, path);
    const bytes = new Uint8Array(await readFile(path));
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    const n = Number(view.getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.__metadata__).toEqual({ format: "pt" });
    const torchFile = decodeSafetensors(new Uint8Array(await readFile("test/data/train/torch_mlp.safetensors")));
    expect(Object.keys(header).filter((k) => k !== "__metadata__").sort()).toEqual([...torchFile.tensors.keys()].sort());
    for (const [name, t] of torchFile.tensors) {
      expect(header[name].dtype).toBe(t.dtype);
      expect(header[name].shape).toEqual(t.shape);
      const [b, e] = header[name].data_offsets as [number, number];
      const raw = bytes.subarray(8 + n + b, 8 + n + e);
      const values = t.dtype === "I64" ? [Number(new DataView(raw.buffer, raw.byteOffset).getBigInt64(0, true))]
        : Array.from({ length: raw.length / 4 }, (_, i) => new DataView(raw.buffer, raw.byteOffset).getFloat32(4 * i, true));
      expect(values).toEqual(Array.from(t.toFloat32()));
    }
  });

  it("reads a file written by hand from the spec, converting F16, BF16, F64 and I64", async () => {
    const file = handMade([
      { name: "0.weight", dtype: "F16", shape: [5, 6], data: le("u16", Array.from({ length: 30 }, (_, i) => (i % 2 ? 0x3e00 : 0xc000))) }, // 1.5, −2
      { name: "0.bias", dtype: "BF16", shape: [5], data: le("u16", [0x3fc0, 0xbf80, 0, 0x4000, 0x3f80]) }, // 1.5, −1, 0, 2, 1
      { name: "1.weight", dtype: "F64", shape: [5], data: le("f64", [0.1, 0.2, 0.3, 0.4, 0.5]) },
      { name: "1.bias", dtype: "F32", shape: [5], data: le("f32", [1, 2, 3, 4, 5]) },
      { name: "1.running_mean", dtype: "F32", shape: [5], data: le("f32", [0, 0, 0, 0, 1]) },
      { name: "1.running_var", dtype: "F32", shape: [5], data: le("f32", [1, 1, 1, 1, 2]) },
      { name: "1.num_batches_tracked", dtype: "I64", shape: [], data: le("i64", [42]) },
      { name: "3.weight", dtype: "F32", shape: [3, 5], data: le("f32", Array.from({ length: 15 }, (_, i) => i / 8)) },
      { name: "3.bias", dtype: "F32", shape: [3], data: le("f32", [-1, 0, 1]) },
    ]);
    const path = join(dir, "hand.safetensors");
    await writeFile(path, file);
    const model = await torchShapedModel();
    await importSafetensors(model, path);
    const p = Object.fromEntries(model.namedParameters());
    expect(Array.from(p["0.weight"]!.data.subarray(0, 4))).toEqual([-2, 1.5, -2, 1.5]);
    expect(Array.from(p["0.bias"]!.data)).toEqual([1.5, -1, 0, 2, 1]);
    expect(Array.from(p["1.weight"]!.data)).toEqual([0.1, 0.2, 0.3, 0.4, 0.5].map(Math.fround));
    expect(Array.from(p["3.bias"]!.data)).toEqual([-1, 0, 1]);
    expect(model.stateBuffers()["1.num_batches_tracked"]!.array[0]).toBe(42);
  });

  it("names the file and the problem when a file does not fit the model, and changes nothing", async () => {
    const model = await torchShapedModel();
    const before = weightsOf(model);
    const fileOf = async (name: string, entries: Parameters<typeof handMade>[0]) => {
      const path = join(dir, name);
      await writeFile(path, handMade(entries));
      return path;
    };
    const torchBytes = new Uint8Array(await readFile("test/data/train/torch_mlp.safetensors"));
    const torchEntries = [...decodeSafetensors(torchBytes).tensors.values()].map((t) => ({
      name: t.name, dtype: t.dtype, shape: [...t.shape], data: torchBytes.subarray(8 + Number(new DataView(torchBytes.buffer).getBigUint64(0, true)) + t.begin, 8 + Number(new DataView(torchBytes.buffer).getBigUint64(0, true)) + t.end),
    }));
    const reshaped = torchEntries.map((e) => (e.name === "3.weight" ? { ...e, shape: [5, 3] } : e));
    let path = await fileOf("reshaped.safetensors", reshaped);
    await expect(importSafetensors(model, path)).rejects.toThrow(`${path}: parameter '3.weight' has shape [5, 3] in the file, [3, 5] in the model`);
    path = await fileOf("missing.safetensors", torchEntries.filter((e) => e.name !== "1.running_var"));
    await expect(importSafetensors(model, path)).rejects.toThrow(`${path}: the buffer '1.running_var' (shape [5]) is missing`);
    path = await fileOf("extra.safetensors", [...torchEntries, { name: "4.weight", dtype: "F32", shape: [1], data: le("f32", [1]) }]);
    await expect(importSafetensors(model, path)).rejects.toThrow(`${path}: tensors the model does not have: '4.weight'`);
    await importSafetensors(model, path, { strict: false });
    expect(bits(weightsOf(model))).not.toEqual(bits(before));
  });
});

describe("corrupt checkpoints", () => {
  let good: Uint8Array = new Uint8Array();
  beforeAll(async () => {
    const { model } = await digitsMlp({ hidden: 16 });
    const optimizer = new Adam(model.parameters());
    good = encodeCheckpoint({ model, optimizer });
  });
  const headerLength = (b: Uint8Array) => Number(new DataView(b.buffer, b.byteOffset).getBigUint64(0, true));
  const cases: [string, (b: Uint8Array) => Uint8Array, RegExp][] = [
    ["fewer than 8 bytes", (b) => b.slice(0, 5), /truncated: 5 bytes, fewer than the 8-byte header length/],
    ["a header length beyond the file", (b) => b.slice(0, 100), /the header length \d+ goes beyond the end of the file \(100 bytes\)/],
    ["a truncated data part", (b) => b.slice(0, b.length - 12), /tensor '[\w.]+': data_offsets \[\d+, \d+\] out of range \(the data part has \d+ bytes\)/],
    ["trailing bytes", (b) => Uint8Array.from([...b, 0, 0, 0, 0]), /the tensors cover \d+: truncated or trailing bytes/],
    ["bad JSON", (b) => { const c = b.slice(); c[8] = 0x23; return c; }, /the header is not valid UTF-8 JSON/],
    ["offsets out of range", (b) => {
      const n = headerLength(b);
      const header = JSON.parse(new TextDecoder().decode(b.subarray(8, 8 + n)));
      header["0.bias"].data_offsets = [0, 1 << 30];
      const json = new TextEncoder().encode(JSON.stringify(header));
      const out = new Uint8Array(8 + json.length + b.length - 8 - n);
      new DataView(out.buffer).setUint32(0, json.length, true);
      out.set(json, 8);
      out.set(b.subarray(8 + n), 8 + json.length);
      return out;
    }, /tensor '0\.bias': data_offsets \[0, 1073741824\] out of range/],
  ];
  for (const [what, corrupt, message] of cases) {
    it(`rejects ${what}, naming the file`, async () => {
      const path = join(dir, `corrupt-${what.replace(/\W+/g, "-")}.safetensors`);
      await writeFile(path, corrupt(good));
      const error = await readCheckpoint(path).then(() => null, (e: Error) => e);
      expect(error?.message.startsWith(`${path}: `)).toBe(true);
      expect(error?.message).toMatch(message);
    });
  }

  it("rejects a checkpoint of another model, optimizer or format, and changes nothing", async () => {
    const path = join(dir, "wide.safetensors");
    await writeFile(path, good);
    const { model } = await digitsMlp({ hidden: 32 });
    const before = weightsOf(model);
    await expect(loadCheckpoint(model, null, null, path)).rejects.toThrow(`${path}: parameter '0.weight' has shape [16, 64] in the file, [32, 64] in the model`);
    const { model: same } = await digitsMlp({ hidden: 16, seed: 9 });
    const sameBefore = weightsOf(same);
    await expect(loadCheckpoint(same, new SGD(same.parameters()), null, path)).rejects.toThrow(`${path}: the checkpoint holds the state of Adam, not of SGD`);
    await expect(loadCheckpoint(same, new Adam(same.parameters()), new StepLR(new Adam(same.parameters()), { stepSize: 1 }), path)).rejects.toThrow(
      `${path}: the checkpoint holds no scheduler state`,
    );
    expect(bits(weightsOf(model))).toEqual(bits(before));
    expect(bits(weightsOf(same))).toEqual(bits(sameBefore));
    await exportSafetensors(same, path);
    await expect(readCheckpoint(path)).rejects.toThrow(`${path}: not a wasm-optim checkpoint (metadata format is "pt"`);
    expect(() => decodeCheckpoint(good.slice(0, 3), "bytes")).toThrow(/^bytes: truncated/);
  });
});

describe("checkpoint files", () => {
  it("fit's checkpoint callback writes a file that resumes to the uninterrupted run's weights", async () => {
    const { train } = loadDigits();
    const data = train.subset(Array.from({ length: 256 }, (_, i) => i));
    const path = join(dir, "run.safetensors");
    const setup = async () => {
      const { model } = await digitsMlp({ batchSize: 32, batchNorm: true, seed: 4 });
      const optimizer = new Adam(model.parameters(), { lr: 1e-3 });
      return { model, optimizer, options: { optimizer, loss: new CrossEntropyLoss(), batchSize: 32, epochs: 3, verbose: 0 as const } };
    };
    const whole = await setup();
    await fit(whole.model, data, whole.options);
    const first = await setup();
    let crashed = false;
    await fit(first.model, data, {
      ...first.options,
      callbacks: [checkpoint({ path, every: 5 }), { onBatchEnd: (ctx) => { if (ctx.step === 13) throw new Error("crash"); } }],
    }).catch(() => (crashed = true));
    expect(crashed).toBe(true);
    const saved = await readCheckpoint(path);
    expect(saved.training?.step).toBe(10);
    const second = await setup();
    await fit(second.model, data, { ...second.options, resumeFrom: saved, callbacks: [checkpoint({ path, every: 5 }), {}] });
    expect(bits(weightsOf(second.model))).toEqual(bits(weightsOf(whole.model)));
    expect((await readdir(dir)).filter((f) => f.endsWith(".tmp"))).toEqual([]);
  });

  it("saveCheckpoint and loadCheckpoint round-trip weights, buffers, optimizer and scheduler state", async () => {
    const { model } = await digitsMlp({ batchNorm: true });
    const optimizer = new Adam(model.parameters(), { lr: 1e-2 });
    const scheduler = new StepLR(optimizer, { stepSize: 1, gamma: 0.5 });
    await fit(model, loadDigits().test, { optimizer, scheduler, loss: new CrossEntropyLoss(), epochs: 2, verbose: 0 });
    const path = join(dir, "roundtrip.safetensors");
    await saveCheckpoint(path, { model, optimizer, scheduler });
    const { model: copy } = await digitsMlp({ batchNorm: true, seed: 99 });
    const copyOptimizer = new Adam(copy.parameters(), { lr: 1 });
    const copyScheduler = new StepLR(copyOptimizer, { stepSize: 1, gamma: 0.5 });
    expect(await loadCheckpoint(copy, copyOptimizer, copyScheduler, path)).toBeNull();
    expect(bits(weightsOf(copy))).toEqual(bits(weightsOf(model)));
    expect(copyOptimizer.stateDict()).toEqual(optimizer.stateDict());
    expect(copyScheduler.stateDict()).toEqual(scheduler.stateDict());
    expect(copyOptimizer.paramGroups[0]!.lr).toBe(2.5e-3);
  });

  it("a save into a missing directory fails naming the path", async () => {
    const { model } = await digitsMlp({ hidden: 8 });
    const path = join(dir, "no-such-dir", "c.safetensors");
    await expect(saveCheckpoint(path, { model })).rejects.toThrow(`cannot write the checkpoint ${path}: ENOENT`);
  });

  it("a save that fails while writing (file size limit) leaves the previous checkpoint intact and no temporary file", async () => {
    const sub = await mkdtemp(join(dir, "limit-"));
    const path = join(sub, "c.safetensors");
    const previous = Uint8Array.from({ length: 3000 }, (_, i) => i % 251);
    await writeFile(path, previous);
    // A child process whose files may not exceed 8 KiB (SIGXFSZ ignored, so writes fail with EFBIG).
    const script = join(sub, "write.mjs");
    await build({ entryPoints: ["src/train/atomic-write.ts"], bundle: true, platform: "node", format: "esm", outfile: join(sub, "atomic.mjs"), logLevel: "silent" });
    await writeFile(script, `import { writeFileAtomic } from "./atomic.mjs";
      writeFileAtomic(${JSON.stringify(path)}, new Uint8Array(1 << 20), "checkpoint").then(() => console.log("written"), (e) => console.log(e.message));`);
    const child = spawnSync("bash", ["-c", `trap '' XFSZ; ulimit -f 8; exec node ${JSON.stringify(script)}`], { encoding: "utf8" });
    expect(child.stdout.trim()).toMatch(new RegExp(`^cannot write the checkpoint ${path.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&")}: EFBIG`));
    expect(new Uint8Array(await readFile(path))).toEqual(previous);
    expect((await readdir(sub)).sort()).toEqual(["atomic.mjs", "c.safetensors", "write.mjs"]);
  });
});
