// Momentum cycling (CyclicLR, OneCycleLR) writes `momentum`, or `betas[0]` for optimizers with betas (Adam...).
import type { SchedulerGroup, SchedulerOptimizer } from "./lr-scheduler.js";

export type MomentumKey = "momentum" | "betas";

/** Which field the optimizer cycles: 'betas' when its defaults have betas, else 'momentum'. */
export function momentumKey(scheduler: string, optimizer: SchedulerOptimizer): MomentumKey {
  const d = optimizer.defaults;
  if (!("momentum" in d) && !("betas" in d)) {
    throw new RangeError(`${scheduler}: cycleMomentum needs an optimizer with momentum or betas (set cycleMomentum: false)`);
  }
  if ("betas" in d) return "betas";
  // Optimizers here plan their momentum buffers at construction: a group built without momentum never uses one.
  optimizer.paramGroups.forEach((g, i) => {
    if (g.momentum === 0) {
      throw new RangeError(`${scheduler}: paramGroups[${i}] has momentum 0, so the optimizer keeps no momentum buffer to cycle: construct it with momentum > 0, or set cycleMomentum: false`);
    }
  });
  return "momentum";
}

export function setMomentum(group: SchedulerGroup, key: MomentumKey, value: number): void {
  if (key === "betas") group.betas = [value, ...(group.betas ?? []).slice(1)];
  else group.momentum = value;
}
