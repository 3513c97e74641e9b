// Muon (torch.optim.Muon, PyTorch 2.9: torch/optim/_muon.py, _single_tensor_muon and _zeropower_via_newtonschulz;
// Keller Jordan 2024, "Muon: An optimizer for hidden layers in neural networks"). For each 2-D parameter
// (rows × cols = A × B):
//
//   G_t = ∇f(θ_{t-1})
//   M_t = μ M_{t-1} + (1 − μ) G_t                  (torch's code: buf.lerp_(grad, 1 − μ))
//   U_t = (1 − μ) G_t + μ M_t if nesterov, else M_t  (grad.lerp(buf, μ))
//   O_t = NS(U_t): X = U / max(‖U‖_F, ε) (Uᵀ when A > B), then nsSteps times
//         X ← a X + (b X Xᵀ + c (X Xᵀ)²) X          ((a, b, c) = nsCoefficients = (3.4445, −4.7750, 2.0315))
//   θ_t = θ_{t-1} (1 − γλ) − γ' O_t,   γ' = γ √max(1, A/B) ('original') or 0.2 γ √max(A, B) ('match_rms_adamw')
//
// NS pushes every singular value of U towards 1 (to about 0.7-1.2 with these coefficients): the update is U with
// its directions kept and its scale in each direction equalized, an approximation of the orthogonal factor of U.
// The GEMMs run on scratch planned at construction (the largest parameter's size and Gram matrix), shared by the
// parameters, which are updated one after another.
//
// Precision: torch computes NS in bfloat16 (for GPU speed); here it runs in float32, and the reference trajectory
// (scripts/reference/optim_new.py) is a float64 transcription of the same code without that cast. `use_addmm`
// (a choice of GPU kernel for the same product) has no counterpart. Muon takes 2-D parameters only, as torch:
// give biases, vectors and (as its authors recommend) the output layer to AdamW, e.g. with muonWithAdamW
// (./muon-adamw.ts).
import { gemmPack } from "../engine/gemm-pack.js";
import type { Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import { Optimizer, type GroupState, type ParamGroup, type ParamGroupInput, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireFinite, requireInteger, requireNonNegative } from "./validate.js";

export type MuonAdjustLrFn = "original" | "match_rms_adamw" | null;

export interface MuonOptions {
  lr: number;
  weightDecay: number;
  momentum: number;
  nesterov: boolean;
  nsCoefficients: [number, number, number];
  eps: number;
  nsSteps: number;
  /** null is 'original'. */
  adjustLrFn: MuonAdjustLrFn;
}

export const MUON_DEFAULTS: MuonOptions = {
  lr: 1e-3, weightDecay: 0.1, momentum: 0.95, nesterov: true, nsCoefficients: [3.4445, -4.775, 2.0315], eps: 1e-7, nsSteps: 5,
  adjustLrFn: null,
};

/** Scratch of the Newton-Schulz iteration: three matrices of the largest parameter, two of its Gram matrix. */
interface Scratch {
  u: F32Slice;
  x: F32Slice;
  y: F32Slice;
  gram: F32Slice;
  gram2: F32Slice;
}

/** The factor γ'/γ of torch's _adjust_lr for a rows × cols matrix. */
export function muonLrRatio(fn: MuonAdjustLrFn, rows: number, cols: number): number {
  return fn === "match_rms_adamw" ? 0.2 * Math.sqrt(Math.max(rows, cols)) : Math.sqrt(Math.max(1, rows / cols));
}

export class Muon<O extends MuonOptions = MuonOptions> extends Optimizer<O> {
  private scratch?: Scratch;

  override get kind(): string {
    return "Muon";
  }

  constructor(params: ParamsInput<O>, options: Partial<O> = {}, defaults: O = MUON_DEFAULTS as O) {
    super(params, defaults, options);
    this.planScratch();
  }

  override addParamGroup(input: ParamGroupInput<O>): void {
    const params = Array.isArray(input?.params) ? input.params : [];
    if (this.usesMuon({ ...this.defaults, ...input })) {
      for (const p of params) {
        if (p.shape.length !== 2) {
          throw new RangeError(
            `${this.kind}: parameter '${p.name}' has shape [${p.shape.join(", ")}]; Muon updates 2-D parameters (matrices) only: ` +
              "give biases and other parameters to AdamW (muonWithAdamW does this)",
          );
        }
      }
    }
    super.addParamGroup(input);
    if (this.scratch) this.planScratch(); // during construction the constructor plans it once super() returns
  }

  /** Whether a group is updated by Muon (all of Muon's; MuonWithAdamW has AdamW groups too). */
  protected usesMuon(_group: O): boolean {
    return true;
  }

  protected validate(o: O): void {
    requireNonNegative("lr", o.lr);
    requireNonNegative("weightDecay", o.weightDecay);
    requireNonNegative("momentum", o.momentum);
    requireBoolean("nesterov", o.nesterov);
    const c = o.nsCoefficients;
    if (!Array.isArray(c) || c.length !== 3) throw new RangeError(`Invalid nsCoefficients: ${JSON.stringify(c)} (must be three numbers [a, b, c])`);
    c.forEach((v, i) => requireFinite(`nsCoefficients[${i}]`, v));
    requireNonNegative("eps", o.eps);
    requireInteger("nsSteps", o.nsSteps);
    if (o.nsSteps >= 100) throw new RangeError(`Invalid nsSteps: ${o.nsSteps} (must be < 100, as torch's)`);
    if (o.adjustLrFn !== null && o.adjustLrFn !== "original" && o.adjustLrFn !== "match_rms_adamw") {
      throw new RangeError(`Invalid adjustLrFn: ${JSON.stringify(o.adjustLrFn)} (must be 'original', 'match_rms_adamw' or null)`);
    }
  }

  protected stateBuffers(_o: O): readonly string[] {
    return ["momentumBuffer"];
  }

  private planScratch(): void {
    let n = this.scratch?.u.length ?? 0, g = this.scratch?.gram.length ?? 0;
    for (const group of this.paramGroups) {
      if (!this.usesMuon(group)) continue;
      for (const p of group.params) {
        const [rows, cols] = p.shape as [number, number];
        n = Math.max(n, p.length);
        g = Math.max(g, Math.min(rows, cols) ** 2);
      }
    }
    if (this.scratch && n <= this.scratch.u.length && g <= this.scratch.gram.length) return;
    const e = this.engine;
    this.scratch = { u: e.allocF32(n), x: e.allocF32(n), y: e.allocF32(n), gram: e.allocF32(g), gram2: e.allocF32(g) };
  }

  protected updateGroup(group: ParamGroup<O>, state: GroupState): void {
    for (const r of state.runs) {
      const buf = r.buffers.momentumBuffer!;
      for (const p of r.run.params) this.updateParam(group, p, buf.ptr + (p.dataSlice.ptr - r.run.dataPtr));
    }
  }

  /** One parameter: momentum, Newton-Schulz, the update. `bufPtr` is its momentum buffer. */
  private updateParam(group: O, p: Parameter, bufPtr: number): void {
    const k = this.engine.kernels;
    const s = this.scratch!;
    const pack = gemmPack(this.engine).ptr;
    const [rows, cols] = p.shape as [number, number];
    const n = p.length;
    if (n === 0) return;
    k.f32_muon_momentum(s.u.ptr, p.gradSlice.ptr, bufPtr, n, group.momentum, 1 - group.momentum, group.nesterov ? 1 : 0);
    // X is m × w with m ≤ w, so that the Gram matrix X Xᵀ is the smaller one.
    const transposed = rows > cols;
    const m = Math.min(rows, cols), w = Math.max(rows, cols);
    let x = s.u.ptr, spare = s.x.ptr;
    if (transposed) {
      k.f32_transpose(s.x.ptr, s.u.ptr, rows, cols);
      x = s.x.ptr, spare = s.y.ptr;
    }
    k.f32_scale(x, n, 1 / Math.max(Math.sqrt(k.f32_sum_squares(x, n)), group.eps));
    const [a, b, c] = group.nsCoefficients;
    for (let step = 0; step < group.nsSteps; step++) {
      k.f32_gemm_nt(s.gram.ptr, x, x, m, m, w, 0, pack); // A = X Xᵀ
      k.f32_gemm_nn(s.gram2.ptr, s.gram.ptr, s.gram.ptr, m, m, m, 0, pack); // A²
      k.f32_axpby(s.gram2.ptr, s.gram.ptr, m * m, b, c); // B = b A + c A²
      k.f32_gemm_nn(spare, s.gram2.ptr, x, m, w, m, 0, pack); // B X
      k.f32_axpby(spare, x, n, a, 1); // a X + B X
      [x, spare] = [spare, x];
    }
    if (transposed) {
      const out = x === s.x.ptr ? s.y.ptr : s.x.ptr;
      k.f32_transpose(out, x, m, w);
      x = out;
    }
    const lr = group.lr * muonLrRatio(group.adjustLrFn, rows, cols);
    k.f32_axpby(p.dataSlice.ptr, x, n, -lr, 1 - group.lr * group.weightDecay);
  }
}
