// Embedding (torch.nn.Embedding): a lookup table W [numEmbeddings, embeddingDim]. The input holds token ids
// (integers stored as floats in the model's input, any shape); each becomes its row of W:
//
//   y[…, :] = W[id, :]             ∂W[id, :] += dy[…, :]   (no gradient w.r.t. the ids: dInput is zeros)
//
// Initialization as PyTorch: W ~ N(0, 1). An id that is not an integer in [0, numEmbeddings) is an error
// naming the layer, the sample and the value, raised before any row is read.
import { checkOptions } from "../engine/options.js";
import { checkPositiveIntegers } from "./format.js";
import { normal } from "./init.js";
import { Layer, size, type ParamSpec, type Shape } from "./layer.js";

export type EmbeddingOptions = Record<string, never>;

export class Embedding extends Layer {
  readonly kind = "Embedding";
  private ids = 0;

  constructor(
    readonly numEmbeddings: number,
    readonly embeddingDim: number,
    options: EmbeddingOptions = {},
  ) {
    super();
    checkOptions("Embedding", options, []);
    checkPositiveIntegers("Embedding", { numEmbeddings, embeddingDim });
  }

  configure(inputShape: Shape): Shape {
    this.ids = size(inputShape);
    return [...inputShape, this.embeddingDim];
  }

  paramSpecs(): ParamSpec[] {
    return [{ name: "weight", shape: [this.numEmbeddings, this.embeddingDim], init: (v, rng) => normal(v, 1, rng) }];
  }

  forward(batch: number): void {
    const k = this.engine.kernels;
    const { input, output } = this.buffers;
    const n = batch * this.ids;
    const bad = k.f32_find_bad_id(input.ptr, n, this.numEmbeddings);
    if (bad >= 0) {
      throw new RangeError(
        `${this.where()}: id ${input.array[bad]} (sample ${Math.floor(bad / this.ids)}, position ${bad % this.ids}) is not an integer in [0, ${this.numEmbeddings})`,
      );
    }
    k.f32_embedding(output.ptr, this.params[0]!.dataSlice.ptr, input.ptr, n, this.embeddingDim);
  }

  backward(batch: number): void {
    const { input, dInput, dOutput } = this.buffers;
    const n = batch * this.ids;
    this.engine.kernels.f32_embedding_backward(this.params[0]!.gradSlice.ptr, dOutput.ptr, input.ptr, n, this.embeddingDim);
    dInput?.array.fill(0, 0, n);
  }
}
