// The model's gradients as contiguous runs of the flat gradient buffer (normally one run for the whole model),
// planned once per fit: zeroing them, and the NaN/Inf guard — one all-finite reduction kernel call per run, and
// only when that fails, a search for the first parameter (in the model's order) to name in the error.
import { contiguousRuns } from "../engine/parameter.js";
import { F32Slice } from "../engine/views.js";
import type { Kernels } from "../kernels/kernels.js";
import type { TrainableModel } from "./types.js";

export class ModelGradients {
  private readonly runs: F32Slice[];
  private readonly kernels: Kernels;

  constructor(private readonly model: TrainableModel) {
    const memory = model.engine.memory;
    this.runs = contiguousRuns(model.parameters()).map((r) => new F32Slice(memory, r.gradPtr, r.length));
    this.kernels = model.engine.kernels;
  }

  /** Sets every gradient of the model to zero (also those of parameters the optimizer does not update). */
  zero(): void {
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) runs[i]!.array.fill(0);
  }

  /** True when every gradient element is finite. Allocates nothing. */
  allFinite(): boolean {
    const runs = this.runs;
    for (let i = 0; i < runs.length; i++) {
      if (this.kernels.f32_all_finite(runs[i]!.ptr, runs[i]!.length) === 0) return false;
    }
    return true;
  }

  /** "the gradient of parameter '0.weight' (Linear) is not finite (NaN at index 12 of 4096)", or null. */
  describeFirstNonFinite(): string | null {
    const layers = this.model.layers;
    for (const [name, p] of this.model.namedParameters()) {
      const g = p.grad;
      for (let i = 0; i < g.length; i++) {
        const v = g[i]!;
        if (Number.isFinite(v)) continue;
        const layer = layers?.[Number(name.split(".")[0])] as { kind?: string } | undefined;
        return `the gradient of parameter '${name}'${layer?.kind ? ` (${layer.kind})` : ""} is not finite (${v} at index ${i} of ${g.length})`;
      }
    }
    return null;
  }
}
