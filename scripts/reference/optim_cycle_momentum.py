"""Reference trajectories of optimizers built without momentum whose momentum a scheduler (or the user) switches
on (writes test/data/optim/cycle_momentum_*.json). torch accepts these: OneCycleLR and CyclicLR refuse only an
optimizer with neither 'momentum' nor 'betas' in its defaults; SGD creates its momentum_buffer at the first step
with momentum != 0 (buf = clone(d_p) then), RMSprop at its first step (zeros) when momentum > 0 then.

Each step: gradient at the current parameters, optimizer.step(), then scheduler.step() (when there is one).
"""
import json
import os

import torch
from common import OUT, gradient, problem

STEPS = 30


def record(name, options, make, switch=None):
    p0, a, c = problem()
    param = torch.nn.Parameter(torch.from_numpy(p0.copy()))
    opt, sched = make([param])
    trajectory, momentums = [], []
    for step in range(STEPS):
        if switch and step == switch[0]:
            opt.param_groups[0]["momentum"] = switch[1]
        momentums.append(float(opt.param_groups[0]["momentum"]))
        param.grad = torch.from_numpy(gradient(param.detach().numpy(), a, c))
        opt.step()
        if sched:
            sched.step()
        trajectory.append([float(v) for v in param.detach().numpy()])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"name": name, "options": options, "steps": STEPS, "torch": torch.__version__,
                   "momentums": momentums, "trajectory": trajectory}, f)


def one_cycle_sgd(params):
    opt = torch.optim.SGD(params, lr=0.1)
    return opt, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, total_steps=STEPS)


def cyclic_sgd(params):
    opt = torch.optim.SGD(params, lr=0.05, weight_decay=0.01)
    return opt, torch.optim.lr_scheduler.CyclicLR(opt, base_lr=0.01, max_lr=0.1, step_size_up=5)


def one_cycle_rmsprop(params):
    opt = torch.optim.RMSprop(params, lr=0.01)
    return opt, torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.01, total_steps=STEPS, three_phase=True)


def sgd_switched(params):
    return torch.optim.SGD(params, lr=0.05, dampening=0.2), None


record("cycle_momentum_onecycle_sgd", {"sgd": {"lr": 0.1}, "oneCycleLR": {"maxLr": 0.1, "totalSteps": STEPS}}, one_cycle_sgd)
record("cycle_momentum_cyclic_sgd", {"sgd": {"lr": 0.05, "weightDecay": 0.01},
       "cyclicLR": {"baseLr": 0.01, "maxLr": 0.1, "stepSizeUp": 5}}, cyclic_sgd)
record("cycle_momentum_onecycle_rmsprop", {"rmsprop": {"lr": 0.01},
       "oneCycleLR": {"maxLr": 0.01, "totalSteps": STEPS, "threePhase": True}}, one_cycle_rmsprop)
record("cycle_momentum_sgd_switched_on", {"sgd": {"lr": 0.05, "dampening": 0.2}, "momentum": "0.9 from step 11 on"},
       sgd_switched, switch=(10, 0.9))
