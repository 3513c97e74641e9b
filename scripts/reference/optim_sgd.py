"""Reference trajectories of torch.optim.SGD for every option (writes test/data/optim/sgd_*.json)."""
import torch
from common import run

CASES = {
    "sgd_plain": dict(lr=0.1),
    "sgd_weight_decay": dict(lr=0.1, weight_decay=0.05),
    "sgd_maximize": dict(lr=0.01, maximize=True),
    "sgd_momentum": dict(lr=0.05, momentum=0.9),
    "sgd_dampening": dict(lr=0.05, momentum=0.9, dampening=0.3, weight_decay=0.01),
    "sgd_nesterov": dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.01),
}
CAMEL = {"weight_decay": "weightDecay"}

for name, kw in CASES.items():
    run(name, lambda params, kw=kw: torch.optim.SGD(params, **kw), {CAMEL.get(k, k): v for k, v in kw.items()})
