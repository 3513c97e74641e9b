"""Reference passes of the spatial layers in PyTorch, for test/nn-spatial-torch.test.ts.

Run with Debian's /usr/bin/python3 (python3-torch). Each case fixes its input, parameters and upstream gradient dy
(seeded normals, float32), runs torch's layer forward, then backward of sum(y * dy), and records the output, the
input and parameter gradients, and for BatchNorm the running statistics after a few training steps and an eval
pass.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "nn", "spatial_layers.json")


def normals(shape, seed):
    return np.random.default_rng(seed).standard_normal(shape).astype(np.float32)


def flat(t):
    return t.detach().reshape(-1).numpy().astype(np.float32).tolist()


def pass_(layer, x, seed, training=True):
    """One forward/backward: the input, dy, output and gradients (parameter gradients zeroed first)."""
    layer.train(training)
    layer.zero_grad()
    xt = torch.tensor(x, requires_grad=True)
    y = layer(xt)
    dy = normals(tuple(y.shape), seed)
    y.backward(torch.tensor(dy))
    return {
        "training": training,
        "input": x.reshape(-1).tolist(),
        "dy": dy.reshape(-1).tolist(),
        "output": flat(y),
        "dx": flat(xt.grad),
        "grads": {name: flat(p.grad) for name, p in layer.named_parameters()},
    }


def with_params(layer, seed):
    """Parameters 0.5 N(0, 1), plus 1 for BatchNorm's weight (γ around 1)."""
    norm = isinstance(layer, nn.modules.batchnorm._BatchNorm)
    with torch.no_grad():
        for i, (name, p) in enumerate(layer.named_parameters()):
            centre = 1.0 if norm and name == "weight" else 0.0
            p.copy_(torch.tensor(normals(tuple(p.shape), seed + i) * 0.5 + centre))
    return layer


def state(layer):
    return {name: flat(b) for name, b in layer.named_buffers()}


def case(name, layer, options, input_shape, batch, seed, steps=1, eval_pass=False):
    layer = with_params(layer, seed)
    params = {n: flat(p) for n, p in layer.named_parameters()}
    passes = [pass_(layer, normals((batch, *input_shape), seed + 10 + s) * 2 + s, seed + 20 + s) for s in range(steps)]
    if eval_pass:
        passes.append(pass_(layer, normals((batch, *input_shape), seed + 30), seed + 31, training=False))
    return {"name": name, "layer": options, "inputShape": list(input_shape), "batch": batch, "params": params,
            "passes": passes, "state": state(layer)}


def main():
    torch.set_num_threads(1)
    cases = [
        case("Conv2d 3→4, kernel 3×2, stride 2×1, padding 1",
             nn.Conv2d(3, 4, (3, 2), stride=(2, 1), padding=1),
             {"kind": "Conv2d", "inChannels": 3, "outChannels": 4, "kernelSize": [3, 2], "stride": [2, 1], "padding": 1},
             (3, 7, 6), 2, 1),
        case("Conv2d 2→3, kernel 1, no bias",
             nn.Conv2d(2, 3, 1, bias=False),
             {"kind": "Conv2d", "inChannels": 2, "outChannels": 3, "kernelSize": 1, "bias": False},
             (2, 4, 5), 3, 2),
        case("MaxPool2d 3, stride 2, padding 1",
             nn.MaxPool2d(3, 2, 1),
             {"kind": "MaxPool2d", "kernelSize": 3, "stride": 2, "padding": 1},
             (2, 7, 9), 2, 3),
        case("AvgPool2d 3, stride 2, padding 1",
             nn.AvgPool2d(3, 2, 1),
             {"kind": "AvgPool2d", "kernelSize": 3, "stride": 2, "padding": 1},
             (2, 7, 9), 2, 4),
        case("AvgPool2d 3, stride 2, padding 1, count_include_pad=False",
             nn.AvgPool2d(3, 2, 1, count_include_pad=False),
             {"kind": "AvgPool2d", "kernelSize": 3, "stride": 2, "padding": 1, "countIncludePad": False},
             (2, 7, 9), 2, 5),
        case("BatchNorm2d, 3 training steps then eval",
             nn.BatchNorm2d(3),
             {"kind": "BatchNorm2d", "numFeatures": 3},
             (3, 5, 4), 4, 6, steps=3, eval_pass=True),
        case("BatchNorm1d, momentum None, eps 1e-3, 3 training steps then eval",
             nn.BatchNorm1d(5, eps=1e-3, momentum=None),
             {"kind": "BatchNorm1d", "numFeatures": 5, "eps": 1e-3, "momentum": None},
             (5,), 6, 7, steps=3, eval_pass=True),
        case("BatchNorm1d on [C, L], momentum 0.3",
             nn.BatchNorm1d(4, momentum=0.3),
             {"kind": "BatchNorm1d", "numFeatures": 4, "momentum": 0.3},
             (4, 3), 3, 8, steps=2, eval_pass=True),
    ]
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": cases}, f)


if __name__ == "__main__":
    main()
