"""Reference forward and backward passes of small models in PyTorch, for test/nn-pytorch.test.ts.

Run with Debian's /usr/bin/python3 (python3-torch). For each case it writes the model description, the input,
the parameters (torch's default initialization under a fixed seed), the target, and what PyTorch computes: the
output, the mean loss, the gradient of the loss w.r.t. the input and every parameter (float32).
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "nn", "pytorch_models.json")


def build(spec):
    layers = []
    for kind, *args in spec:
        if kind == "Linear":
            layers.append(nn.Linear(args[0], args[1], bias=args[2] if len(args) > 2 else True))
        elif kind == "LeakyReLU":
            layers.append(nn.LeakyReLU(args[0]))
        elif kind == "Softmax":
            layers.append(nn.Softmax(dim=-1))
        elif kind == "Flatten":
            layers.append(nn.Flatten())
        else:
            layers.append(getattr(nn, kind)())
    return nn.Sequential(*layers)


def case(name, spec, input_shape, batch, loss, seed):
    torch.manual_seed(seed)
    model = build(spec)
    rng = np.random.default_rng(seed)
    x = torch.tensor(rng.uniform(-2, 2, size=(batch, *input_shape)).astype(np.float32), requires_grad=True)
    y = model(x)
    if loss == "CrossEntropyLoss":
        target = rng.integers(0, y.shape[-1], size=batch)
        value = nn.CrossEntropyLoss()(y, torch.tensor(target))
        target_json = {"labels": target.tolist()}
    else:
        t = rng.uniform(0, 1, size=tuple(y.shape)).astype(np.float32)
        value = getattr(nn, loss)()(y, torch.tensor(t))
        target_json = {"values": t.reshape(-1).tolist()}
    value.backward()
    flat = lambda t: t.detach().reshape(-1).numpy().astype(np.float32).tolist()
    return {
        "name": name,
        "layers": spec,
        "inputShape": list(input_shape),
        "batch": batch,
        "loss": loss,
        "input": flat(x),
        "params": {n: flat(p) for n, p in model.named_parameters()},
        "target": target_json,
        "output": flat(y),
        "lossValue": float(value),
        "inputGrad": flat(x.grad),
        "paramGrads": {n: flat(p.grad) for n, p in model.named_parameters()},
    }


CASES = [
    ("relu_gelu_cross_entropy", [["Linear", 6, 8], ["ReLU"], ["Linear", 8, 8], ["GELU"], ["Linear", 8, 4]], (6,), 5, "CrossEntropyLoss", 1),
    ("tanh_sigmoid_mse", [["Linear", 3, 5], ["Tanh"], ["Linear", 5, 5], ["Sigmoid"], ["Linear", 5, 2]], (3,), 4, "MSELoss", 2),
    ("leaky_relu_bce", [["Linear", 4, 6], ["LeakyReLU", 0.2], ["Linear", 6, 3]], (4,), 6, "BCEWithLogitsLoss", 3),
    ("softmax_mse", [["Linear", 4, 5], ["Softmax"]], (4,), 3, "MSELoss", 4),
    ("flatten_no_bias_cross_entropy", [["Flatten"], ["Linear", 12, 3, False]], (2, 2, 3), 4, "CrossEntropyLoss", 5),
    ("linear_on_leading_dims_mse", [["Linear", 4, 3], ["ReLU"]], (3, 4), 2, "MSELoss", 6),
]

if __name__ == "__main__":
    data = [case(*c) for c in CASES]
    with open(OUT, "w") as f:
        json.dump(data, f)
    print(f"wrote {len(data)} cases to {os.path.relpath(OUT)}")
