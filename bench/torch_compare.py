# The PyTorch side of `npm run bench:compare`: the same work as wasm-optim's side, on the same data, shapes,
# batch order and thread count, run as a subprocess by bench/compare.bench.mjs with the BLAS the process finds
# (LD_LIBRARY_PATH chooses OpenBLAS for one run). Reads a job (JSON file named on the command line), prints one
# line of JSON.
#
#   job = { "threads": 2,
#           "steps": { "sizes": [1e5, ...], "optimizers": ["sgd", "sgd+momentum", "adam", "rmsprop"], "seconds": 1 },
#           "gemm": { "shapes": [[512, 512, 512]], "forms": ["nn", "tn", "nt"], "seconds": 1 },
#           "train": [{ "model": "mlp", "epochs": 10, "orderFile": "...", "dataDir": "...", "evalEvery": 1 }] }
#
# Times are medians of repeated calls (time.perf_counter); an epoch is timed from its first batch to its last
# optimizer step, the test accuracy is measured after it, outside the timed span, as on wasm-optim's side.
import gzip
import json
import os
import resource
import sys
import time

import numpy as np
import torch


def median(xs):
    s = sorted(xs)
    m = len(s) // 2
    return s[m] if len(s) % 2 else (s[m - 1] + s[m]) / 2


def timed(fn, seconds):
    """Median seconds per call of fn, called for about `seconds` after two warm-up calls."""
    fn(), fn()
    samples, spent = [], 0.0
    while spent < seconds or len(samples) < 5:
        t0 = time.perf_counter()
        fn()
        dt = time.perf_counter() - t0
        samples.append(dt)
        spent += dt
    return median(samples)


OPTIMIZERS = {
    "sgd": lambda p: torch.optim.SGD(p, lr=1e-3),
    "sgd+momentum": lambda p: torch.optim.SGD(p, lr=1e-3, momentum=0.9),
    "adam": lambda p: torch.optim.Adam(p, lr=1e-3),
    "rmsprop": lambda p: torch.optim.RMSprop(p, lr=1e-3),
}


def steps(job):
    rows = []
    for n in job["sizes"]:
        n = int(n)
        for name in job["optimizers"]:
            p = torch.nn.Parameter(torch.randn(n) * 0.1)
            p.grad = torch.randn(n) * 0.1
            opt = OPTIMIZERS[name]([p])
            s = timed(opt.step, job["seconds"])
            rows.append({"n": n, "optimizer": name, "secondsPerStep": s, "paramsPerSecond": n / s})
    return rows


def gemm(job):
    rows = []
    for m, n, k in job["shapes"]:
        for form in job["forms"]:
            a = torch.randn(k, m) if form[0] == "t" else torch.randn(m, k)
            b = torch.randn(n, k) if form[1] == "t" else torch.randn(k, n)
            op_a = (lambda: a.t()) if form[0] == "t" else (lambda: a)
            op_b = (lambda: b.t()) if form[1] == "t" else (lambda: b)
            s = timed(lambda: torch.mm(op_a(), op_b()), job["seconds"])
            rows.append({"form": form, "m": m, "n": n, "k": k, "gflops": 2 * m * n * k / s / 1e9})
    return rows


def idx(path):
    with gzip.open(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i : 8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def fashion(data_dir, model):
    shape = (-1, 784) if model == "mlp" else (-1, 1, 28, 28)
    load = lambda kind: (
        torch.from_numpy(idx(f"{data_dir}/{kind}-images-idx3-ubyte.gz").astype(np.float32) / 255).reshape(shape),
        torch.from_numpy(idx(f"{data_dir}/{kind}-labels-idx1-ubyte.gz").astype(np.int64)),
    )
    return load("train"), load("t10k")


def build(model):
    nn = torch.nn
    if model == "mlp":
        return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


def train(job):
    """Adam 1e-3, cross-entropy, batches of 128 in the order wasm-optim's loader used (one row per epoch)."""
    (x, y), (tx, ty) = fashion(job["dataDir"], job["model"])
    n = len(y)
    order = np.fromfile(job["orderFile"], dtype=np.int32).reshape(-1, n)
    torch.manual_seed(job.get("seed", 0))
    model = build(job["model"])
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = torch.nn.CrossEntropyLoss()
    epochs = []
    for e in range(job["epochs"]):
        perm = torch.from_numpy(order[e].astype(np.int64))
        model.train()
        t0 = time.perf_counter()
        for start in range(0, n, 128):
            i = perm[start : start + 128]
            opt.zero_grad()
            loss = loss_fn(model(x[i]), y[i])
            loss.backward()
            opt.step()
        seconds = time.perf_counter() - t0
        record = {"epoch": e + 1, "seconds": seconds, "loss": float(loss)}
        if (e + 1) % job.get("evalEvery", 1) == 0 or e + 1 == job["epochs"]:
            model.eval()
            with torch.no_grad():
                correct = sum(int((model(tx[s : s + 1000]).argmax(1) == ty[s : s + 1000]).sum()) for s in range(0, len(ty), 1000))
            record["testAccuracy"] = correct / len(ty)
        epochs.append(record)
    return {"model": job["model"], "epochs": epochs}


def blas():
    """The BLAS library this process loaded, from its memory map."""
    with open("/proc/self/maps") as f:
        libs = {line.split()[-1] for line in f if "blas" in line.lower()}
    return sorted(os.path.basename(p) for p in libs)


def main():
    with open(sys.argv[1]) as f:
        job = json.load(f)
    torch.set_num_threads(job["threads"])
    out = {"torch": torch.__version__, "threads": torch.get_num_threads()}
    if "steps" in job:
        out["steps"] = steps(job["steps"])
    if "gemm" in job:
        out["gemm"] = gemm(job["gemm"])
    if "train" in job:
        out["train"] = [train(t) for t in job["train"]]
    out["blas"] = blas()
    out["peakRssMiB"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(out))


main()
