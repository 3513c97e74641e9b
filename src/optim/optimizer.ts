import type { Engine } from "../engine/engine.js";
import { checkOptions } from "../engine/options.js";
import { contiguousRuns, type ParamRun, type Parameter } from "../engine/parameter.js";
import { F32Slice } from "../engine/views.js";
import { lowBitEntries, stateMismatch, planLowBit, setLowBit, type LowBitBuffer, type StateArray, type StateDtype } from "./state-dtype.js";
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
  /** The same buffers when the group's stateDtype is 'bf16' or 'int8' (./state-dtype.ts); `buffers` is then empty. */
  readonly lowBit: Record<string, LowBitBuffer>;
  readonly stateDtype: StateDtype;
}

/** Per-group state: the step count, scalar state (e.g. ASGD's eta and mu), and the runs. */
export interface GroupState {
  step: number;
  scalars: Record<string, number>;
  runs: RunState[];
  /**
   * Lazily initialized buffers (see `lazyBuffers`) not written yet: planned, but holding no state, as torch's
   * `momentum_buffer` is None until the first step with momentum. They are left out of stateDict().
   */
  unset: Set<string>;
}

/** Keys a parameter group holds besides the optimizer's options: its parameters, and the schedulers' initialLr. */
const GROUP_KEYS = ["params", "initialLr"] as const;

/** Serializable optimizer state, laid out like torch's: per-parameter state keyed by the parameter's index. */
export interface OptimizerStateDict {
  optimizer: string;
  state: Record<number, Record<string, number | StateArray>>;
  paramGroups: Record<string, unknown>[];
}

/**
 * The base of every optimizer: parameter groups, state buffers planned at construction (so a step allocates
 * nothing), `zeroGrad`, and `stateDict` / `loadStateDict`. A subclass names itself (`kind`), validates its
 * options, names its state buffers, and implements one step of a group (one kernel call per contiguous run,
 * normally one per group).
 */
export abstract class Optimizer<O extends object> {
  readonly paramGroups: ParamGroup<O>[] = [];
  protected readonly groupStates: GroupState[] = [];
  readonly engine: Engine;
  /** The defaults of every group: the algorithm's defaults with the constructor's options over them. */
  readonly defaults: O;

  /**
   * `defaults` are the algorithm's defaults (their keys are the options it knows); `options` the user's, checked
   * against them (an unknown key is a RangeError suggesting the nearest known one).
   */
  constructor(params: ParamsInput<O>, defaults: O, options?: Partial<O>) {
    checkOptions(this.kind, options, Object.keys(defaults));
    this.defaults = { ...defaults, ...options };
    const groups = normalizeGroups(params, this.kind);
    const first = groups[0]!.params[0];
    if (!first) throw new Error(`${this.kind}: got an empty parameter list`);
    this.engine = first.engine;
    this.validate(this.defaults);
    for (const g of groups) this.addParamGroup(g);
  }

  /**
   * The algorithm's stable name ('Adam', 'SGD' ...), used by state dicts, checkpoints, reports and messages
   * (never the class name, which a minifying bundler renames). A getter, so that it is known during
   * construction.
   */
  get kind(): string {
    throw new Error("an Optimizer subclass must define `get kind(): string`, its stable name for state dicts and messages");
  }

  /** State buffers that hold nothing until their first use (torch creates them then): SGD's momentumBuffer. */
  protected lazyBuffers(): readonly string[] {
    return [];
  }

  /** How the group's state is stored: 'f32' unless the optimizer has a stateDtype option (Adam, AdamW, SGD). */
  protected stateDtype(_options: O): StateDtype {
    return "f32";
  }

  /** Throws a RangeError naming the first invalid option. */
  protected abstract validate(options: O): void;
  /** Names of the per-element state buffers this group needs (e.g. ['expAvg', 'expAvgSq']). */
  protected abstract stateBuffers(options: O): readonly string[];
  /** Applies one update to every run of the group; `state.step` is the number of steps taken before this one. */
  protected abstract updateGroup(group: ParamGroup<O>, state: GroupState): void;

