// SAM, sharpness-aware minimization (Foret et al. 2021; as davda54/sam, sam.py, with its adaptive option, ASAM of
// Kwon et al. 2021). Two gradients per step: one at θ, one at the worst point of a ball of radius ρ around it:
//
//   firstStep():   e = ρ T² g / ‖T g‖₂ + 1e-12   (T = diag(|θ|) if adaptive, else I; the norm over all parameters)
//                  θ ← θ + e                    (θ saved first)
//   (the caller recomputes the gradient at θ + e)
//   secondStep():  θ ← the saved θ;  inner.step() with the gradient taken at θ + e
//
// step(closure) does the three (the closure recomputes the loss and fills the gradients), as torch's
// step(closure); fit passes such a closure to any optimizer whose step takes one. Its groups are the inner
// optimizer's (./wrapper.ts): lr, schedulers and checkpoints act on it.
import type { F32Slice } from "../engine/views.js";
import type { Optimizer, GroupState, ParamGroup } from "./optimizer.js";
import { requireBoolean, requireNonNegative } from "./validate.js";
import { OptimizerWrapper } from "./wrapper.js";

export interface SAMOptions {
  rho: number;
  adaptive: boolean;
}

export class SAM extends OptimizerWrapper<SAMOptions> {
  /** Per group and run: the saved θ, and the weighted gradient (adaptive). Planned at construction. */
  private readonly saved: { old: F32Slice; weighted: F32Slice }[][];

  override get kind(): string {
    return "SAM";
  }

  constructor(inner: Optimizer<object>, options: Partial<SAMOptions> = {}) {
    super(inner, { rho: 0.05, adaptive: false }, options, "SAM");
    this.saved = this.groupStates.map((s) => s.runs.map((r) => ({ old: this.engine.allocF32(r.run.length), weighted: this.engine.allocF32(r.run.length) })));
  }

  protected validate(o: SAMOptions): void {
    requireNonNegative("rho", o.rho);
    requireBoolean("adaptive", o.adaptive);
  }

  protected stateBuffers(): readonly string[] {
    return [];
  }

  /** Moves θ to θ + e (see the top of the file), from the gradients at θ. */
  firstStep(): void {
    const k = this.engine.kernels;
    let sumSquares = 0;
    this.groupStates.forEach((s, gi) => {
      const adaptive = this.paramGroups[gi]!.adaptive;
      s.runs.forEach((r, ri) => {
        const w = this.saved[gi]![ri]!.weighted;
        if (adaptive) k.f32_sam_weighted(w.ptr, r.data.ptr, r.grad.ptr, r.run.length, 0);
        sumSquares += k.f32_sum_squares(adaptive ? w.ptr : r.grad.ptr, r.run.length);
      });
    });
    const norm = Math.sqrt(sumSquares);
    this.groupStates.forEach((s, gi) => {
      const { rho, adaptive } = this.paramGroups[gi]!;
      const scale = rho / (norm + 1e-12);
      s.runs.forEach((r, ri) => {
        const { old, weighted } = this.saved[gi]![ri]!;
        k.f32_copy(old.ptr, r.data.ptr, r.run.length);
        if (adaptive) k.f32_sam_weighted(weighted.ptr, r.data.ptr, r.grad.ptr, r.run.length, 1);
        k.f32_axpy(r.data.ptr, adaptive ? weighted.ptr : r.grad.ptr, r.run.length, scale);
      });
    });
  }

  /** Puts θ back and steps the inner optimizer with the gradients now held (taken at θ + e). */
  secondStep(): void {
    const k = this.engine.kernels;
    this.groupStates.forEach((s, gi) => s.runs.forEach((r, ri) => k.f32_copy(r.data.ptr, this.saved[gi]![ri]!.old.ptr, r.run.length)));
    this.inner.step();
    super.step();
  }

  /** firstStep(), closure() (recompute the loss and the gradients), secondStep(); returns the closure's loss. */
  override step(closure?: () => number): number {
    if (typeof closure !== "function") {
      throw new Error("SAM.step needs a closure that recomputes the loss and fills the gradients (or call firstStep and secondStep)");
    }
    this.firstStep();
    const loss = closure();
    this.secondStep();
    return loss;
  }

  protected updateGroup(_group: ParamGroup<SAMOptions>, _state: GroupState): void {}
}
