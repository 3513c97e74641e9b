"""Reference sequences of torch.optim.lr_scheduler (writes test/data/schedulers/<case>.json).

Run with Debian's /usr/bin/python3 (python3-torch 1.13). Each case builds an optimizer with two parameter groups,
constructs the scheduler (which performs the initial step), then steps it STEPS times, recording every group's lr
(and momentum, or beta1 for Adam) after construction and after each step. ReduceLROnPlateau is fed METRICS.
Functions (lr lambdas, scale functions) are named here and in test/schedulers.test.ts.
"""
import json
import math
import os
import re
import warnings

import torch
from torch.optim import lr_scheduler as S

warnings.filterwarnings("ignore")  # "lr_scheduler.step() before optimizer.step()": irrelevant here

STEPS = 40
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "schedulers")

FUNCTIONS = {
    "pow095": lambda e: 0.95 ** e,
    "inverse": lambda e: 1.0 / (1.0 + e),
    "alternating": lambda e: 0.9 if e % 2 else 1.05,
    "sine_scale": lambda x: 0.5 * (1.0 + math.sin(x * math.pi / 2.0)),
    "decay_scale": lambda x: 1.0 / (1.0 + 0.05 * x),
}

# A validation loss with descents, plateaus, noise and a rise, for ReduceLROnPlateau.
METRICS = [1.0, 0.9, 0.85, 0.85, 0.8499, 0.86, 0.84, 0.8395, 0.8394, 0.8394, 0.8394, 0.83, 0.7, 0.7, 0.71,
           0.72, 0.69995, 0.7, 0.65, 0.6, 0.6, 0.6, 0.6, 0.6, 0.6, 0.59, 0.58, 0.6, 0.61, 0.62, 0.5, 0.5, 0.49999,
           0.5, 0.5, 0.5, 0.4, 0.41, 0.42, 0.43]


def camel(name):
    if name in ("T_max", "T_0", "T_mult"):
        return {"T_max": "tMax", "T_0": "t0", "T_mult": "tMult"}[name]
    return re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), name)


def resolve(kwargs):
    """Replaces function names by the functions."""
    out = {}
    for k, v in kwargs.items():
        if k in ("lr_lambda", "scale_fn"):
            v = [FUNCTIONS[x] for x in v] if isinstance(v, list) else FUNCTIONS[v]
        out[k] = v
    return out


def make_optimizer(kind, groups):
    params = [dict(params=[torch.nn.Parameter(torch.zeros(2))], **{k: v for k, v in g.items() if k != "initial_lr"})
              for g in groups]
    opt = torch.optim.Adam(params) if kind == "Adam" else torch.optim.SGD(params, lr=groups[0]["lr"], momentum=0.9)
    for g, spec in zip(opt.param_groups, groups):
        if "initial_lr" in spec:
            g["initial_lr"] = spec["initial_lr"]
    return opt


def momenta(opt, kind):
    return [g["betas"][0] if kind == "Adam" else g["momentum"] for g in opt.param_groups]


def case(name, scheduler, kwargs, groups=None, optimizer="SGD", children=None, metrics=False, steps=STEPS):
    groups = groups or [dict(lr=0.1, momentum=0.9), dict(lr=0.05, momentum=0.5)]
    if optimizer == "Adam":
        groups = [{k: v for k, v in g.items() if k != "momentum"} for g in groups]
    opt = make_optimizer(optimizer, groups)
    if children:
        subs = [getattr(S, c)(opt, **resolve(kw)) for c, kw in children]
        sched = S.ChainedScheduler(subs) if scheduler == "ChainedScheduler" else getattr(S, scheduler)(opt, subs, **kwargs)
    else:
        sched = getattr(S, scheduler)(opt, **resolve(kwargs))
    lrs = [[g["lr"] for g in opt.param_groups]]
    moms = [momenta(opt, optimizer)]
    for t in range(steps):
        opt.step()
        if metrics:
            sched.step(METRICS[t])
        else:
            sched.step()
        lrs.append([g["lr"] for g in opt.param_groups])
        moms.append(momenta(opt, optimizer))
    data = {
        "name": name, "torch": torch.__version__, "scheduler": scheduler, "optimizer": optimizer,
        "options": {camel(k): v for k, v in kwargs.items()},
        "groups": [{camel(k): v for k, v in g.items()} for g in groups],
        "steps": steps, "lr": lrs,
        "momentum" if optimizer == "SGD" else "beta1": moms,
    }
    if children:
        data["children"] = [{"scheduler": c, "options": {camel(k): v for k, v in kw.items()}} for c, kw in children]
    if metrics:
        data["metrics"] = METRICS[:steps]
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(data, f, indent=None)


case("lambda_lr", "LambdaLR", dict(lr_lambda=["pow095", "inverse"]))
case("lambda_lr_shared", "LambdaLR", dict(lr_lambda="pow095"))
case("multiplicative_lr", "MultiplicativeLR", dict(lr_lambda="alternating"))
case("step_lr", "StepLR", dict(step_size=7, gamma=0.5))
case("step_lr_default_gamma", "StepLR", dict(step_size=3))
case("step_lr_resume", "StepLR", dict(step_size=4, gamma=0.5, last_epoch=5),
     groups=[dict(lr=0.025, momentum=0.9, initial_lr=0.1), dict(lr=0.0125, momentum=0.9, initial_lr=0.05)])
