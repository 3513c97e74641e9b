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


# --- Schedule-free SGD and AdamW ------------------------------------------------------------------------------

def schedule_free(kind, lr, weight_decay=0.0, warmup_steps=0, r=0.0, weight_lr_power=2.0,
                  betas=(0.9, 0.999), eps=1e-8, inner_momentum=0.0, momentum=0.9):
    """Returns make(params) for schedulefree/<kind>_schedulefree.py's step() (the for-loop branch), and the
    optimizer's eval() as make.eval(params) (p.lerp_(z, 1 - 1/beta))."""
    group = dict(k=0, weight_sum=0.0, lr_max=-1.0)
    beta = momentum if kind == "sgd" else betas[0]
    state = []

    def make(params):
        """schedulefree/sgd_schedulefree.py or adamw_schedulefree.py (facebookresearch/schedule_free at 70785b5), step()."""
        def step(grads):
            k = group["k"]
            sched = (k + 1) / warmup_steps if k < warmup_steps else 1.0
            lr_t = lr * sched
            lr_max = group["lr_max"] = max(lr_t, group["lr_max"])
            weight = ((k + 1) ** r) * (lr_max ** weight_lr_power)
            weight_sum = group["weight_sum"] = group["weight_sum"] + weight
            ckp1 = weight / weight_sum if weight_sum != 0 else 0
            if not state:
                for p in params:
                    state.append(dict(z=p.copy(), exp_avg_sq=np.zeros(p.shape), exp_avg=np.zeros(p.shape)))
            for y, grad, s in zip(params, grads, state):
                z = s["z"]
                if kind == "sgd":
                    g = grad + weight_decay * y if weight_decay != 0 else grad
                else:
                    beta2 = betas[1]
                    s["exp_avg_sq"] = s["exp_avg_sq"] * beta2 + (1 - beta2) * grad * grad
                    denom = np.sqrt(s["exp_avg_sq"] / (1 - beta2 ** (k + 1))) + eps
                    if inner_momentum != 0:
                        s["exp_avg"] = s["exp_avg"] * inner_momentum + (1 - inner_momentum) * grad
                        g = (s["exp_avg"] / (1 - inner_momentum ** (k + 1))) / denom
                    else:
                        g = grad / denom
                    if weight_decay != 0:
                        g = g + weight_decay * y
                y[...] = lerp(y, z, ckp1)
                y += lr_t * (beta * (1 - ckp1) - 1) * g
                z -= lr_t * g
            group["k"] = k + 1
        return step

    def evaluated(params):
        """eval(): the parameters at x."""
        return {"x": [float(v) for p, s in zip(params, state) for v in lerp(p, s["z"], 1 - 1 / beta).ravel()]}
    return make, evaluated


def schedule_free_case(name, kind, lr, options, **kw):
    make, evaluated = schedule_free(kind, lr, **kw)
    run(name, [(20,), (1,), (16,)], make, options, extra=evaluated)


schedule_free_case("sgd_schedule_free", "sgd", 1.0, {})
schedule_free_case("sgd_schedule_free_options", "sgd", 0.2, {"lr": 0.2, "momentum": 0.8, "weightDecay": 0.05, "warmupSteps": 10, "r": 1, "weightLrPower": 1},
                   momentum=0.8, weight_decay=0.05, warmup_steps=10, r=1.0, weight_lr_power=1.0)
schedule_free_case("adamw_schedule_free", "adamw", 0.0025, {})
schedule_free_case("adamw_schedule_free_options", "adamw", 0.05,
                   {"lr": 0.05, "betas": [0.8, 0.99], "eps": 1e-6, "weightDecay": 0.1, "warmupSteps": 5, "r": 0.5, "weightLrPower": 2.0},
                   betas=(0.8, 0.99), eps=1e-6, weight_decay=0.1, warmup_steps=5, r=0.5)
schedule_free_case("adamw_schedule_free_inner_momentum", "adamw", 0.02, {"lr": 0.02, "innerMomentum": 0.9}, inner_momentum=0.9)


# --- Muon ----------------------------------------------------------------------------------------------------

