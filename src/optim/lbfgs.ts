// L-BFGS (torch.optim.LBFGS). One step(closure) runs up to maxIter iterations (at most maxEval closure calls):
//
//   g_k = ∇f(x_k)                                   (closure() recomputes f and fills the gradients)
//   y = g_k − g_{k−1},  s = t_{k−1} d_{k−1}
//   if y·s > 1e-10:  keep (y, s, ρ = 1 / (y·s)) among the last historySize pairs,  H₀ = (y·s) / (y·y)
//   d_k = −H g_k by the two-loop recursion:
//     q = −g_k;   for the pairs, newest first:  α_i = ρ_i s_i·q,  q = q − α_i y_i
//     r = H₀ q;   for the pairs, oldest first:  β_i = ρ_i y_i·r,  r = r + (α_i − β_i) s_i;   d_k = r
//   (d_1 = −g_1 at the very first iteration)
//   t_k = lr (at the very first iteration min(1, 1 / ‖g_1‖₁) lr), or the strong-Wolfe line search's choice
//   x_{k+1} = x_k + t_k d_k
//   stop when ‖g‖∞ ≤ toleranceGrad, g·d > −toleranceChange, ‖t d‖∞ ≤ toleranceChange or |Δf| < toleranceChange
//
// Everything lives in wasm memory as flat buffers over all the parameters (gradients gathered as torch's
// _gather_flat_grad does), the history in two preallocated ring buffers of historySize (+1 spare) slots of n
// floats; every vector operation is a reduce kernel (dot, axpy, scale, copy, max-abs, sum-abs). The scalars
// follow torch, float32 where torch holds them in 0-dim float32 tensors (dot products and what derives from them).
import type { F32Slice } from "../engine/views.js";
import { Optimizer, type OptimizerStateDict, type ParamGroupInput, type ParamsInput } from "./optimizer.js";
import { GradSlot, strongWolfe, type LineSearchProblem, type LineSearchResult } from "./strong-wolfe.js";
import type { StateArray } from "./state-dtype.js";
import { requireInteger, requireNonNegative } from "./validate.js";

const f32 = Math.fround;

export interface LBFGSOptions {
  lr: number;
  /** Iterations per step (default 20). */
  maxIter: number;
  /** Closure calls per step (default ⌊maxIter · 5 / 4⌋). */
  maxEval: number;
  toleranceGrad: number;
  toleranceChange: number;
  historySize: number;
  lineSearchFn: "strong_wolfe" | null;
}

/** The flat work buffers, n floats each. */
interface Work {
  flatGrad: F32Slice;
  prevFlatGrad: F32Slice;
  d: F32Slice;
  xInit: F32Slice;
  gNew: F32Slice;
  gPrev: F32Slice;
  bracket0: F32Slice;
  bracket1: F32Slice;
}

export class LBFGS extends Optimizer<LBFGSOptions> {
  override get kind(): string {
    return "LBFGS";
  }

