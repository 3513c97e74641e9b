"""PyTorch's figures for the Fashion-MNIST CNN recipe of the README (run with Debian's /usr/bin/python3, torch 1.13).

The same recipe as
  wasm-optim compare --data fashion-mnist --model cnn --epochs 3 --batch 64 --seeds 3 \
    --opt sgd:lr=0.05,momentum=0.9 --opt adam:lr=1e-3 --opt adamw:lr=1e-3,weightDecay=0.01 --opt rmsprop:lr=1e-3
the model Conv2d(1, 16, 3, padding 1) → ReLU → MaxPool2d(2) → Conv2d(16, 32, 3, padding 1) → ReLU → MaxPool2d(2) →
Flatten → Linear(32·7·7, 10), torch's default initialization, pixels scaled by 1/255, cross-entropy, a reshuffled
order per epoch, the same initial weights for every optimizer within a seed (the seed's torch.manual_seed). The
random streams differ from wasm-optim's, so the figures compare as distributions over seeds, not run by run.

  /usr/bin/python3 scripts/reference/fashion_cnn_torch.py [--epochs 3] [--seeds 3] [--limit n] [--threads 1]
writes bench/results/fashion-cnn-torch.json: per optimizer, per seed the final test loss and accuracy and the
seconds, and their mean and sample standard deviation.
"""
import argparse
import gzip
import json
import math
import os
import time

import numpy as np
import torch
from torch import nn

DATA = "/usr/share/datasets/fashion-mnist"
OUT = os.path.join(os.path.dirname(__file__), "..", "..", "bench", "results", "fashion-cnn-torch.json")
OPTIMIZERS = {
    "SGD (lr=0.05, momentum=0.9)": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "Adam (lr=1e-3)": lambda p: torch.optim.Adam(p, lr=1e-3),
    "AdamW (lr=1e-3, weightDecay=0.01)": lambda p: torch.optim.AdamW(p, lr=1e-3, weight_decay=0.01),
    "RMSprop (lr=1e-3)": lambda p: torch.optim.RMSprop(p, lr=1e-3),
}


def idx(name):
    with gzip.open(os.path.join(DATA, name + ".gz")) as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(32 * 7 * 7, 10),
    )


def evaluate(net, x, y):
    net.eval()
    with torch.no_grad():
        loss, correct = 0.0, 0
        for i in range(0, len(x), 1000):
            out = net(x[i:i + 1000])
            loss += nn.functional.cross_entropy(out, y[i:i + 1000], reduction="sum").item()
            correct += (out.argmax(1) == y[i:i + 1000]).sum().item()
    net.train()
    return loss / len(x), correct / len(x)


def stats(values):
    n = len(values)
    mean = sum(values) / n
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1)) if n > 1 else float("nan")
    return {"mean": mean, "sd": sd, "n": n}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--epochs", type=int, default=3)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--limit", type=int, default=0, help="train on the first n samples only (a smoke run)")
    ap.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    x = torch.from_numpy(idx("train-images-idx3-ubyte").astype(np.float32) / 255).unsqueeze(1)
    y = torch.from_numpy(idx("train-labels-idx1-ubyte").astype(np.int64))
    tx = torch.from_numpy(idx("t10k-images-idx3-ubyte").astype(np.float32) / 255).unsqueeze(1)
    ty = torch.from_numpy(idx("t10k-labels-idx1-ubyte").astype(np.int64))
    if args.limit:
        x, y = x[:args.limit], y[:args.limit]
    results = {}
    for name, make in OPTIMIZERS.items():
        runs = []
        for seed in range(args.seeds):
            torch.manual_seed(seed)
            net = model()
            opt = make(net.parameters())
            order = torch.Generator().manual_seed(seed)
            start = time.perf_counter()
            for _ in range(args.epochs):
                perm = torch.randperm(len(x), generator=order)
                for i in range(0, len(x), args.batch):
                    b = perm[i:i + args.batch]
                    opt.zero_grad()
                    nn.functional.cross_entropy(net(x[b]), y[b]).backward()
                    opt.step()
            seconds = time.perf_counter() - start
            loss, acc = evaluate(net, tx, ty)
            runs.append({"seed": seed, "testLoss": loss, "testAccuracy": acc, "seconds": seconds})
            print(f"{name} seed {seed}: test loss {loss:.4f}, accuracy {acc:.4f}, {seconds:.1f} s", flush=True)
        results[name] = {
            "runs": runs,
            "testLoss": stats([r["testLoss"] for r in runs]),
            "testAccuracy": stats([r["testAccuracy"] for r in runs]),
            "seconds": stats([r["seconds"] for r in runs]),
        }
    out = {
        "recipe": vars(args), "torch": torch.__version__, "threads": torch.get_num_threads(), "trainSamples": len(x),
        "results": results,
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT if not args.limit else OUT.replace(".json", "-smoke.json"), "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()
