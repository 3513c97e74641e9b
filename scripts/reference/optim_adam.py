"""Reference trajectories of the Adam family and Lion, PyTorch 2.x semantics (writes test/data/optim/<case>.json).

Debian's torch 1.13 runs Adam, AdamW, Adamax and RAdam (without the options added in 2.x) exactly as 2.x does,
up to the rounding of `lerp_` (2.x) against `mul_().add_()` (1.13) in the first moment; those cases take their
data from torch.optim itself, and each is also run through the explicit implementation below, which must agree.
The other cases follow the 2.x single-tensor code in explicit float32 torch ops:
  - NAdam: 1.13 multiplies mu_t twice into the product of mu_{t+1} (fixed in 2.0), and lacks
    decoupled_weight_decay and maximize. The explicit NAdam is checked against 1.13 with that slip reproduced.
  - RAdam with decoupled_weight_decay or maximize (added in 2.x).
  - Lion (not in torch.optim): optax.lion / Chen et al. 2023, with the weight decay applied as p * (1 - lr wd).
Run with /usr/bin/python3 from this directory or any other.
"""
import json
import math
import os

import numpy as np
import torch
from common import OUT, STEPS, run

CAMEL = {"weight_decay": "weightDecay", "momentum_decay": "momentumDecay",
         "decoupled_weight_decay": "decoupledWeightDecay"}


class Explicit:
    """A minimal optimizer over one parameter: `update(p, g, state, t, **hyperparameters)` once per step."""

    def __init__(self, params, update, **hyper):
        (self.param,) = params
        self.update, self.hyper, self.state, self.t = update, hyper, {}, 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        self.update(self.param.data, self.param.grad, self.state, self.t, **self.hyper)


def zeros(state, key, p):
    if key not in state:
        state[key] = torch.zeros_like(p)
    return state[key]


def adam(p, grad, s, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False,
         maximize=False, decoupled=False):
    """torch.optim.Adam / AdamW (decoupled=True), _single_tensor_adam of 2.x."""
    b1, b2 = betas
    g = -grad if maximize else grad
    if decoupled:
        p.mul_(1 - lr * weight_decay)
    elif weight_decay != 0:
        g = g.add(p, alpha=weight_decay)
    m, v = zeros(s, "m", p), zeros(s, "v", p)
    m.lerp_(g, 1 - b1)
    v.mul_(b2).addcmul_(g, g, value=1 - b2)
    step_size = lr / (1 - b1 ** t)
    bc2_sqrt = math.sqrt(1 - b2 ** t)
    if amsgrad:
        vmax = zeros(s, "vmax", p)
        torch.maximum(vmax, v, out=vmax)
        denom = (vmax.sqrt() / bc2_sqrt).add_(eps)
    else:
        denom = (v.sqrt() / bc2_sqrt).add_(eps)
    p.addcdiv_(m, denom, value=-step_size)


def adamw(p, grad, s, t, weight_decay=1e-2, **kw):
    adam(p, grad, s, t, weight_decay=weight_decay, decoupled=True, **kw)


def adamax(p, grad, s, t, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, maximize=False):
    """torch.optim.Adamax, _single_tensor_adamax of 2.x."""
    b1, b2 = betas
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g.add(p, alpha=weight_decay)
    m, u = zeros(s, "m", p), zeros(s, "u", p)
    m.lerp_(g, 1 - b1)
    torch.maximum(u.mul_(b2), g.abs().add_(eps), out=u)
    p.addcdiv_(m, u, value=-lr / (1 - b1 ** t))


def nadam(p, grad, s, t, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, momentum_decay=4e-3,
          decoupled_weight_decay=False, maximize=False, torch113_slip=False):
    """torch.optim.NAdam, _single_tensor_nadam of 2.x (torch113_slip: 1.13's product of mu_{t+1})."""
    b1, b2 = betas
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            p.mul_(1 - lr * weight_decay)
        else:
            g = g.add(p, alpha=weight_decay)
    mu_product = s.setdefault("mu_product", torch.tensor(1.0, dtype=torch.float32))
    mu = b1 * (1.0 - 0.5 * (0.96 ** (t * momentum_decay)))
    mu_next = b1 * (1.0 - 0.5 * (0.96 ** ((t + 1) * momentum_decay)))
    mu_product *= mu  # a float32 tensor, as in torch
    m, v = zeros(s, "m", p), zeros(s, "v", p)
    m.lerp_(g, 1 - b1)
    v.mul_(b2).addcmul_(g, g, value=1 - b2)
    denom = v.div(1 - b2 ** t).sqrt().add_(eps)
    mu_product_next = mu_product.item() * (mu * mu_next if torch113_slip else mu_next)
    p.addcdiv_(g, denom, value=-lr * (1.0 - mu) / (1.0 - mu_product.item()))
    p.addcdiv_(m, denom, value=(-lr * mu_next) / (1.0 - mu_product_next))


