"""Shared problem for the optimizer reference trajectories (run with Debian's /usr/bin/python3 and python3-torch).

The problem is the same as test/helpers/problem.ts: 37 parameters, and a gradient that depends on the current
parameters (so errors compound): g = a * (p - c) + 0.5 * sin(3 p), computed in float64 and rounded to float32.
"""
import json
import math
import os

import numpy as np
import torch

N = 37
STEPS = 30
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "optim")


def problem():
    i = np.arange(N, dtype=np.float64)
    p0 = (np.sin(i * 1.3) * 2.0).astype(np.float32)
    a = 0.5 + (i % 7) / 4.0
    c = np.cos(i * 0.7)
    return p0, a, c


def gradient(p, a, c):
    x = p.astype(np.float64)
    return (a * (x - c) + 0.5 * np.sin(3.0 * x)).astype(np.float32)


def run(name, make_optimizer, options, steps=STEPS, closure_based=False):
    """Runs torch's optimizer from p0 and writes test/data/optim/<name>.json with the trajectory."""
    p0, a, c = problem()
    param = torch.nn.Parameter(torch.from_numpy(p0.copy()))
    opt = make_optimizer([param])
    trajectory = []
    for _ in range(steps):
        if closure_based:
            def closure():
                opt.zero_grad()
                g = gradient(param.detach().numpy(), a, c)
                param.grad = torch.from_numpy(g)
                x = param.detach().numpy().astype(np.float64)
                return float(np.sum(0.5 * a * (x - c) ** 2 - np.cos(3.0 * x) / 6.0))
            opt.step(closure)
        else:
            param.grad = torch.from_numpy(gradient(param.detach().numpy(), a, c))
            opt.step()
        trajectory.append([float(v) for v in param.detach().numpy()])
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"name": name, "options": options, "steps": steps, "torch": torch.__version__,
                   "trajectory": trajectory}, f)
