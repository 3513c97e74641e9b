import type { Engine } from "../engine/engine.js";
import { contiguousRuns, type ParamRun, type Parameter } from "../engine/parameter.js";
import { F32Slice } from "../engine/views.js";
import { requireNonNegative } from "./validate.js";

/** A parameter group as the user sees it: the options (mutable, schedulers set `lr`) and its parameters. */
export type ParamGroup<O> = O & { params: Parameter[]; initialLr?: number };
/** What constructors and addParamGroup accept: parameters plus any per-group option overrides. */
export type ParamGroupInput<O> = Partial<O> & { params: readonly Parameter[] };
export type ParamsInput<O> = readonly Parameter[] | readonly ParamGroupInput<O>[];

/** A contiguous run of a group's parameters with its optimizer-state buffers (same layout as the parameters). */
export interface RunState {
  readonly run: ParamRun;
  readonly data: F32Slice;
  readonly grad: F32Slice;
  readonly buffers: Record<string, F32Slice>;
}

/** Per-group state: the step count, scalar state (e.g. ASGD's eta and mu), and the runs. */
export interface GroupState {
  step: number;
  scalars: Record<string, number>;
  runs: RunState[];
}

/** Serializable optimizer state, laid out like torch's: per-parameter state keyed by the parameter's index. */
export interface OptimizerStateDict {
  optimizer: string;
  state: Record<number, Record<string, number | Float32Array>>;
  paramGroups: Record<string, unknown>[];
}

/**
 * The base of every optimizer: parameter groups, state buffers planned at construction (so a step allocates
 * nothing), `zeroGrad`, and `stateDict` / `loadStateDict`. A subclass validates its options, names its state
 * buffers, and implements one step of a group (one kernel call per contiguous run, normally one per group).
 */
export abstract class Optimizer<O extends object> {
  readonly paramGroups: ParamGroup<O>[] = [];
  protected readonly groupStates: GroupState[] = [];
  readonly engine: Engine;

  constructor(
    params: ParamsInput<O>,
    readonly defaults: O,
  ) {
    const groups = normalizeGroups(params, this.constructor.name);
    const first = groups[0]!.params[0];
    if (!first) throw new Error(`${this.constructor.name}: got an empty parameter list`);
    this.engine = first.engine;
    this.validate(defaults);
    for (const g of groups) this.addParamGroup(g);
  }

  /** Throws a RangeError naming the first invalid option. */
  protected abstract validate(options: O): void;
  /** Names of the per-element state buffers this group needs (e.g. ['expAvg', 'expAvgSq']). */
  protected abstract stateBuffers(options: O): readonly string[];
  /** Applies one update to every run of the group; `state.step` is the number of steps taken before this one. */
  protected abstract updateGroup(group: ParamGroup<O>, state: GroupState): void;

  addParamGroup(input: ParamGroupInput<O>): void {
    const name = this.constructor.name;
    for (const key of Object.keys(input)) {
      if (key !== "params" && key !== "initialLr" && !(key in this.defaults)) {
        throw new RangeError(`${name}: unknown option '${key}' in a parameter group (known: ${Object.keys(this.defaults).join(", ")})`);
      }
    }
    const params = [...input.params];
    if (params.length === 0) throw new Error(`${name}: a parameter group has no parameters`);
    for (const p of params) {
      if (p.engine !== this.engine) throw new Error(`${name}: parameter '${p.name}' belongs to another engine`);
      for (const g of this.paramGroups) {
        if (g.params.includes(p)) throw new Error(`${name}: some parameters appear in more than one parameter group`);
      }
    }
    // Deep copies, so that a scheduler changing one group's betas[0] in place leaves the other groups alone.
    const { params: _given, ...overrides } = input;
    const group = { ...structuredClone(this.defaults), ...structuredClone(overrides), params } as ParamGroup<O>;
    this.validate(group);
    const runs = contiguousRuns(params).map((run) => this.planRun(run, group));
    this.paramGroups.push(group);
    this.groupStates.push({ step: 0, scalars: {}, runs });
  }

  private planRun(run: ParamRun, options: O): RunState {
    const buffers: Record<string, F32Slice> = {};
    for (const b of this.stateBuffers(options)) buffers[b] = this.engine.allocF32(run.length);
    const memory = this.engine.memory;
    return { run, data: new F32Slice(memory, run.dataPtr, run.length), grad: new F32Slice(memory, run.gradPtr, run.length), buffers };
  }

  /** One optimization step over every group. */
  step(): void {
    for (let i = 0; i < this.paramGroups.length; i++) {
      const group = this.paramGroups[i]!;
      const state = this.groupStates[i]!;
      this.validate(group); // options may have been changed since (by a user or a scheduler)
      this.updateGroup(group, state);
      state.step++;
    }
  }

  /** Sets every gradient to zero (gradients live in wasm memory and are never 'None'). */
  zeroGrad(): void {
    for (const s of this.groupStates) for (const r of s.runs) r.grad.array.fill(0);
  }