  addParamGroup(input: ParamGroupInput<O>): void {
    const name = this.kind;
    checkOptions(`${name}: a parameter group`, input, this.groupKeys());
    if (!Array.isArray(input.params)) throw new RangeError(`${name}: a parameter group needs params, a list of parameters`);
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
    this.groupStates.push({ step: 0, scalars: {}, runs, unset: new Set(this.lazyBuffers()) });
  }

  /** The keys a parameter group may hold: the options, its params, and initialLr. */
  protected groupKeys(): string[] {
    return [...Object.keys(this.defaults), ...GROUP_KEYS];
  }

  private planRun(run: ParamRun, options: O): RunState {
    const buffers: Record<string, F32Slice> = {};
    const stateDtype = this.stateDtype(options);
    const names = this.stateBuffers(options);
    const lowBit = stateDtype === "f32" ? {} : planLowBit(this.engine, names, run, stateDtype);
    if (stateDtype === "f32") for (const b of names) buffers[b] = this.engine.allocF32(run.length);
    const memory = this.engine.memory;
    return { run, data: new F32Slice(memory, run.dataPtr, run.length), grad: new F32Slice(memory, run.gradPtr, run.length), buffers, lowBit, stateDtype };
  }

  /**
   * Allocates the state buffers that the groups' current options need and that are not planned yet (a scheduler
   * that cycles momentum calls it after setting momentum > 0 on an optimizer built without, so that no step
   * allocates). Buffers are never dropped: a group whose momentum returns to 0 keeps its buffer, as torch keeps
   * its momentum_buffer.
   */
  planState(): void {
    this.paramGroups.forEach((group, gi) => this.planGroupState(group, this.groupStates[gi]!));
  }

  /** planState() for one group; a subclass may call it from updateGroup when the options changed since. */
  protected planGroupState(group: ParamGroup<O>, state: GroupState): void {
    const lazy = this.lazyBuffers();
    for (const b of this.stateBuffers(group)) {
      for (const r of state.runs) {
        if (r.buffers[b] || r.lowBit[b]) continue;
        if (r.stateDtype === "f32") r.buffers[b] = this.engine.allocF32(r.run.length);
        else Object.assign(r.lowBit, planLowBit(this.engine, [b], r.run, r.stateDtype));
        if (lazy.includes(b)) state.unset.add(b);
      }
    }
  }

  /** Checks a saved parameter group (of a state dict) before anything is loaded: known keys, valid values. */
  protected checkSavedGroup(saved: Record<string, unknown>, group: ParamGroup<O>, where: string): void {
    if (typeof saved !== "object" || saved === null) throw new RangeError(`${where}: not a parameter group (${String(saved)})`);
    checkOptions(where, saved, this.groupKeys());
    const { params: _params, ...options } = saved;
    try {
      this.validate({ ...group, ...options } as O);
      if (options.initialLr !== undefined) requireNonNegative("initialLr", options.initialLr);
    } catch (e) {
      if (e instanceof RangeError) throw new RangeError(`${where}: ${e.message}`);
      throw e;
    }
  }

