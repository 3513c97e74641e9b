// Sequential: layers applied one after another, compiled once for an input shape and a maximum batch size.
//
//   compile:   configure each layer (shape checks), create every parameter in ONE flat buffer (PyTorch names
//              '0.weight', '0.bias', …) initialized from the seed, and plan every buffer for the batch size:
//              input → layer 0 → output 0 → layer 1 → … → output (the model's output), and one gradient buffer
//              per layer output (dOutput; layer i's dInput is layer i−1's dOutput).
//   training step (allocates nothing):  write model.input, forward(batch, true), a loss writes model.dOutput,
//              backward(batch) accumulates into the parameters' gradients, an optimizer steps.
import { checkOptions } from "../engine/options.js";
import type { Engine } from "../engine/engine.js";
import type { Parameter } from "../engine/parameter.js";
import { Rng } from "../engine/rng.js";
import type { F32Slice } from "../engine/views.js";
import { BatchBuffer } from "./batch-buffer.js";
import { formatShape } from "./format.js";
import { applyInit, type InitOption } from "./model-init.js";
import { Layer, size, type Shape } from "./layer.js";
import { summaryTable } from "./summary.js";

export interface CompileOptions {
  /** Shape of one sample, without the batch dimension: [features] or [channels, height, width]. */
  inputShape: Shape;
  /** The largest batch forward and backward will see; buffers are sized for it. */
  batchSize: number;
  /** Seeds the initial parameters and the layers' randomness (default 0). */
  seed?: number;
  /** Another initialization for the weights (see model-init.ts); default: each layer's PyTorch default. */
  init?: InitOption;
  /** Also compute the gradient w.r.t. the model's input in backward, into `dInput` (default false). */
  inputGradient?: boolean;
}

interface Compiled {
  engine: Engine;
  maxBatch: number;
  input: BatchBuffer;
  outputs: BatchBuffer[];
  dOutputs: BatchBuffer[];
  dInput: BatchBuffer | null;
  params: Parameter[];
  /** Batch of the last forward, which backward must match (0 before the first). */
  lastBatch: number;
  /** The first layer backward runs: the first with parameters, unless the input gradient is wanted (then 0). */
  firstBackward: number;
}

export class Sequential {
  readonly layers: readonly Layer[];
  private state: Compiled | null = null;

  constructor(layers: readonly Layer[]) {
    layers.forEach((layer, i) => {
      if (!(layer instanceof Layer)) throw new TypeError(`Sequential: element ${i} is not a Layer (got ${String(layer)})`);
      if (layers.indexOf(layer) !== i) throw new Error(`Sequential: the ${layer.kind} at index ${i} also sits at index ${layers.indexOf(layer)}; create a new layer for each position`);
    });
    this.layers = [...layers];
  }

  compile(engine: Engine, options: CompileOptions): this {
    checkOptions("Sequential.compile", options, ["inputShape", "batchSize", "seed", "init", "inputGradient"]);
    if (this.state) throw new Error("Sequential: already compiled (a model is compiled once; create a new one for another configuration)");
    const { inputShape, batchSize, seed = 0, init, inputGradient = false } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`Sequential.compile: batchSize must be a positive integer, got ${batchSize}`);
    if (!Array.isArray(inputShape) || !inputShape.every((d) => Number.isInteger(d) && d > 0)) {
      throw new RangeError(`Sequential.compile: inputShape must list positive integers, got ${JSON.stringify(inputShape)}`);
    }
    if (!Number.isInteger(seed)) throw new RangeError(`Sequential.compile: seed must be an integer, got ${seed}`);

    let shape: Shape = [...inputShape];
    this.layers.forEach((layer, i) => {
      layer.name = String(i);
      const out = layer.configure(shape);
      if (!Array.isArray(out) || out.length === 0 || !out.every((d) => Number.isInteger(d) && d > 0)) {
        throw new Error(`${layer.kind}(${i}): configure returned an invalid output shape ${JSON.stringify(out)} for input ${formatShape(shape)}`);
      }
      layer.inputShape = shape;
      layer.outputShape = out;
      shape = out;
    });

    // Parameters: every layer's, initialized in layer order from one generator, then packed in one flat buffer.
    const rng = new Rng(seed);
    const specs = this.layers.map((layer) => layer.paramSpecs());
    // Before initializing anything in JS: a model the engine cannot hold (weights and gradients) fails here, at once.
    const total = specs.flat().reduce((sum, spec) => sum + size(spec.shape), 0);
    engine.arena.check(8 * total, `the model's ${total} parameters and their gradients`);
    const list = specs.flatMap((layerSpecs, i) =>
      layerSpecs.map((spec) => {
        const values = new Float32Array(size(spec.shape));
        spec.init(values, rng);
        return { values, shape: spec.shape, name: `${i}.${spec.name}` };
      }),
    );
    if (init !== undefined) applyInit(init, list, this.layers, rng);
    const params = engine.parameters(list);
    let next = 0;
    this.layers.forEach((layer, i) => (layer.params = params.slice(next, (next += specs[i]!.length))));

