// The optimizers the demo offers: a label, a learning rate that works for the digits MLP, and how to build it.
// Shared by the page (the select and its default lr) and the worker (the optimizer itself).
import * as lib from "../dist/index.js";

export const DEMO_OPTIMIZERS = {
  sgd: { label: "SGD", lr: 0.1, make: (p, lr) => new lib.SGD(p, { lr }) },
  momentum: { label: "SGD + momentum", lr: 0.02, make: (p, lr) => new lib.SGD(p, { lr, momentum: 0.9 }) },
  nesterov: { label: "SGD + Nesterov", lr: 0.02, make: (p, lr) => new lib.SGD(p, { lr, momentum: 0.9, nesterov: true }) },
  adam: { label: "Adam", lr: 0.003, make: (p, lr) => new lib.Adam(p, { lr }) },
  adamw: { label: "AdamW", lr: 0.003, make: (p, lr) => new lib.AdamW(p, { lr, weightDecay: 0.01 }) },
  amsgrad: { label: "Adam (AMSGrad)", lr: 0.003, make: (p, lr) => new lib.Adam(p, { lr, amsgrad: true }) },
  adamax: { label: "Adamax", lr: 0.005, make: (p, lr) => new lib.Adamax(p, { lr }) },
  nadam: { label: "NAdam", lr: 0.003, make: (p, lr) => new lib.NAdam(p, { lr }) },
  radam: { label: "RAdam", lr: 0.005, make: (p, lr) => new lib.RAdam(p, { lr }) },
  lion: { label: "Lion", lr: 0.0003, make: (p, lr) => new lib.Lion(p, { lr }) },
  adagrad: { label: "Adagrad", lr: 0.05, make: (p, lr) => new lib.Adagrad(p, { lr }) },
  rmsprop: { label: "RMSprop", lr: 0.001, make: (p, lr) => new lib.RMSprop(p, { lr }) },
  adadelta: { label: "Adadelta", lr: 1, make: (p, lr) => new lib.Adadelta(p, { lr }) },
  asgd: { label: "ASGD", lr: 0.05, make: (p, lr) => new lib.ASGD(p, { lr }) },
};

/** Learning-rate schedules; `steps` is the number of optimizer steps of the whole run. */
export const DEMO_SCHEDULES = {
  constant: { label: "constant", make: () => null },
  cosine: { label: "cosine annealing", make: (opt, steps) => new lib.CosineAnnealingLR(opt, { tMax: steps }) },
  onecycle: { label: "one-cycle", make: (opt, steps, lr) => new lib.OneCycleLR(opt, { maxLr: lr, totalSteps: steps, cycleMomentum: cyclesMomentum(opt) }) },
};

/** One-cycle also cycles momentum (or beta1), when the optimizer keeps one. */
function cyclesMomentum(optimizer) {
  return "betas" in optimizer.defaults || optimizer.paramGroups[0].momentum > 0;
}
