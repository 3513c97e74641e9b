"""Reference trajectories of torch.optim.swa_utils (torch 1.13 has AveragedModel, SWALR and update_bn): run with
Debian's /usr/bin/python3 and python3-torch; writes test/data/optim/swa_*.json.

- swa_sgd: SGD with momentum on common.py's problem; from step 10 on, AveragedModel.update_parameters after each
  step and SWALR (swa_lr 0.05, anneal_epochs 5, cos) stepping once per step. The file holds the trajectory, the
  lr of every step and the final average.
- swa_ema: the same with an exponential moving average, avg_fn = lerp(avg, p, 1 - decay) (what PyTorch 2.x's
  get_ema_multi_avg_fn(0.9) computes) and SWALR linear over 3 steps.
- swa_update_bn: update_bn over a BatchNorm1d(4) alone, with 40 samples in batches of 16, 16 and 8.
"""
import json
import os

import numpy as np
import torch
from common import N, OUT, STEPS, gradient, problem


class Three(torch.nn.Module):
    def __init__(self, p0):
        super().__init__()
        self.w = torch.nn.Parameter(torch.from_numpy(p0[:20].copy()))
        self.b = torch.nn.Parameter(torch.from_numpy(p0[20:21].copy()))
        self.v = torch.nn.Parameter(torch.from_numpy(p0[21:].copy()))

    def flat(self):
        return torch.cat([self.w, self.b, self.v]).detach().numpy()


def swa_case(name, avg_fn, swa_lr, anneal_epochs, strategy, options):
    p0, a, c = problem()
    model = Three(p0)
    opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    averaged = torch.optim.swa_utils.AveragedModel(model, avg_fn=avg_fn)
    scheduler = None
    trajectory, lrs = [], []
    for step in range(STEPS):
        g = torch.from_numpy(gradient(model.flat(), a, c))
        model.w.grad, model.b.grad, model.v.grad = g[:20].clone(), g[20:21].clone(), g[21:].clone()
        opt.step()
        if step >= 10:
            if scheduler is None:
                scheduler = torch.optim.swa_utils.SWALR(opt, swa_lr=swa_lr, anneal_epochs=anneal_epochs, anneal_strategy=strategy)
            averaged.update_parameters(model)
            scheduler.step()
        lrs.append(opt.param_groups[0]["lr"])
        trajectory.append([float(v) for v in model.flat()])
    avg = torch.cat([p.detach() for p in averaged.module.parameters()]).numpy()
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"name": name, "options": options, "steps": STEPS, "torch": torch.__version__, "trajectory": trajectory,
                   "lrs": lrs, "averaged": [float(v) for v in avg], "nAveraged": int(averaged.n_averaged)}, f)


swa_case("swa_sgd", None, 0.05, 5, "cos", {"swaLr": 0.05, "annealEpochs": 5, "annealStrategy": "cos"})
swa_case("swa_ema", lambda avg, p, n: torch.lerp(avg, p, 1 - 0.9), 0.02, 3, "linear",
         {"swaLr": 0.02, "annealEpochs": 3, "annealStrategy": "linear", "decay": 0.9})

x = torch.tensor([[np.sin(i * 0.37 + j) * (1 + j) + j for j in range(4)] for i in range(40)], dtype=torch.float32)
bn = torch.nn.Sequential(torch.nn.BatchNorm1d(4))
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x), batch_size=16)
torch.optim.swa_utils.update_bn(loader, bn)
with open(os.path.join(OUT, "swa_update_bn.json"), "w") as f:
    json.dump({"name": "swa_update_bn", "torch": torch.__version__, "x": [float(v) for v in x.flatten()],
               "runningMean": [float(v) for v in bn[0].running_mean], "runningVar": [float(v) for v in bn[0].running_var],
               "numBatchesTracked": int(bn[0].num_batches_tracked)}, f)
