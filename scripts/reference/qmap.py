"""bitsandbytes' dynamic quantization maps, computed as bitsandbytes computes them (float32 torch), for
test/data/optim/qmap.json (run with Debian's /usr/bin/python3 and python3-torch).

A transcription of `create_dynamic_map(signed, max_exponent_bits=7, total_bits=8)` in
bitsandbytes/functional.py (bitsandbytes-foundation/bitsandbytes, commit 95f9af3): for each exponent level
i = 0..6, the midpoints of a float32 linspace(0.1, 1) with 2^i + 1 points (signed) or 2^(i+1) + 1 points
(unsigned), scaled by 10^(i - 6), with their negatives when signed; then 0 and 1; sorted. The signed map is the
one bitsandbytes' 8-bit optimizers use for the first moment (and SGD's momentum), the unsigned one for Adam's
second moment (bitsandbytes/optim/optimizer.py: `name2qmap["dynamic"]`, `name2qmap["udynamic"]`).
"""
import json
import os

import torch


def dynamic_map(signed):
    data = []
    for i in range(7):
        items = 2 ** i + 1 if signed else 2 ** (i + 1) + 1
        boundaries = torch.linspace(0.1, 1, items, dtype=torch.float32)
        means = (boundaries[:-1] + boundaries[1:]) / 2.0
        data += ((10 ** (i - 6)) * means).tolist()
        if signed:
            data += (-(10 ** (i - 6)) * means).tolist()
    data += [0, 1.0]
    assert len(data) == 256
    data.sort()
    return torch.tensor(data, dtype=torch.float32).tolist()


out = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "optim", "qmap.json")
with open(out, "w") as f:
    json.dump({"signed": dynamic_map(True), "unsigned": dynamic_map(False)}, f)
    f.write("\n")
