// ReduceLROnPlateau: lowers the lr when a metric has stopped improving. step(metric), once per epoch:
//
//   better(a, best):  'min'/'rel': a < best (1 − threshold)    'min'/'abs': a < best − threshold
//                     'max'/'rel': a > best (1 + threshold)    'max'/'abs': a > best + threshold
//   if better(metric, best):  best = metric, badEpochs = 0   else  badEpochs += 1
//   in cooldown (cooldownCounter > 0):  cooldownCounter −= 1,  badEpochs = 0
//   if badEpochs > patience:  η ← max(η · factor, minLr) where that lowers η by more than eps;
//                             cooldownCounter = cooldown,  badEpochs = 0
import { requireInRange, requireInteger, requireNonNegative } from "../validate.js";
import { checkSchedulerState, type SchedulerOptimizer, type SchedulerStateDict } from "./lr-scheduler.js";
import { checkOptions } from "../../engine/options.js";
import { perGroup, requireOneOf } from "./options.js";

export interface ReduceLROnPlateauOptions {
  /** 'min' (default): the metric should fall (a loss); 'max': rise (an accuracy). */
  mode?: "min" | "max";
  /** new lr = lr · factor; in [0, 1), default 0.1. */
  factor?: number;
  /** Epochs without improvement tolerated before lowering the lr; default 10. */
  patience?: number;
  /** Smallest change that counts as an improvement; default 1e-4. */
  threshold?: number;
  /** 'rel' (default): relative to best; 'abs': absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs to wait after lowering the lr before counting bad epochs again; default 0. */
  cooldown?: number;
  /** Lower bound of the lr, shared or per group; default 0. */
  minLr?: number | readonly number[];
  /** Changes of the lr smaller than eps are skipped; default 1e-8. */
  eps?: number;
}

const OPTION_NAMES = ["mode", "factor", "patience", "threshold", "thresholdMode", "cooldown", "minLr", "eps"];

export class ReduceLROnPlateau {
  /** The stable name used by state dicts, checkpoints and messages. */
  get kind(): string {
    return "ReduceLROnPlateau";
  }

  readonly optimizer: SchedulerOptimizer;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  /** The best metric so far (±Infinity before the first step). */
  best: number;
  numBadEpochs = 0;
  cooldownCounter = 0;
  lastEpoch = 0;
  private lastLr: number[];

  constructor(optimizer: SchedulerOptimizer, options: ReduceLROnPlateauOptions = {}) {
    checkOptions("ReduceLROnPlateau", options, OPTION_NAMES);
    const {
      mode = "min", factor = 0.1, patience = 10, threshold = 1e-4, thresholdMode = "rel", cooldown = 0, minLr = 0,
      eps = 1e-8,
    } = options;
    requireOneOf("mode", mode, ["min", "max"]);
    requireInRange("factor", factor, 0, 1);
    requireInteger("patience", patience, 0);
    requireNonNegative("threshold", threshold);
    requireOneOf("thresholdMode", thresholdMode, ["rel", "abs"]);
    requireInteger("cooldown", cooldown, 0);
    requireNonNegative("eps", eps);
    this.optimizer = optimizer;
    this.minLrs = perGroup("minLr", minLr, optimizer, requireNonNegative);
    this.mode = mode;
    this.factor = factor;
    this.patience = patience;
    this.threshold = threshold;
    this.thresholdMode = thresholdMode;
    this.cooldown = cooldown;
    this.eps = eps;
    this.best = mode === "min" ? Infinity : -Infinity;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Call once per epoch with the monitored metric (e.g. the validation loss). */
  step(metric: number): void {
    if (typeof metric !== "number") throw new RangeError(`Invalid metric: ${String(metric)} (must be a number)`);
    this.lastEpoch++;
    if (this.isBetter(metric, this.best)) {
      this.best = metric;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs++;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter--;
      this.numBadEpochs = 0; // bad epochs in cooldown do not count
    }
    if (this.numBadEpochs > this.patience) {
      this.reduceLr();
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = this.optimizer.paramGroups.map((g) => g.lr);
  }

  private reduceLr(): void {
    this.optimizer.paramGroups.forEach((g, i) => {
      const newLr = Math.max(g.lr * this.factor, this.minLrs[i]!);
      if (g.lr - newLr > this.eps) g.lr = newLr;
    });
  }

  private isBetter(a: number, best: number): boolean {
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === "rel" ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** The groups' learning rates after the last step. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The counters and options (best is ±Infinity before the first step: keep it so when serializing). */
  stateDict(): SchedulerStateDict {
    const { optimizer: _optimizer, ...fields } = this;
    return { scheduler: this.kind, ...structuredClone(fields) };
  }

  loadStateDict(state: SchedulerStateDict): void {
    Object.assign(this, structuredClone(checkSchedulerState(this.kind, state, this)));
  }
}
