#!/usr/bin/python3
"""Writes .pth files with the real torch.save (Debian's python3-torch and python3-torchvision) in
every layout and format that Heardmap reads, some that it must refuse, and expected.json with what
each holds, for tests/core/tst_Pth.cpp. Usage: make_pth_fixtures.py OUTDIR
"""
import argparse
import collections
import json
import os
import pathlib
import sys

import numpy as np
import torch
import torchvision
import zipfile

NAMES = {torch.float32: "F32", torch.float16: "F16", torch.bfloat16: "BF16", torch.float64: "F64",
         torch.int64: "I64", torch.int32: "I32", torch.int8: "I8", torch.uint8: "U8",
         torch.bool: "BOOL"}


class Small(torch.nn.Module):
    """Conv + BatchNorm (with an int64 buffer) + Linear: the kinds of entries a state dict has."""

    def __init__(self):
        super().__init__()
        self.conv = torch.nn.Conv2d(3, 4, 3)
        self.bn = torch.nn.BatchNorm2d(4)
        self.fc = torch.nn.Linear(4, 2)


class Evil:
    """Runs a shell command when unpickled by pickle itself: must be refused, never called."""

    def __reduce__(self):
        return (os.system, ("touch /tmp/heardmap-pth-was-executed",))


def describe(tensors, full=True):
    out = {}
    for name, t in tensors.items():
        t = t.detach()
        entry = {"dtype": NAMES[t.dtype], "shape": list(t.shape),
                 "sum": float(t.double().sum())}
        values = t.double().flatten().tolist()
        entry["values"] = values if full else values[:16]
        out[name] = entry
    return out


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    net = Small()
    with torch.no_grad():  # non-trivial buffers
        net.bn.running_mean.uniform_(-1, 1)
        net.bn.running_var.uniform_(0.5, 2)
        net.bn.num_batches_tracked.fill_(7)
    sd = net.state_dict()
    opt = torch.optim.Adam(net.parameters(), lr=1e-4)
    net.fc(net.bn(net.conv(torch.randn(1, 3, 5, 5))).mean((2, 3))).sum().backward()
    opt.step()
    expected = {}

    def save(name, obj, weights, legacy=False, key="", prefix="", skipped=(), full=True):
        torch.save(obj, os.path.join(out, name), _use_new_zipfile_serialization=not legacy)
        expected[name] = {"format": "legacy" if legacy else "zip", "weights_key": key,
                          "prefix": prefix, "skipped": list(skipped),
                          "tensors": describe(weights, full)}

    def refuse(name, obj, message, legacy=False):
        torch.save(obj, os.path.join(out, name), _use_new_zipfile_serialization=not legacy)
        expected[name] = {"error": message}

    ddp = torch.nn.DataParallel(net).state_dict()  # real "module." keys
    ezvsl = {"model": ddp, "optimizer": opt.state_dict(), "epoch": 20,
             "best_cIoU": np.float64(0.3812), "best_Auc": np.float64(0.4021),
             "curve": np.arange(3.0)}
    for legacy in (False, True):
        tag = "_legacy" if legacy else ""
        save(f"plain{tag}.pth", sd, sd, legacy)
        save(f"ezvsl_ddp{tag}.pth", ezvsl, sd, legacy, key="model", prefix="module.")
        save(f"lvs{tag}.pth", {"epoch": 3, "model_state_dict": sd,
                               "optimizer_state_dict": opt.state_dict()}, sd, legacy,
             key="model_state_dict")
    save("state_dict_args.pth",
         {"state_dict": sd, "args": argparse.Namespace(lr=1e-4, arch="resnet18", dirs=[1, 2]),
          "out_dir": pathlib.PosixPath("/tmp/run"), "classes": {"a", "b"}},
         sd, key="state_dict")
    # torch.compile wraps keys in "_orig_mod." (torch 2.x); DDP around it adds "module." too.
    compiled = collections.OrderedDict(("module._orig_mod." + k, v) for k, v in sd.items())
    save("compiled_ddp.pth", {"model": compiled}, sd, key="model", prefix="module._orig_mod.")
    params = collections.OrderedDict([
        ("w", torch.nn.Parameter(torch.randn(3, 2))),
        ("frozen", torch.nn.Parameter(torch.randn(2), requires_grad=False))])
    save("parameters.pth", params, params)
    # Every storage dtype; int16 and complex have no counterpart and are skipped by name.
    dtypes = collections.OrderedDict(
        [("f32", torch.randn(2, 3)), ("f16", torch.randn(5).half()),
         ("bf16", torch.randn(4).bfloat16()), ("f64", torch.randn(3).double()),
         ("i64", torch.arange(-3, 3)), ("i32", torch.arange(4, dtype=torch.int32)),
         ("i8", torch.tensor([-128, 0, 127], dtype=torch.int8)),
         ("u8", torch.tensor([0, 200, 255], dtype=torch.uint8)),
         ("flag", torch.tensor([True, False]))])
    with_skipped = collections.OrderedDict(dtypes)
    with_skipped["i16"] = torch.arange(3, dtype=torch.int16)
    with_skipped["c64"] = torch.randn(2, dtype=torch.complex64)
    for legacy in (False, True):
        save("dtypes" + ("_legacy" if legacy else "") + ".pth", with_skipped, dtypes, legacy,
             skipped=["i16", "c64"])
    # Views into one shared storage: offsets, transposes, steps, a 0-d element, empty, expanded.
    base = torch.arange(24.0)
    views = collections.OrderedDict(
        [("slice", base[2:8].view(2, 3)), ("transposed", base.view(4, 6).t()),
         ("stepped", base[::5]), ("middle", base.view(2, 3, 4)[:, 1, :]),
         ("element", base[5]), ("empty", base[:0].view(0, 3)),
         ("expanded", base[3:6].view(1, 3).expand(4, 3)), ("whole", base)])
    for legacy in (False, True):
        save("views" + ("_legacy" if legacy else "") + ".pth", views, views, legacy)
    resnet = torchvision.models.resnet18().state_dict()
    save("resnet18.pth", resnet, resnet, full=False)
    # What must be refused, with the global's name or the reason.
    refuse("evil.pth", {"model": sd, "x": Evil()}, "posix.system")
    refuse("evil_legacy.pth", {"model": sd, "x": Evil()}, "posix.system", legacy=True)
    refuse("whole_model.pth", net, "__main__.Small")
    refuse("optimizer_only.pth", {"optimizer": opt.state_dict(), "epoch": 1}, "no tensors")
    torch.jit.save(torch.jit.script(torch.nn.Linear(2, 2)), os.path.join(out, "scripted.pt"))
    expected["scripted.pt"] = {"error": "TorchScript"}
    # Zip archives repacked by hand: a storage record cut to 10 and to 0 bytes, and deflated entries.
    def repack(name, message, edit, compression=zipfile.ZIP_STORED):
        with zipfile.ZipFile(os.path.join(out, "plain.pth")) as src, \
                zipfile.ZipFile(os.path.join(out, name), "w", compression) as dst:
            for info in src.infolist():
                dst.writestr(info.filename, edit(info.filename, src.read(info.filename)))
        expected[name] = {"error": message}
    repack("short_record.pth", "truncated record",
           lambda n, b: b[:10] if n.endswith("data/0") else b)
    repack("empty_record.pth", "truncated record",
           lambda n, b: b"" if n.endswith("data/0") else b)
    repack("deflated.pth", "compressed", lambda n, b: b, zipfile.ZIP_DEFLATED)
    with open(os.path.join(out, "expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
    print(f"make_pth_fixtures: {len(expected)} files in {out} (torch {torch.__version__})")


if __name__ == "__main__":
    main()