def rho(t, b2):
    rho_inf = 2 / (1 - b2) - 1
    return rho_inf, rho_inf - 2 * t * (b2 ** t) / (1 - b2 ** t)


def radam(p, grad, s, t, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, decoupled_weight_decay=False,
          maximize=False):
    """torch.optim.RAdam, _single_tensor_radam of 2.x."""
    b1, b2 = betas
    g = -grad if maximize else grad
    if weight_decay != 0:
        if decoupled_weight_decay:
            p.mul_(1 - lr * weight_decay)
        else:
            g = g.add(p, alpha=weight_decay)
    m, v = zeros(s, "m", p), zeros(s, "v", p)
    m.lerp_(g, 1 - b1)
    v.mul_(b2).addcmul_(g, g, value=1 - b2)
    bc1, bc2 = 1 - b1 ** t, 1 - b2 ** t
    m_hat = m / bc1
    rho_inf, rho_t = rho(t, b2)
    if rho_t > 5.0:
        rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / ((rho_inf - 4) * (rho_inf - 2) * rho_t)) ** 0.5
        adaptive_lr = (bc2 ** 0.5) / v.sqrt().add_(eps)
        p.add_(m_hat * lr * adaptive_lr * rect, alpha=-1.0)
    else:
        p.add_(m_hat * lr, alpha=-1.0)


def lion(p, grad, s, t, lr=1e-4, betas=(0.9, 0.99), weight_decay=0.0):
    """Lion as optax.lion: c = (1-b1) g + b1 m; p = p (1 - lr wd) - lr sign(c); m = (1-b2) g + b2 m."""
    b1, b2 = betas
    m = zeros(s, "m", p)
    c = grad * (1 - b1) + m * b1
    p.mul_(1 - lr * weight_decay)
    p.add_(torch.sign(c), alpha=-lr)
    m.copy_(grad * (1 - b2) + m * b2)


# name: (explicit update, hyperparameters, the torch 1.13 class that computes the same, or None)
CASES = {
    "adam_plain": (adam, dict(lr=0.05), torch.optim.Adam),
    "adam_weight_decay": (adam, dict(lr=0.05, weight_decay=0.1), torch.optim.Adam),
    "adam_amsgrad": (adam, dict(lr=0.05, betas=(0.9, 0.9), amsgrad=True), torch.optim.Adam),
    "adam_maximize": (adam, dict(lr=0.01, maximize=True), torch.optim.Adam),
    "adam_amsgrad_weight_decay_eps": (adam, dict(lr=0.05, betas=(0.8, 0.9), eps=0.1, weight_decay=0.05,
                                                 amsgrad=True), torch.optim.Adam),
    "adamw": (adamw, dict(lr=0.05), torch.optim.AdamW),
    "adamw_weight_decay": (adamw, dict(lr=0.05, weight_decay=0.5), torch.optim.AdamW),
    "adamw_amsgrad": (adamw, dict(lr=0.05, betas=(0.9, 0.9), weight_decay=0.1, amsgrad=True), torch.optim.AdamW),
    "adamw_maximize": (adamw, dict(lr=0.01, weight_decay=0.1, maximize=True), torch.optim.AdamW),
    "adamax": (adamax, dict(lr=0.1), torch.optim.Adamax),
    "adamax_weight_decay": (adamax, dict(lr=0.1, weight_decay=0.1), torch.optim.Adamax),
    "adamax_maximize": (adamax, dict(lr=0.02, betas=(0.8, 0.9), maximize=True), torch.optim.Adamax),
    "nadam": (nadam, dict(lr=0.05), None),
    "nadam_weight_decay": (nadam, dict(lr=0.05, weight_decay=0.1), None),
    "nadam_decoupled": (nadam, dict(lr=0.05, weight_decay=0.5, decoupled_weight_decay=True), None),
    "nadam_momentum_decay": (nadam, dict(lr=0.05, betas=(0.8, 0.99), momentum_decay=0.05), None),
    "nadam_maximize": (nadam, dict(lr=0.01, maximize=True), None),
    "radam": (radam, dict(lr=0.05), torch.optim.RAdam),
    "radam_weight_decay": (radam, dict(lr=0.05, weight_decay=0.1), torch.optim.RAdam),
    "radam_decoupled": (radam, dict(lr=0.05, weight_decay=0.5, decoupled_weight_decay=True), None),
    "radam_maximize": (radam, dict(lr=0.01, maximize=True), None),
    "lion": (lion, dict(lr=0.02), None),
    "lion_weight_decay": (lion, dict(lr=0.02, betas=(0.95, 0.98), weight_decay=1.0), None),
}


