"""Reference trajectories of the optimizers of 2024-2026 that torch 1.13 lacks: float64 transcriptions of their
reference code (writes test/data/optim/<case>.json; run with Debian's /usr/bin/python3 and numpy).

Each function below transcribes one reference, line by line, with numpy in float64 (the file it follows is named
in its docstring). The problem is common.py's: 37 parameters split into three tensors, whose shapes matter to
Adafactor and Muon (a matrix is treated apart from a vector), and the same gradient.
"""
import json
import math
import os

import numpy as np
from common import OUT, STEPS, gradient, problem


def lerp(a, b, w):
    return a + w * (b - a)


def run(name, shapes, make, options, steps=STEPS, extra=None):
    """make(params) returns step(grads): updates the list of float64 arrays in place."""
    p0, a, c = problem()
    params, k = [], 0
    for s in shapes:
        size = int(np.prod(s))
        params.append(p0[k:k + size].astype(np.float64).reshape(s))
        k += size
    step = make(params)
    trajectory = []
    for _ in range(steps):
        flat = np.concatenate([p.ravel() for p in params])
        g = gradient(flat, a, c).astype(np.float64)
        grads, k = [], 0
        for p in params:
            grads.append(g[k:k + p.size].reshape(p.shape))
            k += p.size
        step(grads)
        trajectory.append([float(v) for p in params for v in p.ravel()])
    data = {"name": name, "options": options, "shapes": [list(s) for s in shapes], "steps": steps,
            "reference": make.__doc__.strip().splitlines()[0], "trajectory": trajectory}
    if extra:
        data.update(extra(params))
    os.makedirs(OUT, exist_ok=True)
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(data, f)


# --- Adafactor -----------------------------------------------------------------------------------------------

def adafactor(lr=1e-2, beta2_decay=-0.8, eps=(None, 1e-3), d=1.0, weight_decay=0.0, maximize=False):
    def make(params):
        """torch/optim/_adafactor.py (PyTorch 2.5+), _single_tensor_adafactor."""
        state = [dict(step=0) for _ in params]
        for p, s in zip(params, state):
            if p.ndim > 1:
                s["row_var"] = np.zeros(p.shape[:-1] + (1,))
                s["col_var"] = np.zeros(p.shape[:-2] + (1, p.shape[-1]))
            else:
                s["variance"] = np.zeros(p.shape)

        def step(grads):
            for p, g, s in zip(params, grads, state):
                grad = -g if maximize else g
                eps1 = float(np.finfo(np.float32).eps) if eps[0] is None else eps[0]
                s["step"] += 1
                t = float(s["step"])
                one_minus_beta2_t = t ** beta2_decay
                rho_t = min(lr, 1 / (t ** 0.5))
                alpha = max(eps[1], np.linalg.norm(p.ravel()) / (p.size ** 0.5)) * rho_t
                if weight_decay != 0:
                    p *= 1 - lr * weight_decay
                if grad.ndim > 1:
                    row_mean = np.mean(grad * grad, axis=-1, keepdims=True)
                    s["row_var"] = lerp(s["row_var"], row_mean, one_minus_beta2_t)
                    col_mean = np.mean(grad * grad, axis=-2, keepdims=True)
                    s["col_var"] = lerp(s["col_var"], col_mean, one_minus_beta2_t)
                    var_estimate = s["row_var"] @ s["col_var"]
                    var_estimate = var_estimate / np.maximum(np.mean(s["row_var"], axis=-2, keepdims=True), eps1)
                else:
                    s["variance"] = lerp(s["variance"], grad * grad, one_minus_beta2_t)
                    var_estimate = s["variance"].copy()
                update = 1 / np.sqrt(np.maximum(var_estimate, eps1 * eps1))
                update = update * grad
                denom = max(1.0, np.linalg.norm(update.ravel()) / ((update.size ** 0.5) * d))
                p += (-alpha / denom) * update
        return step
    return make


MATRICES = [(4, 5), (1,), (2, 2, 4)]

run("adafactor", MATRICES, adafactor(), {})
run("adafactor_options", MATRICES, adafactor(lr=0.03, beta2_decay=-0.5, eps=(1e-3, 1e-2), d=1.5, weight_decay=0.1),
    {"lr": 0.03, "beta2Decay": -0.5, "eps": [1e-3, 1e-2], "d": 1.5, "weightDecay": 0.1})
run("adafactor_maximize", MATRICES, adafactor(lr=0.02, maximize=True), {"lr": 0.02, "maximize": True})
run("adafactor_vectors", [(20,), (1,), (16,)], adafactor(lr=0.03), {"lr": 0.03})