    // Buffers, planned once for the largest batch.
    const input = BatchBuffer.allocate(engine, batchSize, inputShape);
    const outputs = this.layers.map((layer) => BatchBuffer.allocate(engine, batchSize, layer.outputShape));
    const dOutputs = this.layers.map((layer) => BatchBuffer.allocate(engine, batchSize, layer.outputShape));
    const dInput = inputGradient ? BatchBuffer.allocate(engine, batchSize, inputShape) : null;
    // Without the input gradient, the layers before the first with parameters need no backward (a Flatten in front
    // would only copy a gradient nobody reads), and the first with parameters no dInput: for an MLP on images, the
    // largest of its products (dX of the first Linear), about 30 % of a training step.
    const trainable = specs.findIndex((layerSpecs) => layerSpecs.length > 0);
    const firstBackward = inputGradient || trainable < 0 ? 0 : trainable;
    const layerRng = new Rng((Math.imul(seed, 0x9e3779b9) ^ 0x5bd1e995) >>> 0);
    this.layers.forEach((layer, i) => {
      layer.seed(layerRng);
      layer.allocate(engine, batchSize, {
        input: i === 0 ? input : outputs[i - 1]!,
        output: outputs[i]!,
        dInput: i === 0 || (i === firstBackward && !inputGradient) ? dInput : dOutputs[i - 1]!,
        dOutput: dOutputs[i]!,
      });
    });
    this.state = { engine, maxBatch: batchSize, input, outputs, dOutputs, dInput, params, lastBatch: 0, firstBackward };
    return this;
  }

  private get compiled(): Compiled {
    if (!this.state) throw new Error("Sequential: call compile(engine, { inputShape, batchSize }) first");
    return this.state;
  }

  get engine(): Engine {
    return this.compiled.engine;
  }

  /** The compiled (largest) batch size. */
  get batchSize(): number {
    return this.compiled.maxBatch;
  }

  get inputShape(): Shape {
    return this.compiled.input.sampleShape;
  }

  get outputShape(): Shape {
    return this.output.sampleShape;
  }

  /** Where the next batch goes: batchSize samples of inputShape, row-major. */
  get input(): BatchBuffer {
    return this.compiled.input;
  }

  /** The last layer's output (the input when the model has no layers). */
  get output(): BatchBuffer {
    const { outputs, input } = this.compiled;
    return outputs[outputs.length - 1] ?? input;
  }

  /** The gradient of the loss w.r.t. the output: a loss writes it, backward reads it. */
  get dOutput(): BatchBuffer {
    const { dOutputs, dInput } = this.compiled;
    const last = dOutputs[dOutputs.length - 1] ?? dInput;
    if (!last) throw new Error("Sequential: a model without layers has no dOutput unless compiled with inputGradient");
    return last;
  }

  /** The gradient w.r.t. the input, written by backward when compiled with inputGradient: true; else null. */
  get dInput(): BatchBuffer | null {
    return this.compiled.dInput;
  }

  /** Runs the first `batch` samples of `input` through every layer (training: dropout active, batch statistics). */
  forward(batch: number, training: boolean): void {
    const s = this.compiled;
    this.checkBatch(batch, s.maxBatch, "forward");
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) layers[i]!.forward(batch, training);
    s.lastBatch = batch;
  }

  /** Back-propagates dOutput through the layers of the last forward, accumulating (+=) into the parameters' grads. */
  backward(batch: number): void {
    const s = this.compiled;
    this.checkBatch(batch, s.maxBatch, "backward");
    if (batch !== s.lastBatch) {
      throw new Error(`Sequential.backward(${batch}): the last forward ran ${s.lastBatch ? `a batch of ${s.lastBatch}` : "never"}; backward needs its activations`);
    }
    const layers = this.layers;
    for (let i = layers.length - 1; i >= s.firstBackward; i--) layers[i]!.backward(batch);
  }

  /** Sets every parameter gradient to zero. */
  zeroGrad(): void {
    const params = this.compiled.params;
    for (let i = 0; i < params.length; i++) params[i]!.grad.fill(0);
  }

  parameters(): Parameter[] {
    return [...this.compiled.params];
  }

  /** [name, parameter] pairs with PyTorch's names: '0.weight', '0.bias', '2.weight' … */
  namedParameters(): [string, Parameter][] {
    return this.compiled.params.map((p) => [p.name, p]);
  }

  /** Non-trainable state by PyTorch name ('1.running_mean' …), for checkpoints. */
  stateBuffers(): Record<string, F32Slice> {
    void this.compiled;
    const out: Record<string, F32Slice> = {};
    this.layers.forEach((layer, i) => {
      for (const [name, slice] of Object.entries(layer.stateBuffers())) out[`${i}.${name}`] = slice;
    });
    return out;
  }

  /** A text table: each layer with its output shape and parameter count, then the totals. */
  summary(): string {
    const s = this.compiled;
    return summaryTable(this.layers, s.input.sampleShape, s.maxBatch, Object.values(this.stateBuffers()).reduce((n, b) => n + b.length, 0));
  }

  private checkBatch(batch: number, maxBatch: number, method: string): void {
    if (!Number.isInteger(batch) || batch < 1 || batch > maxBatch) {
      throw new RangeError(`Sequential.${method}: batch must be an integer in [1, ${maxBatch}] (the compiled batchSize), got ${batch}`);
    }
  }
}