def trajectory(name):
    with open(os.path.join(OUT, name + ".json")) as f:
        return np.array(json.load(f)["trajectory"])


def write(name, make, kw, source):
    options = {CAMEL.get(k, k): (list(v) if isinstance(v, tuple) else v) for k, v in kw.items()}
    run(name, make, options)
    path = os.path.join(OUT, name + ".json")
    with open(path) as f:
        data = json.load(f)
    data["reference"] = source
    with open(path, "w") as f:
        json.dump(data, f)


def agree(name, a, b, what):
    worst = np.max(np.abs(a - b) / (1e-6 + 1e-5 * np.abs(b)))
    assert worst <= 1, f"{name}: {what} differ (worst {worst:.3g})"


for name, (update, kw, torch_class) in CASES.items():
    explicit = lambda params, u=update, kw=kw: Explicit(params, u, **kw)
    if torch_class is None:
        write(name, explicit, kw, "explicit float32 torch ops, PyTorch 2.x single-tensor algorithm")
    else:
        write(name + "_explicit", explicit, kw, "explicit")
        write(name, lambda params, c=torch_class, kw=kw: c(params, foreach=False, **kw), kw,
              f"torch.optim.{torch_class.__name__} {torch.__version__}")
        agree(name, trajectory(name + "_explicit"), trajectory(name), "the explicit algorithm and torch.optim")
        os.remove(os.path.join(OUT, name + "_explicit.json"))

# The explicit NAdam with 1.13's slip reproduced must follow torch 1.13's NAdam.
for name in ("nadam", "nadam_weight_decay"):
    _, kw, _ = CASES[name]
    write("tmp_" + name + "_torch", lambda params, kw=kw: torch.optim.NAdam(params, foreach=False, **kw), kw, "")
    write("tmp_" + name + "_slip", lambda params, kw=kw: Explicit(params, nadam, torch113_slip=True, **kw), kw, "")
    agree(name, trajectory("tmp_" + name + "_slip"), trajectory("tmp_" + name + "_torch"), "NAdam with the 1.13 slip")
    for suffix in ("_torch", "_slip"):
        os.remove(os.path.join(OUT, "tmp_" + name + suffix + ".json"))

# Each option must change the trajectory, or its test proves nothing.
for name in ("adam_amsgrad", "adamw_amsgrad", "adam_amsgrad_weight_decay_eps"):
    kw = dict(CASES[name][1], amsgrad=False)
    write("tmp_no_amsgrad", lambda params, u=CASES[name][0], kw=kw: Explicit(params, u, **kw), kw, "")
    assert np.max(np.abs(trajectory("tmp_no_amsgrad") - trajectory(name))) > 1e-3, f"{name}: amsgrad changes nothing"
    os.remove(os.path.join(OUT, "tmp_no_amsgrad.json"))
rhos = [rho(t, 0.999)[1] for t in range(1, STEPS + 1)]
assert min(rhos) <= 5 < max(rhos), "RAdam: both branches must be exercised"
print("wrote", len(CASES), "cases;", "RAdam unrectified for steps", [t + 1 for t, r in enumerate(rhos) if r <= 5])