  stateDict(): OptimizerStateDict {
    const state: OptimizerStateDict["state"] = {};
    const paramGroups: Record<string, unknown>[] = [];
    let index = 0;
    this.paramGroups.forEach((group, gi) => {
      const gs = this.groupStates[gi]!;
      const indices: number[] = [];
      const { params, ...options } = group;
      for (const p of params) {
        indices.push(index);
        if (gs.step > 0) {
          const entry: Record<string, number | Float32Array> = { step: gs.step, ...gs.scalars };
          const rs = gs.runs.find((r) => r.run.params.includes(p))!;
          const start = p.dataSlice.ptr - rs.run.dataPtr;
          for (const [name, buf] of Object.entries(rs.buffers)) {
            entry[name] = buf.array.slice(start / 4, start / 4 + p.length);
          }
          state[index] = entry;
        }
        index++;
      }
      paramGroups.push({ ...structuredClone(options), params: indices });
    });
    return { optimizer: this.constructor.name, state, paramGroups };
  }

  loadStateDict(dict: OptimizerStateDict): void {
    const name = this.constructor.name;
    if (dict.optimizer !== name) throw new Error(`${name}.loadStateDict: the state dict is of ${dict.optimizer}, not ${name}`);
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: the state dict has ${dict.paramGroups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    }
    // Check everything before changing anything, so that a bad dict leaves the optimizer as it was.
    const plans = this.paramGroups.map((group, gi) => {
      const saved = dict.paramGroups[gi]!;
      const indices = saved.params as number[];
      if (!Array.isArray(indices) || indices.length !== group.params.length) {
        throw new Error(`${name}.loadStateDict: group ${gi} has ${indices?.length} parameters in the state dict, ${group.params.length} here`);
      }
      // The saved hyperparameters go through the same validation as the constructor's (a file may hold anything).
      const { params: _indices, ...savedOptions } = saved;
      for (const key of Object.keys(savedOptions)) {
        if (key !== "initialLr" && !(key in this.defaults)) {
          throw new RangeError(`${name}.loadStateDict: group ${gi}: unknown option '${key}' (known: ${Object.keys(this.defaults).join(", ")})`);
        }
      }
      try {
        if (savedOptions.initialLr !== undefined) requireNonNegative("initialLr", savedOptions.initialLr);
        this.validate({ ...group, ...structuredClone(savedOptions) } as O);
      } catch (e) {
        throw new RangeError(`${name}.loadStateDict: group ${gi}: ${(e as Error).message}`, { cause: e });
      }
      const entries = indices.map((idx) => dict.state[idx]);
      for (const [k, e] of entries.entries()) {
        if (e && e.step !== undefined && !(Number.isInteger(e.step) && (e.step as number) >= 0)) {
          throw new RangeError(`${name}.loadStateDict: parameter ${indices[k]}: Invalid step: ${String(e.step)} (must be an integer >= 0)`);
        }
      }
      const steps = new Set(entries.map((e) => (e ? (e.step as number) : 0)));
      if (steps.size > 1) throw new Error(`${name}.loadStateDict: group ${gi} mixes parameters at different steps`);
      const wanted = this.stateBuffers({ ...group, ...saved } as O);
      entries.forEach((e, k) => {
        if (!e) return;
        const p = group.params[k]!;
        for (const b of wanted) {
          const arr = e[b];
          if (!(arr instanceof Float32Array)) throw new Error(`${name}.loadStateDict: parameter ${indices[k]} lacks state '${b}'`);
          if (arr.length !== p.length) {
            throw new Error(`${name}.loadStateDict: state '${b}' of parameter ${indices[k]} has ${arr.length} values, the parameter ${p.length}`);
          }
        }
      });
      return { saved, entries, step: [...steps][0] ?? 0, wanted };
    });
    plans.forEach(({ saved, entries, step, wanted }, gi) => {
      const group = this.paramGroups[gi]!;
      const { params: _ignored, ...options } = saved;
      Object.assign(group, structuredClone(options));
      const gs = this.groupStates[gi]!;
      // Options such as amsgrad may add buffers: re-plan the runs when the set of buffers changed.
      const have = Object.keys(gs.runs[0]!.buffers);
      if (have.join() !== wanted.join()) gs.runs = gs.runs.map((r) => this.planRun(r.run, group));
      gs.step = step;
      gs.scalars = {};
      const first = entries.find((e) => e);
      if (first) for (const [k, v] of Object.entries(first)) if (typeof v === "number" && k !== "step") gs.scalars[k] = v;
      group.params.forEach((p, k) => {
        const e = entries[k];
        const rs = gs.runs.find((r) => r.run.params.includes(p))!;
        const start = (p.dataSlice.ptr - rs.run.dataPtr) / 4;
        for (const b of wanted) rs.buffers[b]!.array.set(e ? (e[b] as Float32Array) : new Float32Array(p.length), start);
      });
    });
  }
}

function normalizeGroups<O>(params: ParamsInput<O>, name: string): ParamGroupInput<O>[] {
  if (!Array.isArray(params) || params.length === 0) throw new Error(`${name}: got an empty parameter list`);
  const isGroup = (x: unknown): x is ParamGroupInput<O> => typeof x === "object" && x !== null && "params" in x;
  if (params.every(isGroup)) return params as ParamGroupInput<O>[];
  if (params.some(isGroup)) throw new Error(`${name}: mix of parameters and parameter groups in one list`);
  return [{ params: params as Parameter[] } as unknown as ParamGroupInput<O>];
}