  private readonly n: number;
  private readonly work: Work;
  /** historySize + 1 slots of n floats: the pairs (y in dirs, s in stps) and one spare being filled. */
  private readonly dirs: F32Slice;
  private readonly stps: F32Slice;
  private readonly capacity: number;
  private readonly ro: Float64Array;
  private readonly al: Float64Array;
  /** Slots of the kept pairs, oldest first. */
  private history: number[] = [];
  private spare = 0;
  private scalars: Scalars = { ...INITIAL_SCALARS };
  private closure: (() => number) | null = null;
  private readonly lineSearch: LineSearchProblem;

  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = (options as Partial<LBFGSOptions> | null)?.maxIter ?? 20;
    super(params, {
      lr: 1, maxIter, maxEval: Math.floor((maxIter * 5) / 4), toleranceGrad: 1e-7, toleranceChange: 1e-9,
      historySize: 100, lineSearchFn: null,
    }, options);
    const engine = this.engine;
    this.n = this.groupStates[0]!.runs.reduce((sum, r) => sum + r.run.length, 0);
    const vector = () => engine.allocF32(this.n);
    this.work = {
      flatGrad: vector(), prevFlatGrad: vector(), d: vector(), xInit: vector(),
      gNew: vector(), gPrev: vector(), bracket0: vector(), bracket1: vector(),
    };
    this.capacity = this.paramGroups[0]!.historySize;
    this.dirs = engine.allocF32((this.capacity + 1) * this.n);
    this.stps = engine.allocF32((this.capacity + 1) * this.n);
    this.ro = new Float64Array(this.capacity + 1);
    this.al = new Float64Array(this.capacity + 1);
    this.lineSearch = {
      evaluate: (t) => this.evaluateAlong(t),
      directional: (slot) => f32(this.engine.kernels.f32_dot(this.slotPtr(slot), this.work.d.ptr, this.n)),
      copyGrad: (to, from) => this.engine.kernels.f32_copy(this.slotPtr(to), this.slotPtr(from), this.n),
    };
  }

  /** LBFGS keeps one parameter group, as torch's. */
  override addParamGroup(input: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) throw new Error("LBFGS doesn't support per-parameter options (parameter groups)");
    super.addParamGroup(input);
  }

  protected validate(o: LBFGSOptions): void {
    requireNonNegative("lr", o.lr);
    requireInteger("maxIter", o.maxIter, 1);
    requireInteger("maxEval", o.maxEval, 1);
    requireNonNegative("toleranceGrad", o.toleranceGrad);
    requireNonNegative("toleranceChange", o.toleranceChange);
    requireInteger("historySize", o.historySize, 1);
    if (o.lineSearchFn !== null && o.lineSearchFn !== "strong_wolfe") {
      throw new RangeError(`Invalid lineSearchFn: ${JSON.stringify(o.lineSearchFn)} (must be null or 'strong_wolfe')`);
    }
  }

  /** LBFGS allocates its own flat buffers (see the constructor), none per parameter run. */
  protected stateBuffers(): readonly string[] {
    return [];
  }

  /** Never called: LBFGS overrides step(), which needs the closure. */
  protected updateGroup(): void {
    throw new Error("LBFGS.step needs a closure");
  }

  /**
   * Runs up to maxIter L-BFGS iterations. `closure` recomputes the loss at the current parameters, fills their
   * gradients and returns the loss; step returns the loss of its first call.
   */
  override step(closure?: () => number): number {
    if (typeof closure !== "function") {
      throw new Error("LBFGS.step needs a closure that recomputes the loss, fills the gradients and returns the loss");
    }
    const group = this.paramGroups[0]!;
    this.validate(group);
    if (group.historySize !== this.capacity) {
      throw new RangeError(`LBFGS: historySize cannot change after construction (${this.capacity} -> ${group.historySize})`);
    }
    const k = this.engine.kernels;
    const { flatGrad, prevFlatGrad, d } = this.work;
    const n = this.n;
    const gradIsSmall = () => k.f32_max_abs(flatGrad.ptr, n) <= f32(group.toleranceGrad);

    const origLoss = closure();
    let loss = Number(origLoss);
    let currentEvals = 1;
    this.scalars.funcEvals++;
    this.gather(flatGrad);
    let optCond = gradIsSmall();
    if (optCond) return origLoss;

    let t = this.scalars.t;
    let nIter = 0;
    while (nIter < group.maxIter) {
      nIter++;
      this.scalars.nIter++;

      // The descent direction.
      if (this.scalars.nIter === 1) {
        k.f32_copy(d.ptr, flatGrad.ptr, n);
        k.f32_scale(d.ptr, n, -1);
        this.history.length = 0;
        this.scalars.hDiag = 1;
      } else {
        this.updateHistory(t);
        this.twoLoopDirection();
      }
      k.f32_copy(prevFlatGrad.ptr, flatGrad.ptr, n);
      this.scalars.prevLoss = loss;

      // The step length.
      t = this.scalars.nIter === 1 ? this.firstStepLength(group.lr) : group.lr;
      const gtd = f32(k.f32_dot(flatGrad.ptr, d.ptr, n));
      if (gtd > f32(-group.toleranceChange)) break; // the directional derivative is too small

      let lsFuncEvals = 0;
      if (group.lineSearchFn === "strong_wolfe") {
        this.copyParams("save");
        this.closure = closure;
        let found: LineSearchResult;
        try {
          found = strongWolfe(this.lineSearch, t, f32(k.f32_max_abs(d.ptr, n)), loss, gtd);
        } finally {
          this.closure = null;
        }
        loss = found.loss, t = found.t, lsFuncEvals = found.evaluations;
        k.f32_copy(flatGrad.ptr, this.slotPtr(found.grad), n);
        this.addToParams(t);
        optCond = gradIsSmall();
      } else {
        this.addToParams(t);
        if (nIter !== group.maxIter) {
          // Re-evaluate, except after the last iteration (with stochastic losses it would be wasted).
          loss = Number(closure());
          this.gather(flatGrad);
          optCond = gradIsSmall();
          lsFuncEvals = 1;
        }
      }
      currentEvals += lsFuncEvals;
      this.scalars.funcEvals += lsFuncEvals;

      if (nIter === group.maxIter) break;
      if (currentEvals >= group.maxEval) break;
      if (optCond) break;
      if (f32(k.f32_max_abs(d.ptr, n) * f32(Math.abs(t))) <= f32(group.toleranceChange)) break; // no progress
      if (Math.abs(loss - this.scalars.prevLoss) < group.toleranceChange) break;
    }
    this.scalars.t = t;
    return origLoss;
  }

  /** Stores the pair y = g − g_prev, s = t d, when y·s > 1e-10 (dropping the oldest when full). */
  private updateHistory(t: number): void {
    const k = this.engine.kernels;
    const { flatGrad, prevFlatGrad, d } = this.work;
    const n = this.n;
    const y = this.slot(this.dirs, this.spare), s = this.slot(this.stps, this.spare);
    k.f32_copy(y, flatGrad.ptr, n);
    k.f32_axpy(y, prevFlatGrad.ptr, n, -1);
    k.f32_copy(s, d.ptr, n);
    k.f32_scale(s, n, t);
    const ys = f32(k.f32_dot(y, s, n));
    if (!(ys > f32(1e-10))) return;
    const filled = this.spare;
    this.ro[filled] = f32(1 / ys);
    this.scalars.hDiag = f32(ys / f32(k.f32_dot(y, y, n)));
    if (this.history.length === this.capacity) {
      this.spare = this.history.shift()!;
    } else {
      let free = 0;
      while (free === filled || this.history.includes(free)) free++;
      this.spare = free;
    }
    this.history.push(filled);
  }

  /** d = −H g by the two-loop recursion over the kept pairs (q and then r live in d). */
  private twoLoopDirection(): void {
    const k = this.engine.kernels;
    const { flatGrad, d } = this.work;
    const n = this.n;
    k.f32_copy(d.ptr, flatGrad.ptr, n);
    k.f32_scale(d.ptr, n, -1);
    for (let i = this.history.length - 1; i >= 0; i--) {
      const slot = this.history[i]!;
      this.al[slot] = f32(f32(k.f32_dot(this.slot(this.stps, slot), d.ptr, n)) * this.ro[slot]!);
      k.f32_axpy(d.ptr, this.slot(this.dirs, slot), n, -this.al[slot]!);
    }
    k.f32_scale(d.ptr, n, this.scalars.hDiag);
    for (const slot of this.history) {
      const be = f32(f32(k.f32_dot(this.slot(this.dirs, slot), d.ptr, n)) * this.ro[slot]!);
      k.f32_axpy(d.ptr, this.slot(this.stps, slot), n, f32(this.al[slot]! - be));
    }
  }

  /** min(1, 1 / ‖g‖₁) · lr, float32 when torch's tensor wins the min. */
  private firstStepLength(lr: number): number {
    const inverse = f32(1 / f32(this.engine.kernels.f32_sum_abs(this.work.flatGrad.ptr, this.n)));
    return inverse < 1 ? f32(inverse * f32(lr)) : lr;
  }

  /** The loss at x + t d, with its gradient in the New slot; the parameters go back to x (saved in xInit). */
  private evaluateAlong(t: number): number {
    this.addToParams(t);
    const loss = Number(this.closure!());
    this.gather(this.work.gNew);
    this.copyParams("restore");
    return loss;
  }

  private slot(ring: F32Slice, index: number): number {
    return ring.ptr + 4 * index * this.n;
  }

  private slotPtr(slot: GradSlot): number {
    const w = this.work;
    return [w.flatGrad, w.gNew, w.gPrev, w.bracket0, w.bracket1][slot]!.ptr;
  }

  /** Copies the gradients of every run into `to` (torch's _gather_flat_grad). */
  private gather(to: F32Slice): void {
    let offset = 0;
    for (const r of this.groupStates[0]!.runs) {
      this.engine.kernels.f32_copy(to.ptr + 4 * offset, r.grad.ptr, r.run.length);
      offset += r.run.length;
    }
  }

  /** x = x + t d over every run. */
  private addToParams(t: number): void {
    let offset = 0;
    for (const r of this.groupStates[0]!.runs) {
      this.engine.kernels.f32_axpy(r.data.ptr, this.work.d.ptr + 4 * offset, r.run.length, t);
      offset += r.run.length;
    }
  }

  /** Saves the parameters into xInit, or restores them from it. */
  private copyParams(direction: "save" | "restore"): void {
    let offset = 0;
    for (const r of this.groupStates[0]!.runs) {
      const saved = this.work.xInit.ptr + 4 * offset;
      if (direction === "save") this.engine.kernels.f32_copy(saved, r.data.ptr, r.run.length);
      else this.engine.kernels.f32_copy(r.data.ptr, saved, r.run.length);
      offset += r.run.length;
    }
  }

  /** torch's layout: the whole state under the first parameter's index, the pairs oldest first. */
  override stateDict(): OptimizerStateDict {
    const { paramGroups } = super.stateDict();
    const state: OptimizerStateDict["state"] = {};
    const { funcEvals, nIter, t, hDiag, prevLoss } = this.scalars;
    if (funcEvals > 0) state[0] = { funcEvals, nIter };
    if (nIter > 0) {
      const n = this.n, count = this.history.length;
      const oldDirs = new Float32Array(count * n), oldStps = new Float32Array(count * n), ro = new Float32Array(count);
      this.history.forEach((slot, i) => {
        oldDirs.set(this.dirs.array.subarray(slot * n, (slot + 1) * n), i * n);
        oldStps.set(this.stps.array.subarray(slot * n, (slot + 1) * n), i * n);
        ro[i] = this.ro[slot]!;
      });
      const { d, prevFlatGrad } = this.work;
      Object.assign(state[0]!, { t, hDiag, prevLoss, d: d.array.slice(), prevFlatGrad: prevFlatGrad.array.slice(), oldDirs, oldStps, ro });
    }
    return { optimizer: this.kind, state, paramGroups };
  }

  override loadStateDict(dict: OptimizerStateDict): void {
    if (dict.optimizer !== "LBFGS") throw new Error(`${WHERE}: the state dict is of ${dict.optimizer}, not LBFGS`);
    if (dict.paramGroups.length !== 1) throw new Error(`${WHERE}: the state dict has ${dict.paramGroups.length} parameter groups, LBFGS has 1`);
    const group = this.paramGroups[0]!;
    const { params: indices, ...options } = dict.paramGroups[0]!;
    if (!Array.isArray(indices) || indices.length !== group.params.length) {
      throw new Error(`${WHERE}: ${(indices as unknown[] | undefined)?.length} parameters in the state dict, ${group.params.length} here`);
    }
    this.checkSavedGroup(dict.paramGroups[0]!, group, `${WHERE}: paramGroups[0]`);
    const merged = { ...group, ...options } as LBFGSOptions;
    if (merged.historySize !== this.capacity) {
      throw new Error(`${WHERE}: historySize is ${merged.historySize} in the state dict, ${this.capacity} here`);
    }
    const entry = dict.state[indices[0] as number];
    const saved = entry ? readSavedState(entry, this.n, this.capacity) : { scalars: {} };
    // Everything is checked: load.
    Object.assign(group, structuredClone(options));
    this.scalars = { ...INITIAL_SCALARS, ...saved.scalars };
    const count = saved.vectors?.ro.length ?? 0;
    if (saved.vectors) {
      const { d, prevFlatGrad, oldDirs, oldStps, ro } = saved.vectors;
      this.work.d.array.set(d);
      this.work.prevFlatGrad.array.set(prevFlatGrad);
      this.dirs.array.set(oldDirs);
      this.stps.array.set(oldStps);
      this.ro.set(ro);
    }
    this.history = Array.from({ length: count }, (_, i) => i);
    this.spare = count;
  }
}

