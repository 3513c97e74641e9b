"""Reference trajectories of torch.optim Adagrad, RMSprop, Adadelta, Rprop, ASGD and LBFGS for every option
(writes test/data/optim/<case>.json; run with Debian's /usr/bin/python3 and python3-torch 1.13).

The single-tensor code paths of these optimizers in torch 1.13 do the same float32 operations as the algorithms
of the PyTorch 2.x docs, so torch's own classes write the reference (foreach=False pins the single-tensor path).
For ASGD with averaging, the file also holds the final averaged parameters `ax`; for LBFGS, the final iteration
and closure-call counts and the number of kept (y, s) pairs.
"""
import json
import os

import torch
from common import OUT, run

CAMEL = {
    "weight_decay": "weightDecay", "lr_decay": "lrDecay", "initial_accumulator_value": "initialAccumulatorValue",
    "step_sizes": "stepSizes", "max_iter": "maxIter", "max_eval": "maxEval", "history_size": "historySize",
    "line_search_fn": "lineSearchFn", "tolerance_grad": "toleranceGrad", "tolerance_change": "toleranceChange",
}

CASES = {
    "adagrad_plain": (torch.optim.Adagrad, dict(lr=0.1)),
    "adagrad_lr_decay": (torch.optim.Adagrad, dict(lr=0.2, lr_decay=0.05)),
    "adagrad_initial_accumulator": (torch.optim.Adagrad, dict(lr=0.1, initial_accumulator_value=0.5, eps=1e-6)),
    "adagrad_weight_decay": (torch.optim.Adagrad, dict(lr=0.1, weight_decay=0.05)),
    "adagrad_maximize": (torch.optim.Adagrad, dict(lr=0.05, maximize=True)),
    "rmsprop_plain": (torch.optim.RMSprop, dict(lr=0.01)),
    "rmsprop_centered": (torch.optim.RMSprop, dict(lr=0.01, alpha=0.9, centered=True)),
    "rmsprop_momentum": (torch.optim.RMSprop, dict(lr=0.005, momentum=0.9)),
    "rmsprop_centered_momentum": (torch.optim.RMSprop, dict(lr=0.005, alpha=0.95, momentum=0.8, centered=True)),
    "rmsprop_weight_decay": (torch.optim.RMSprop, dict(lr=0.01, weight_decay=0.1, eps=1e-4)),
    "rmsprop_maximize": (torch.optim.RMSprop, dict(lr=0.01, maximize=True)),
    "adadelta_plain": (torch.optim.Adadelta, dict()),
    "adadelta_weight_decay": (torch.optim.Adadelta, dict(lr=2.0, rho=0.8, eps=1e-4, weight_decay=0.1)),
    "adadelta_maximize": (torch.optim.Adadelta, dict(lr=0.5, eps=1e-3, maximize=True)),
    "rprop_plain": (torch.optim.Rprop, dict()),
    "rprop_custom": (torch.optim.Rprop, dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    "rprop_maximize": (torch.optim.Rprop, dict(lr=0.02, maximize=True)),
    "asgd_plain": (torch.optim.ASGD, dict()),
    "asgd_weight_decay_maximize": (torch.optim.ASGD, dict(lr=0.02, lambd=0.01, alpha=0.6, weight_decay=0.1, maximize=True)),
}
# Averaging starts once step > t0 + 1 (mu < 1 from step 13 of 30 here).
AVERAGING = ("asgd_averaging", torch.optim.ASGD, dict(lr=0.05, lambd=1e-3, t0=10))
LBFGS_CASES = {
    "lbfgs_plain": dict(lr=0.3, max_iter=5, history_size=3),
    "lbfgs_strong_wolfe": dict(max_iter=5, history_size=4, line_search_fn="strong_wolfe"),
}


def options(kw):
    return {CAMEL.get(k, k): list(v) if isinstance(v, tuple) else v for k, v in kw.items()}


for name, (cls, kw) in CASES.items():
    run(name, lambda params, cls=cls, kw=kw: cls(params, **kw, foreach=False), options(kw))



def run_keeping_state(name, make, kw, extra, closure_based=False):
    """run(), then adds `extra(optimizer)` (final state values) to the case's file."""
    made = []
    run(name, lambda params: made.append(make(params)) or made[-1], options(kw), closure_based=closure_based)
    path = os.path.join(OUT, name + ".json")
    with open(path) as f:
        data = json.load(f)
    data.update(extra(made[0]))
    with open(path, "w") as f:
        json.dump(data, f)


def first_state(opt):
    return next(iter(opt.state.values()))


name, cls, kw = AVERAGING
run_keeping_state(name, lambda params: cls(params, **kw, foreach=False), kw,
                  lambda opt: {"ax": [float(v) for v in first_state(opt)["ax"].numpy()]})

for name, kw in LBFGS_CASES.items():
    run_keeping_state(name, lambda params, kw=kw: torch.optim.LBFGS(params, **kw), kw,
                      lambda opt: {"nIter": first_state(opt)["n_iter"], "funcEvals": first_state(opt)["func_evals"],
                                   "historyLength": len(first_state(opt)["old_dirs"])},
                      closure_based=True)