case("multistep_lr", "MultiStepLR", dict(milestones=[3, 10, 10, 25], gamma=0.3))
case("constant_lr", "ConstantLR", dict(factor=0.25, total_iters=6))
case("constant_lr_default", "ConstantLR", dict())
case("linear_lr_warmup", "LinearLR", dict(start_factor=0.2, end_factor=0.9, total_iters=12))
case("linear_lr_decay", "LinearLR", dict(start_factor=1.0, end_factor=0.05, total_iters=30))
case("exponential_lr", "ExponentialLR", dict(gamma=0.93))
case("polynomial_lr", "PolynomialLR", dict(total_iters=25, power=2.0))
case("polynomial_lr_default", "PolynomialLR", dict())
case("polynomial_lr_sqrt", "PolynomialLR", dict(total_iters=17, power=0.5))
case("cosine_annealing_lr", "CosineAnnealingLR", dict(T_max=10, eta_min=0.001))
case("cosine_annealing_lr_zero_min", "CosineAnnealingLR", dict(T_max=7))
case("cosine_annealing_lr_resume", "CosineAnnealingLR", dict(T_max=12, eta_min=0.002, last_epoch=3),
     groups=[dict(lr=0.09, momentum=0.9, initial_lr=0.1), dict(lr=0.04, momentum=0.9, initial_lr=0.05)])
case("cosine_warm_restarts", "CosineAnnealingWarmRestarts", dict(T_0=5, eta_min=0.01))
case("cosine_warm_restarts_mult", "CosineAnnealingWarmRestarts", dict(T_0=3, T_mult=2))
case("cyclic_triangular", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4, step_size_down=6))
case("cyclic_triangular2", "CyclicLR", dict(base_lr=[0.01, 0.02], max_lr=[0.1, 0.05], step_size_up=5,
                                            mode="triangular2", base_momentum=[0.8, 0.7], max_momentum=[0.9, 0.95]))
case("cyclic_exp_range", "CyclicLR", dict(base_lr=0.001, max_lr=0.01, step_size_up=3, mode="exp_range", gamma=0.97))
case("cyclic_scale_fn_cycle", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=3, scale_fn="sine_scale"))
case("cyclic_scale_fn_iterations", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=2, step_size_down=5,
                                                    scale_fn="decay_scale", scale_mode="iterations"))
case("cyclic_no_momentum", "CyclicLR", dict(base_lr=0.01, max_lr=0.1, step_size_up=4, cycle_momentum=False))
case("one_cycle_cos", "OneCycleLR", dict(max_lr=0.1, total_steps=40))
case("one_cycle_linear", "OneCycleLR", dict(max_lr=[0.1, 0.2], epochs=4, steps_per_epoch=10, anneal_strategy="linear",
                                            pct_start=0.25, div_factor=10.0, final_div_factor=100.0))
case("one_cycle_three_phase", "OneCycleLR", dict(max_lr=0.1, total_steps=40, three_phase=True, pct_start=0.3,
                                                 base_momentum=0.8, max_momentum=0.92))
case("one_cycle_no_momentum", "OneCycleLR", dict(max_lr=0.05, total_steps=40, cycle_momentum=False))
case("one_cycle_adam", "OneCycleLR", dict(max_lr=0.01, total_steps=40, base_momentum=0.8, max_momentum=0.9),
     optimizer="Adam")
case("plateau_min_rel", "ReduceLROnPlateau", dict(patience=2), metrics=True)
case("plateau_min_abs_cooldown", "ReduceLROnPlateau",
     dict(mode="min", factor=0.5, patience=1, threshold=0.05, threshold_mode="abs", cooldown=2), metrics=True)
case("plateau_max_rel", "ReduceLROnPlateau",
     dict(mode="max", factor=0.3, patience=3, threshold=0.01, min_lr=[0.001, 0.01]), metrics=True)
case("plateau_max_abs_eps", "ReduceLROnPlateau",
     dict(mode="max", factor=0.5, patience=0, threshold=0.0, threshold_mode="abs", cooldown=1, min_lr=0.004,
          eps=0.004), metrics=True)
case("sequential_constant_exponential", "SequentialLR", dict(milestones=[2]),
     children=[("ConstantLR", dict(factor=0.1, total_iters=2)), ("ExponentialLR", dict(gamma=0.9))])
case("sequential_warmup_cosine_step", "SequentialLR", dict(milestones=[5, 20]),
     children=[("LinearLR", dict(start_factor=0.1, total_iters=5)), ("CosineAnnealingLR", dict(T_max=15)),
               ("StepLR", dict(step_size=5, gamma=0.5))])
case("sequential_warmup_restarts", "SequentialLR", dict(milestones=[4]),
     children=[("ConstantLR", dict(factor=0.5, total_iters=4)),
               ("CosineAnnealingWarmRestarts", dict(T_0=6, eta_min=0.001))])
case("chained_constant_exponential", "ChainedScheduler", dict(),
     children=[("ConstantLR", dict(factor=0.1, total_iters=2)), ("ExponentialLR", dict(gamma=0.9))])
case("chained_linear_multistep_cosine", "ChainedScheduler", dict(),
     children=[("LinearLR", dict(start_factor=0.5, total_iters=6)), ("MultiStepLR", dict(milestones=[8, 16])),
               ("CosineAnnealingLR", dict(T_max=12, eta_min=0.0))])