const WHERE = "LBFGS.loadStateDict";

/** The scalar state of LBFGS, as torch's: closure calls and iterations so far, the last step length, H₀, f. */
interface Scalars {
  funcEvals: number;
  nIter: number;
  t: number;
  hDiag: number;
  prevLoss: number;
}
const INITIAL_SCALARS: Scalars = { funcEvals: 0, nIter: 0, t: 0, hDiag: 1, prevLoss: 0 };

interface SavedState {
  scalars: Partial<Scalars>;
  vectors?: { d: Float32Array; prevFlatGrad: Float32Array; oldDirs: Float32Array; oldStps: Float32Array; ro: Float32Array };
}

/** Reads and checks a state entry written by LBFGS.stateDict (n parameters, at most `capacity` pairs). */
function readSavedState(entry: Record<string, number | StateArray>, n: number, capacity: number): SavedState {
  const number = (key: string): number => {
    const v = entry[key];
    if (typeof v !== "number") throw new Error(`${WHERE}: the state lacks the number '${key}'`);
    return v;
  };
  const floats = (key: string, length: number): Float32Array => {
    const v = entry[key];
    if (!(v instanceof Float32Array)) throw new Error(`${WHERE}: the state lacks '${key}'`);
    if (v.length !== length) throw new Error(`${WHERE}: state '${key}' has ${v.length} values, expected ${length}`);
    return v;
  };
  const funcEvals = number("funcEvals"), nIter = number("nIter");
  if (nIter === 0) return { scalars: { funcEvals } };
  const ro = entry.ro;
  if (!(ro instanceof Float32Array) || ro.length > capacity) {
    throw new Error(`${WHERE}: state 'ro' must hold at most historySize (${capacity}) values`);
  }
  return {
    scalars: { funcEvals, nIter, t: number("t"), hDiag: number("hDiag"), prevLoss: number("prevLoss") },
    vectors: {
      d: floats("d", n), prevFlatGrad: floats("prevFlatGrad", n),
      oldDirs: floats("oldDirs", ro.length * n), oldStps: floats("oldStps", ro.length * n), ro,
    },
  };
}