  /** Where parameter p starts in its run of group gi, in values. */
  private runStart(gi: number, p: Parameter): number {
    const rs = this.groupStates[gi]!.runs.find((r) => r.run.params.includes(p))!;
    return (p.dataSlice.ptr - rs.run.dataPtr) / 4;
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
          const entry: Record<string, number | StateArray> = { step: gs.step, ...gs.scalars };
          const rs = gs.runs.find((r) => r.run.params.includes(p))!;
          const start = this.runStart(gi, p);
          for (const [name, buf] of Object.entries(rs.buffers)) {
            if (!gs.unset.has(name)) entry[name] = buf.array.slice(start, start + p.length);
          }
          for (const [name, buf] of Object.entries(rs.lowBit)) {
            if (!gs.unset.has(name)) Object.assign(entry, lowBitEntries(name, buf, start, p.length));
          }
          state[index] = entry;
        }
        index++;
      }
      paramGroups.push({ ...structuredClone(options), params: indices });
    });
    return { optimizer: this.kind, state, paramGroups };
  }

  /**
   * Restores a state from stateDict() of an optimizer of the same kind. Everything is checked first (the
   * hyperparameters of every group go through the constructor's validation), so that a bad dict throws, naming
   * the field, and leaves the optimizer as it was.
   */
  loadStateDict(dict: OptimizerStateDict): void {
    const name = this.kind;
    if (typeof dict !== "object" || dict === null) throw new Error(`${name}.loadStateDict: expected a state dict, got ${String(dict)}`);
    if (dict.optimizer !== name) throw new Error(`${name}.loadStateDict: the state dict is of ${dict.optimizer}, not ${name}`);
    if (!Array.isArray(dict.paramGroups) || typeof dict.state !== "object" || dict.state === null) {
      throw new Error(`${name}.loadStateDict: a state dict has state and paramGroups`);
    }
    if (dict.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${name}.loadStateDict: the state dict has ${dict.paramGroups.length} parameter groups, this optimizer ${this.paramGroups.length}`);
    }
    // Check everything before changing anything, so that a bad dict leaves the optimizer as it was.
    const lazy = this.lazyBuffers();
    const plans = this.paramGroups.map((group, gi) => {
      const saved = dict.paramGroups[gi]!;
      this.checkSavedGroup(saved, group, `${name}.loadStateDict: paramGroups[${gi}]`);
      const indices = saved.params as number[];
      if (!Array.isArray(indices) || indices.length !== group.params.length) {
        throw new Error(`${name}.loadStateDict: group ${gi} has ${indices?.length} parameters in the state dict, ${group.params.length} here`);
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
      const dtype = this.stateDtype({ ...group, ...saved } as O);
      entries.forEach((e, k) => {
        if (!e) return;
        const p = group.params[k]!;
        for (const b of wanted) {
          const arr = e[b];
          if (arr === undefined && lazy.includes(b)) continue;
          if (arr === undefined) throw new Error(`${name}.loadStateDict: parameter ${indices[k]} lacks state '${b}'`);
          const why = stateMismatch(b, dtype, e, indices[k]!, p.length);
          if (why) throw new Error(`${name}.loadStateDict: ${why}`);
        }
      });
      // A lazy buffer is set when the saved parameters hold it, unset when none does; never a mix.
      const unset = new Set<string>();
      for (const b of lazy) {
        const held = entries.filter((e) => e && e[b] !== undefined).length;
        if (held === 0) unset.add(b);
        else if (held !== entries.length) throw new Error(`${name}.loadStateDict: group ${gi} has '${b}' for some parameters only`);
      }
      return { saved, entries, step: [...steps][0] ?? 0, wanted, dtype, unset };
    });
    plans.forEach(({ saved, entries, step, wanted, dtype, unset }, gi) => {
      const group = this.paramGroups[gi]!;
      const { params: _ignored, ...options } = saved;
      Object.assign(group, structuredClone(options));
      const gs = this.groupStates[gi]!;
      // Options such as amsgrad may add buffers: re-plan the runs when the set of buffers changed.
      const first0 = gs.runs[0]!;
      const have = [...Object.keys(first0.buffers), ...Object.keys(first0.lowBit)];
      if (have.join() !== wanted.join() || first0.stateDtype !== dtype) gs.runs = gs.runs.map((r) => this.planRun(r.run, group));
      gs.step = step;
      gs.unset = unset;
      gs.scalars = {};
      const first = entries.find((e) => e);
      if (first) for (const [k, v] of Object.entries(first)) if (typeof v === "number" && k !== "step") gs.scalars[k] = v;
      group.params.forEach((p, k) => {
        const e = entries[k];
        const rs = gs.runs.find((r) => r.run.params.includes(p))!;
        const start = this.runStart(gi, p);
        for (const b of wanted) {
          const entry = e && !unset.has(b) ? e : null;
          if (rs.lowBit[b]) setLowBit(b, rs.lowBit[b]!, entry, start, p.length);
          else rs.buffers[b]!.array.set(entry ? (entry[b] as Float32Array) : new Float32Array(p.length), start);
        }
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