def muon(lr=1e-3, weight_decay=0.1, momentum=0.95, nesterov=True, ns_coefficients=(3.4445, -4.7750, 2.0315),
         eps=1e-7, ns_steps=5, adjust_lr_fn=None):
    def zeropower_via_newtonschulz(grad):
        a, b, c = ns_coefficients
        x = grad.copy()  # torch casts to bfloat16 here (GPU speed); the transcription stays in float64
        if grad.shape[0] > grad.shape[1]:
            x = x.T
        x = x / max(np.linalg.norm(x), eps)
        for _ in range(ns_steps):
            gram = x @ x.T
            gram_update = b * gram + c * gram @ gram
            x = a * x + gram_update @ x
        if grad.shape[0] > grad.shape[1]:
            x = x.T
        return x

    def adjust_lr(shape):
        A, B = shape[:2]
        if adjust_lr_fn is None or adjust_lr_fn == "original":
            return lr * math.sqrt(max(1, A / B))
        return lr * 0.2 * math.sqrt(max(A, B))

    def make(params):
        """torch/optim/_muon.py (PyTorch 2.9), _single_tensor_muon and _zeropower_via_newtonschulz."""
        bufs = [np.zeros(p.shape) for p in params]

        def step(grads):
            for p, grad, buf in zip(params, grads, bufs):
                buf[...] = lerp(buf, grad, 1 - momentum)
                update = lerp(grad, buf, momentum) if nesterov else buf
                update = zeropower_via_newtonschulz(update)
                p *= 1 - lr * weight_decay
                p += -adjust_lr(p.shape) * update
        return step
    return make


run("muon", [(4, 5), (1, 1), (8, 2)], muon(lr=0.02), {"lr": 0.02})
run("muon_options", [(5, 4), (1, 1), (2, 8)],
    muon(lr=0.01, weight_decay=0.05, momentum=0.9, nesterov=False, ns_steps=3, eps=1e-6, adjust_lr_fn="match_rms_adamw"),
    {"lr": 0.01, "weightDecay": 0.05, "momentum": 0.9, "nesterov": False, "nsSteps": 3, "eps": 1e-6, "adjustLrFn": "match_rms_adamw"})


# --- Lookahead -----------------------------------------------------------------------------------------------

def lookahead_sgd(k, alpha, lr, momentum):
    def make(params):
        """Lookahead (Zhang et al. 2019, Algorithm 1; optax.lookahead) over torch.optim.SGD's momentum rule."""
        slow = [p.copy() for p in params]
        bufs = [None for _ in params]
        count = [0]

        def step(grads):
            for i, (p, g) in enumerate(zip(params, grads)):
                bufs[i] = g.copy() if bufs[i] is None else momentum * bufs[i] + g
                p -= lr * bufs[i]
            count[0] += 1
            if count[0] % k == 0:
                for p, s in zip(params, slow):
                    s[...] = s + alpha * (p - s)
                    p[...] = s
        return step
    return make


run("lookahead_sgd", [(20,), (1,), (16,)], lookahead_sgd(5, 0.5, 0.05, 0.9), {"k": 5, "alpha": 0.5, "inner": {"lr": 0.05, "momentum": 0.9}})
run("lookahead_sgd_k3", [(20,), (1,), (16,)], lookahead_sgd(3, 0.8, 0.1, 0.5), {"k": 3, "alpha": 0.8, "inner": {"lr": 0.1, "momentum": 0.5}})


# --- SAM -----------------------------------------------------------------------------------------------------

def sam_case(name, rho, adaptive, lr, momentum):
    """davda54/sam, sam.py (first_step, second_step) over torch.optim.SGD's momentum rule: each step takes the
    gradient at θ, then at θ + e, and SGD steps from θ with the second."""
    p0, a, c = problem()
    p = p0.astype(np.float64)
    buf = None
    trajectory = []
    for _ in range(STEPS):
        g = gradient(p, a, c).astype(np.float64)
        w = np.abs(p) if adaptive else 1.0
        norm = np.linalg.norm(w * g)
        e = (p * p if adaptive else 1.0) * g * (rho / (norm + 1e-12))
        g2 = gradient(p + e, a, c).astype(np.float64)
        buf = g2.copy() if buf is None else momentum * buf + g2
        p = p - lr * buf
        trajectory.append([float(v) for v in p])
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump({"name": name, "options": {"rho": rho, "adaptive": adaptive, "inner": {"lr": lr, "momentum": momentum}},
                   "steps": STEPS, "reference": sam_case.__doc__.strip().splitlines()[0], "trajectory": trajectory}, f)


sam_case("sam_sgd", 0.05, False, 0.05, 0.9)
sam_case("sam_sgd_adaptive", 0.5, True, 0.05, 0.5)
