"""A PyTorch model saved as safetensors, for test/train-safetensors.test.ts (run with /usr/bin/python3).

Builds nn.Sequential(Linear(6, 5), BatchNorm1d(5), ReLU(), Linear(5, 3)) with seeded weights, trains it a few
steps so that BatchNorm's running statistics and num_batches_tracked are not their defaults, and writes
  test/data/train/torch_mlp.safetensors   model.state_dict() in the safetensors format
  test/data/train/torch_mlp.json          inputs and the model's outputs in eval mode
The safetensors Python package is not on the machine, so the file is written here following the format spec
(8-byte little-endian header length, JSON header with dtype/shape/data_offsets, raw little-endian data); the
test also reads files written by hand, and the writer below is the same layout save_file produces: tensors sorted
by dtype size (descending) then name, the header padded with spaces to a multiple of 8.
"""
import json
import os
import struct

import torch

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "test", "data", "train")
DTYPES = {torch.float32: ("F32", 4), torch.int64: ("I64", 8), torch.float64: ("F64", 8), torch.float16: ("F16", 2)}


def save_file(tensors, path, metadata=None):
    order = sorted(tensors.items(), key=lambda kv: (-DTYPES[kv[1].dtype][1], kv[0]))
    header, chunks, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, t in order:
        data = t.contiguous().numpy().astype(t.numpy().dtype.newbyteorder("<")).tobytes()
        header[name] = {"dtype": DTYPES[t.dtype][0], "shape": list(t.shape), "data_offsets": [offset, offset + len(data)]}
        chunks.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(chunks))


def main():
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(6, 5), torch.nn.BatchNorm1d(5), torch.nn.ReLU(), torch.nn.Linear(5, 3))
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for _ in range(3):
        x = torch.randn(8, 6)
        loss = model(x).square().mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    inputs = torch.randn(4, 6)
    with torch.no_grad():
        outputs = model(inputs)
    os.makedirs(OUT, exist_ok=True)
    save_file(model.state_dict(), os.path.join(OUT, "torch_mlp.safetensors"), {"format": "pt"})
    with open(os.path.join(OUT, "torch_mlp.json"), "w") as f:
        json.dump({
            "torch": torch.__version__,
            "inputs": inputs.flatten().tolist(),
            "outputs": outputs.flatten().tolist(),
            "state": {k: v.flatten().tolist() for k, v in model.state_dict().items()},
        }, f, indent=1)


if __name__ == "__main__":
    main()
