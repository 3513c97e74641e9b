// Adafactor (torch.optim.Adafactor, PyTorch 2.5+: torch/optim/_adafactor.py, _single_tensor_adafactor; Shazeer &
// Stern 2018, "Adafactor: Adaptive Learning Rates with Sublinear Memory Cost"). Per parameter, at step t:
//
//   G_t = ∇f(θ_{t-1})  (−∇f when maximizing)
//   β̂2_t = 1 − t^τ   (τ = beta2Decay);   ρ_t = min(γ, 1/√t);   α_t = max(ε2, RMS(θ_{t-1})) ρ_t
//   θ_t = θ_{t-1} − γλθ_{t-1}
//   if dim(G) > 1  (the last two dimensions, rows × cols; leading dimensions are a batch of matrices):
//     R_t = β̂2 R_{t-1} + (1 − β̂2) mean_j G²      (one value per row)
//     C_t = β̂2 C_{t-1} + (1 − β̂2) mean_i G²      (one value per column)
//     V̂_t = R_t C_t / max(mean_i R_t, ε1)
//   else:
//     V̂_t = β̂2 V̂_{t-1} + (1 − β̂2) G²
//   U_t = G_t / max(√V̂_t, ε1);   Û_t = U_t / max(1, RMS(U_t) / d);   θ_t = θ_t − α_t Û_t
//
// ε1 = None means float32's machine epsilon (2⁻²³), as torch.finfo(float32).eps. A matrix keeps rows + cols
// numbers of second-moment state instead of rows · cols: the memory Adafactor was made to save. The step needs
// the parameter's RMS before the update and the RMS of U, so it runs per parameter (not per contiguous run):
// f32_sum_squares, the factors, the direction U (into one scratch buffer of the largest parameter's size,
// planned at construction), f32_sum_squares again, and the update.
import type { Parameter } from "../engine/parameter.js";
import type { F32Slice } from "../engine/views.js";
import { Optimizer, type GroupState, type OptimizerStateDict, type ParamGroup, type ParamGroupInput, type ParamsInput } from "./optimizer.js";
import { requireBoolean, requireFinite, requireNonNegative } from "./validate.js";

export interface AdafactorOptions {
  lr: number;
  beta2Decay: number;
  /** [ε1, ε2]: ε1 null for float32's machine epsilon. */
  eps: [number | null, number];
  d: number;
  weightDecay: number;
  maximize: boolean;
}

/** A parameter's second-moment state: row and column factors for a matrix (per matrix of the batch), or V̂. */
interface Slot {
  rows: number;
  cols: number;
  /** Matrices (the product of the leading dimensions); 0 for a vector. */
  batch: number;
  rowVar: F32Slice | null;
  colVar: F32Slice | null;
  variance: F32Slice | null;
}

const FLOAT32_EPS = 2 ** -23;
const STATE_NAMES = ["rowVar", "colVar", "variance"] as const;

export class Adafactor extends Optimizer<AdafactorOptions> {
  private slots?: Map<Parameter, Slot>;
  private scratch?: F32Slice;

  override get kind(): string {
    return "Adafactor";
  }

  constructor(params: ParamsInput<AdafactorOptions>, options: Partial<AdafactorOptions> = {}) {
    super(params, { lr: 1e-2, beta2Decay: -0.8, eps: [null, 1e-3], d: 1, weightDecay: 0, maximize: false }, options);
    this.planSlots();
  }

  override addParamGroup(input: ParamGroupInput<AdafactorOptions>): void {
    super.addParamGroup(input);
    if (this.slots) this.planSlots(); // during construction the constructor plans them once super() returns
  }

  protected validate(o: AdafactorOptions): void {
    requireNonNegative("lr", o.lr);
    requireFinite("beta2Decay", o.beta2Decay);
    if (o.beta2Decay > 0) throw new RangeError(`Invalid beta2Decay: ${o.beta2Decay} (must be <= 0)`);
    if (!Array.isArray(o.eps) || o.eps.length !== 2) throw new RangeError(`Invalid eps: ${JSON.stringify(o.eps)} (must be a pair [eps1 or null, eps2])`);
    if (o.eps[0] !== null) requireNonNegative("eps[0]", o.eps[0]);
    requireNonNegative("eps[1]", o.eps[1]);
    requireFinite("d", o.d);
    if (o.d < 1) throw new RangeError(`Invalid d: ${o.d} (the clipping threshold must be >= 1)`);
    requireNonNegative("weightDecay", o.weightDecay);
    requireBoolean("maximize", o.maximize);
  }

  /** Adafactor plans its own per-parameter buffers (see planSlots), none shaped like a run. */
  protected stateBuffers(): readonly string[] {
    return [];
  }

