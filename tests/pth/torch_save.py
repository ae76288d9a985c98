#!/usr/bin/python3
"""Re-saves the tensors of a safetensors file with the real torch.save, in the layout an official
training script uses, so that C++ tests load what researchers' files hold (not the project's own
writer). Runs with Debian's python3-torch (scripts/install-deps.sh).

Usage: torch_save.py IN.safetensors OUT.pth --layout LAYOUT [--legacy] [--half]
Layouts: state_dict (a bare OrderedDict), ezvsl (EZ-VSL/FNAC/SLAVC train.py: 'model' with DDP
'module.' prefixes, 'optimizer', 'epoch', numpy best scores), lvs ('model_state_dict').
"""
import argparse
import collections
import json
import struct

import numpy as np
import torch

DTYPES = {"F32": torch.float32, "F16": torch.float16, "BF16": torch.bfloat16, "F64": torch.float64,
          "I64": torch.int64, "I32": torch.int32, "I8": torch.int8, "U8": torch.uint8,
          "BOOL": torch.bool}


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length])
    body = data[8 + length:]
    tensors = collections.OrderedDict()
    for name, entry in header.items():
        if name == "__metadata__":
            continue
        begin, end = entry["data_offsets"]
        raw = bytearray(body[begin:end])
        dtype = DTYPES[entry["dtype"]]
        t = torch.frombuffer(raw, dtype=dtype) if raw else torch.empty(0, dtype=dtype)
        tensors[name] = t.reshape(entry["shape"]).clone()
    return tensors


def as_state_dict(tensors, prefix=""):
    sd = collections.OrderedDict((prefix + k, v) for k, v in tensors.items())
    sd._metadata = collections.OrderedDict([("", {"version": 1})])  # what Module.state_dict() sets
    return sd


def optimizer_state(tensors):
    params = [torch.nn.Parameter(t.float().clone()) for t in tensors.values() if t.is_floating_point()]
    opt = torch.optim.Adam(params, lr=1e-4)
    sum(p.sum() for p in params).backward()
    opt.step()
    return opt.state_dict()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("src")
    ap.add_argument("out")
    ap.add_argument("--layout", default="state_dict", choices=["state_dict", "ezvsl", "lvs"])
    ap.add_argument("--legacy", action="store_true")
    ap.add_argument("--half", action="store_true")
    args = ap.parse_args()
    tensors = read_safetensors(args.src)
    if args.half:
        tensors = collections.OrderedDict(
            (k, v.half() if v.is_floating_point() else v) for k, v in tensors.items())
    if args.layout == "state_dict":
        obj = as_state_dict(tensors)
    elif args.layout == "ezvsl":
        obj = {"model": as_state_dict(tensors, "module."), "optimizer": optimizer_state(tensors),
               "epoch": 20, "best_cIoU": np.float64(0.3812), "best_Auc": np.float64(0.4021)}
    else:
        obj = {"epoch": 3, "model_state_dict": as_state_dict(tensors),
               "optimizer_state_dict": optimizer_state(tensors)}
    torch.save(obj, args.out, _use_new_zipfile_serialization=not args.legacy)


if __name__ == "__main__":
    main()
