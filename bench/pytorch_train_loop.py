#!/usr/bin/env python3
"""PyTorch (Python) training loop of Heardmap's models, for the speed comparison with
`heardmap-train-bench --model-only`: the same architecture (ResNet-18 trunks with torchvision /
EZ-VSL names; compact = half width, D = 128, 160 px; small = 3/8 width, D = 128, 160 px;
full = width 64, D = 512, 224 px; LVS with a
stride-1 layer4), the same losses (core of trainer/EzvslObjective.cpp), the same batch and
precision (bf16 autocast on CUDA), random device-resident inputs and Adam. Prints one markdown row
per method, like the C++ bench.

Usage: python3 bench/pytorch_train_loop.py [--variant compact|small|full] [--batch N] [--steps N]
                                           [--runs N] [--precision bf16|fp32]
                                           [--methods "ezvsl lvs marginnce fnac sslsan"]
"""
import argparse
import contextlib
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.downsample = None
        if stride != 1 or cin != cout:
            self.downsample = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False),
                                            nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        identity = x if self.downsample is None else self.downsample(x)
        return F.relu(out + identity)


class Trunk(nn.Module):
    def __init__(self, cin, width, layer4_stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, width, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        widths = [width, width, 2 * width, 4 * width, 8 * width]
        strides = [1, 2, 2, layer4_stride]
        for i in range(4):
            layer = nn.Sequential(BasicBlock(widths[i], widths[i + 1], strides[i]),
                                  BasicBlock(widths[i + 1], widths[i + 1], 1))
            setattr(self, "layer%d" % (i + 1), layer)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 3, 2, 1)
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class EzvslNet(nn.Module):
    def __init__(self, width, dim, layer4_stride, image_dropout):
        super().__init__()
        self.imgnet = Trunk(3, width, layer4_stride)
        self.img_proj = nn.Conv2d(8 * width, dim, 1)
        self.audnet = Trunk(1, width, layer4_stride)
        self.aud_proj = nn.Linear(8 * width, dim)
        self.image_dropout = image_dropout

    def encode_image(self, image):
        features = self.imgnet(image)
        if self.image_dropout > 0 and self.training:
            features = F.dropout(features, self.image_dropout, True)
        return F.normalize(self.img_proj(features), dim=1)

    def encode_audio(self, spectrogram):
        a = self.audnet(spectrogram).amax(dim=(2, 3))
        return F.normalize(self.aud_proj(a), dim=1)


def ezvsl_loss(v, a, tau, margin=0.0):
    batch = v.size(0)
    cosines = torch.einsum("ndhw,md->nmhw", v, a).flatten(2).max(2).values
    if margin != 0.0:
        cosines = cosines - margin * torch.eye(batch, a.size(0), device=v.device,
                                               dtype=cosines.dtype)
    logits = cosines / tau
    labels = torch.arange(batch, device=v.device)
    return F.cross_entropy(logits, labels) + F.cross_entropy(logits[:, :batch].t(), labels)


def fnac_loss(v, a, tau, lam):
    similarity = torch.einsum("ndhw,md->nmhw", v, a).flatten(2)
    logits = similarity.max(2).values / tau
    audio_affinity = a @ a.t() / tau
    visual_mean = v.flatten(2).mean(2)
    visual_affinity = visual_mean @ visual_mean.t() / tau
    own = similarity.diagonal(0, 0, 1).t()
    low = own.min(1, keepdim=True).values
    high = own.max(1, keepdim=True).values
    mask = ((own - low) / (high - low + 1e-5) > 0.6).to(v.dtype)
    foreground = (v.flatten(2) * mask.unsqueeze(1)).mean(2)
    foreground_affinity = foreground @ foreground.t() / tau

    def rows(t):
        return F.softmax(t, dim=1)

    fns1 = (rows(audio_affinity) - rows(logits)).abs().mean()
    fns2 = (rows(visual_affinity) - rows(logits)).abs().mean()
    tne = (rows(audio_affinity) - rows(foreground_affinity)).abs().mean()
    return ezvsl_loss(v, a, tau) + lam * (fns1 + tne + fns2)


def lvs_loss(v, a, eps_p=0.65, eps_n=0.4, tau_trimap=0.03, tau=0.07):
    batch = v.size(0)
    similarity = torch.einsum("ndhw,md->nmhw", v, a).flatten(2)

    def weighted(log_weights):
        return (F.softmax(log_weights, dim=2) * similarity).sum(2)

    positive = weighted(F.logsigmoid((similarity - eps_p) / tau_trimap))
    hard = weighted(F.logsigmoid(-(similarity - eps_n) / tau_trimap)).diagonal()
    eye = torch.eye(batch, dtype=torch.bool, device=v.device)
    others = positive.masked_select(~eye).view(batch, batch - 1)
    logits = torch.cat([positive.diagonal().unsqueeze(1), others, hard.unsqueeze(1)], 1) / tau
    return F.cross_entropy(logits, torch.zeros(batch, dtype=torch.long, device=v.device))


def model_step_rate(method, variant, batch, steps, precision, device, warmup=3):
    width, dim, size = {"compact": (32, 128, 160), "small": (24, 128, 160),
                        "full": (64, 512, 224)}[variant]
    net = EzvslNet(width, dim, 1 if method == "lvs" else 2,
                   0.9 if method == "fnac" else 0.0).to(device)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)
    extra = round(0.25 * batch) if method == "sslsan" else 0
    images = torch.randn(batch, 3, size, size, device=device)
    spectrograms = torch.randn(batch + extra, 1, 257, 200, device=device)
    mixed = device.type == "cuda" and precision == "bf16"
    tau = 0.03

    def step():
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if mixed
                    else contextlib.nullcontext())
        with autocast:
            v = net.encode_image(images)
            a = net.encode_audio(spectrograms)
            if method == "lvs":
                loss = lvs_loss(v, a)
            elif method == "fnac":
                loss = fnac_loss(v, a, tau, 100.0)
            elif method == "marginnce":
                loss = ezvsl_loss(v, a, tau, -0.2)
            else:
                loss = ezvsl_loss(v, a, tau)
        optimizer.zero_grad(set_to_none=True)
        loss.float().backward()
        optimizer.step()

    for _ in range(warmup):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return steps * batch / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variant", default="compact", choices=["compact", "small", "full"])
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--steps", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--precision", default="bf16", choices=["bf16", "fp32"])
    parser.add_argument("--methods", default="ezvsl lvs marginnce fnac sslsan")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cudnn.benchmark = True  # as the C++ trainer
    torch.set_num_threads(args.threads)
    label = ("cuda, " + ("bf16 autocast" if args.precision == "bf16" else "fp32")
             if device.type == "cuda" else "cpu (%d threads), fp32" % args.threads)
    print("| method | variant | device | batch | PyTorch model-step samples/s "
          "(median of %d runs of %d steps) |" % (args.runs, args.steps))
    print("|---|---|---|---:|---:|")
    for method in args.methods.split():
        rates = [model_step_rate(method, args.variant, args.batch, args.steps, args.precision,
                                 device) for _ in range(args.runs)]
        print("| %s | %s | %s | %d | %.1f |" % (method, args.variant, label, args.batch,
                                                statistics.median(rates)), flush=True)


if __name__ == "__main__":
    main()
