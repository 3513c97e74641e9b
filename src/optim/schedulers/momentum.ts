// Momentum cycling (CyclicLR, OneCycleLR) writes `momentum`, or `betas[0]` for optimizers with betas (Adam...).
import type { SchedulerGroup, SchedulerOptimizer } from "./lr-scheduler.js";

export type MomentumKey = "momentum" | "betas";

/**
 * Which field the optimizer cycles: 'betas' when its defaults have betas, else 'momentum'. As torch, only an
 * optimizer with neither is refused: an SGD built with momentum 0 is accepted (its momentum is then cycled, and
 * it keeps a momentum buffer from its first step on; see `planMomentum`).
 */
export function momentumKey(scheduler: string, optimizer: SchedulerOptimizer): MomentumKey {
  const d = optimizer.defaults;
  if (!("momentum" in d) && !("betas" in d)) {
    throw new RangeError(`${scheduler}: cycleMomentum needs an optimizer with momentum or betas in its defaults (set cycleMomentum: false)`);
  }
  return "betas" in d ? "betas" : "momentum";
}

/**
 * After a scheduler has set the groups' momentum: the optimizer plans the buffers that momentum needs now (an
 * SGD or RMSprop built with momentum 0), at the scheduler's construction rather than during a step.
 */
export function planMomentum(optimizer: SchedulerOptimizer): void {
  optimizer.planState?.();
}

export function setMomentum(group: SchedulerGroup, key: MomentumKey, value: number): void {
  if (key === "betas") group.betas = [value, ...(group.betas ?? []).slice(1)];
  else group.momentum = value;
}