  /** The factors of each new parameter (zeros, as torch's) and the scratch for U, sized for the largest. */
  private planSlots(): void {
    this.slots ??= new Map();
    let largest = this.scratch?.length ?? 0;
    for (const g of this.paramGroups) {
      for (const p of g.params) {
        if (this.slots.has(p)) continue;
        largest = Math.max(largest, p.length);
        const s = p.shape;
        if (s.length >= 2) {
          const rows = s[s.length - 2]!, cols = s[s.length - 1]!, batch = p.length / (rows * cols);
          this.slots.set(p, { rows, cols, batch, rowVar: this.engine.allocF32(batch * rows), colVar: this.engine.allocF32(batch * cols), variance: null });
        } else {
          this.slots.set(p, { rows: 0, cols: 0, batch: 0, rowVar: null, colVar: null, variance: this.engine.allocF32(p.length) });
        }
      }
    }
    if (largest > (this.scratch?.length ?? 0)) this.scratch = this.engine.allocF32(largest);
  }

  protected updateGroup(group: ParamGroup<AdafactorOptions>, state: GroupState): void {
    const k = this.engine.kernels;
    const t = state.step + 1;
    const w = t ** group.beta2Decay; // 1 − β̂2_t, the weight of the new mean in lerp
    const rho = Math.min(group.lr, 1 / Math.sqrt(t));
    const eps1 = group.eps[0] ?? FLOAT32_EPS;
    const eps1Sq = eps1 * eps1;
    const sign = group.maximize ? -1 : 1;
    const decay = 1 - group.lr * group.weightDecay;
    const u = this.scratch!;
    for (const p of group.params) {
      const n = p.length;
      if (n === 0) continue;
      const slot = this.slots!.get(p)!;
      const data = p.dataSlice.ptr, grad = p.gradSlice.ptr;
      const alpha = Math.max(group.eps[1], Math.sqrt(k.f32_sum_squares(data, n)) / Math.sqrt(n)) * rho;
      if (slot.variance) {
        k.f32_adafactor_vector_dir(u.ptr, grad, slot.variance.ptr, n, w, 1 - w, eps1Sq, sign);
      } else {
        const { rows, cols } = slot;
        for (let b = 0; b < slot.batch; b++) {
          const r = slot.rowVar!.ptr + 4 * b * rows, c = slot.colVar!.ptr + 4 * b * cols, at = 4 * b * rows * cols;
          k.f32_adafactor_factors(grad + at, r, c, rows, cols, w, 1 - w);
          const m = Math.max(meanOf(slot.rowVar!, b * rows, rows), eps1);
          k.f32_adafactor_factored_dir(u.ptr + at, grad + at, r, c, rows, cols, m, eps1Sq, sign);
        }
      }
      const denom = Math.max(1, Math.sqrt(k.f32_sum_squares(u.ptr, n)) / (Math.sqrt(n) * group.d));
      k.f32_axpby(data, u.ptr, n, -alpha / denom, decay);
    }
  }

  /** torch's state per parameter: step, and rowVar + colVar (a matrix) or variance (a vector). */
  override stateDict(): OptimizerStateDict {
    const dict = super.stateDict();
    this.forEachParam((p, index) => {
      const entry = dict.state[index];
      if (!entry) return;
      const slot = this.slots!.get(p)!;
      for (const name of STATE_NAMES) if (slot[name]) entry[name] = slot[name]!.array.slice();
    });
    return dict;
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    // Check the factors before super loads anything; super checks the rest, then the factors are copied.
    const copies: [F32Slice, Float32Array][] = [];
    this.forEachParam((p, index, gi, k) => {
      const saved = dict?.paramGroups?.[gi]?.params as number[] | undefined;
      const entry = dict?.state?.[saved?.[k] ?? -1];
      if (!entry) return;
      const slot = this.slots!.get(p)!;
      for (const name of STATE_NAMES) {
        const buffer = slot[name];
        if (!buffer) continue;
        const arr = entry[name];
        if (!(arr instanceof Float32Array)) throw new Error(`Adafactor.loadStateDict: parameter ${index} lacks state '${name}'`);
        if (arr.length !== buffer.length) {
          throw new Error(`Adafactor.loadStateDict: state '${name}' of parameter ${index} has ${arr.length} values, ${buffer.length} here (shape [${p.shape.join(", ")}])`);
        }
        copies.push([buffer, arr]);
      }
    });
    super.loadStateDict(dict);
    for (const s of this.slots!.values()) for (const name of STATE_NAMES) s[name]?.array.fill(0);
    for (const [buffer, arr] of copies) buffer.array.set(arr);
  }

  /** Every parameter with its index in the state dict, its group and its place in the group. */
  private forEachParam(visit: (p: Parameter, index: number, group: number, k: number) => void): void {
    let index = 0;
    this.paramGroups.forEach((g, gi) => g.params.forEach((p, k) => visit(p, index++, gi, k)));
  }
}

/** The mean of `count` values of a slice from `start`, in float32 as torch's row_var.mean(). */
function meanOf(s: F32Slice, start: number, count: number): number {
  const a = s.array;
  let sum = 0;
  for (let i = start; i < start + count; i++) sum += a[i]!;
  return Math.fround(sum / count);
}
