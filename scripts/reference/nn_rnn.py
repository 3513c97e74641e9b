"""Reference forward and backward passes of torch.nn.RNN, LSTM, GRU and Embedding, for test/nn-recurrent.test.ts.

Run with Debian's /usr/bin/python3 (python3-torch). Each case: the layer's options, the input (in the layer's
layout: [B, T, in] with batch_first, else [T, B, in]), the initial state h0 (and c0), the parameters (torch's
default initialization under a fixed seed), a projection R of the output; the loss is sum(output * R), so that
dOutput = R. Recorded: the output, the final state, and the gradients w.r.t. the input, h0 (c0) and every
parameter (float32). Truncated BPTT with k steps runs the sequence in chunks of k, the state detached in between.
"""
import json
import os

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "nn", "recurrent.json")
flat = lambda t: t.detach().reshape(-1).numpy().astype(np.float32).tolist()


def case(name, kind, in_size, hidden, steps, batch, seed, num_layers=1, bias=True, batch_first=True,
         return_sequences=True, tbptt=None, nonlinearity="tanh"):
    torch.manual_seed(seed)
    extra = {"nonlinearity": nonlinearity} if kind == "RNN" else {}
    layer = getattr(nn, kind)(in_size, hidden, num_layers=num_layers, bias=bias, batch_first=batch_first, **extra)
    rng = np.random.default_rng(seed)
    shape = (batch, steps, in_size) if batch_first else (steps, batch, in_size)
    x = torch.tensor(rng.uniform(-1, 1, size=shape).astype(np.float32), requires_grad=True)
    h0 = torch.tensor(rng.uniform(-0.5, 0.5, size=(num_layers, batch, hidden)).astype(np.float32), requires_grad=True)
    c0 = torch.tensor(rng.uniform(-0.5, 0.5, size=(num_layers, batch, hidden)).astype(np.float32), requires_grad=True)
    state = (h0, c0) if kind == "LSTM" else h0
    k = tbptt or steps
    outs = []
    for s in range(0, steps, k):
        chunk = x[:, s:s + k] if batch_first else x[s:s + k]
        out, state = layer(chunk, state)
        outs.append(out)
        if s + k < steps:
            state = tuple(t.detach() for t in state) if kind == "LSTM" else state.detach()
    out = torch.cat(outs, dim=1 if batch_first else 0)
    y = out if return_sequences else (out[:, -1] if batch_first else out[-1])
    r = torch.tensor(rng.uniform(-1, 1, size=tuple(y.shape)).astype(np.float32))
    (y * r).sum().backward()
    hn, cn = state if kind == "LSTM" else (state, None)
    options = {"numLayers": num_layers, "bias": bias, "batchFirst": batch_first, "returnSequences": return_sequences}
    if tbptt:
        options["tbptt"] = tbptt
    if kind == "RNN":
        options["nonlinearity"] = nonlinearity
    result = {
        "name": name, "kind": kind, "inputSize": in_size, "hiddenSize": hidden, "steps": steps, "batch": batch,
        "options": options, "input": flat(x), "h0": flat(h0), "projection": flat(r),
        "params": {n: flat(p) for n, p in layer.named_parameters()},
        "output": flat(y), "hN": flat(hn), "inputGrad": flat(x.grad), "h0Grad": flat(h0.grad),
        "paramGrads": {n: flat(p.grad) for n, p in layer.named_parameters()},
    }
    if kind == "LSTM":
        result.update({"c0": flat(c0), "cN": flat(cn), "c0Grad": flat(c0.grad)})
    return result


def embedding(name, num, dim, ids_shape, batch, seed):
    torch.manual_seed(seed)
    layer = nn.Embedding(num, dim)
    rng = np.random.default_rng(seed)
    ids = rng.integers(0, num, size=(batch, *ids_shape))
    y = layer(torch.tensor(ids))
    r = torch.tensor(rng.uniform(-1, 1, size=tuple(y.shape)).astype(np.float32))
    (y * r).sum().backward()
    return {"name": name, "kind": "Embedding", "num": num, "dim": dim, "idsShape": list(ids_shape), "batch": batch,
            "ids": ids.reshape(-1).tolist(), "params": {"weight": flat(layer.weight)}, "projection": flat(r),
            "output": flat(y), "paramGrads": {"weight": flat(layer.weight.grad)}}


CASES = [
    case("lstm", "LSTM", 3, 5, 4, 3, 1),
    case("lstm_h8_time_major", "LSTM", 4, 8, 5, 2, 2, batch_first=False),
    case("lstm_2_layers_no_bias", "LSTM", 3, 6, 4, 3, 3, num_layers=2, bias=False),
    case("lstm_last_step", "LSTM", 2, 5, 6, 4, 4, return_sequences=False),
    case("lstm_tbptt_2", "LSTM", 3, 5, 7, 2, 5, tbptt=2, num_layers=2),
    case("gru", "GRU", 3, 5, 4, 3, 6),
    case("gru_2_layers_time_major_no_bias", "GRU", 4, 8, 5, 2, 7, num_layers=2, bias=False, batch_first=False),
    case("gru_last_step_tbptt_3", "GRU", 2, 6, 7, 3, 8, return_sequences=False, tbptt=3),
    case("rnn_tanh", "RNN", 3, 5, 4, 3, 9),
    case("rnn_relu_2_layers", "RNN", 3, 7, 5, 2, 10, num_layers=2, nonlinearity="relu"),
    case("rnn_tanh_time_major_last_step_tbptt_2", "RNN", 2, 4, 6, 3, 11, batch_first=False, return_sequences=False, tbptt=2),
]
EMBEDDINGS = [embedding("embedding", 7, 5, (6,), 3, 12)]

if __name__ == "__main__":
    with open(OUT, "w") as f:
        json.dump({"torch": torch.__version__, "cases": CASES, "embeddings": EMBEDDINGS}, f)
    print(f"wrote {len(CASES) + len(EMBEDDINGS)} cases to {os.path.relpath(OUT)}")
