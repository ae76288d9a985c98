#!/usr/bin/env python3
"""PyTorch (Python) training loop of Heardmap's models, for the speed comparison with
`heardmap-train-bench --model-only`: the same architecture (ResNet-18 trunks with torchvision /
EZ-VSL names; compact = half width, D = 128, 160 px; small = 3/8 width, D = 128, 160 px;
full = width 64, D = 512, 224 px; LVS and SSPL with a stride-1 layer4; SSPL's predictive coding
module, attention pooling, SimSiam heads and batched two-view augmentation as core/ml/EzvslNet.h
and trainer/TrainingMethod.cpp), the same losses (trainer/EzvslObjective.cpp), the same batch and
precision (bf16 autocast on CUDA), random device-resident inputs and Adam. Prints one markdown row
per method, like the C++ bench.

Usage: python3 bench/pytorch_train_loop.py [--variant compact|small|full] [--batch N] [--steps N]
                                           [--runs N] [--precision bf16|fp32] [--channels-last]
                                           [--image-padding zeros|circular]
                                           [--methods "ezvsl lvs marginnce fnac sslsan sspl"]
"""
import argparse
import contextlib
import statistics
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, cin, cout, stride, padding_mode="zeros"):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False, padding_mode=padding_mode)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False, padding_mode=padding_mode)
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
    def __init__(self, cin, width, layer4_stride, padding_mode="zeros"):
        super().__init__()
        self.circular = padding_mode == "circular"
        self.conv1 = nn.Conv2d(cin, width, 7, 2, 3, bias=False, padding_mode=padding_mode)
        self.bn1 = nn.BatchNorm2d(width)
        widths = [width, width, 2 * width, 4 * width, 8 * width]
        strides = [1, 2, 2, layer4_stride]
        for i in range(4):
            layer = nn.Sequential(
                BasicBlock(widths[i], widths[i + 1], strides[i], padding_mode),
                BasicBlock(widths[i + 1], widths[i + 1], 1, padding_mode))
            setattr(self, "layer%d" % (i + 1), layer)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)))
        if self.circular:
            x = F.max_pool2d(F.pad(x, (1, 1, 1, 1), mode="circular"), 3, 2, 0)
        else:
            x = F.max_pool2d(x, 3, 2, 1)
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class PredictiveCoding(nn.Module):
    """SSPL's predictive coding module as core/ml/EzvslNet.h builds it."""

    def __init__(self, c, d, cycles=4):
        super().__init__()
        self.cycles = cycles
        self.down1 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.down2 = nn.Conv2d(c, c, 3, padding=1, bias=False)
        self.to_audio = nn.Conv2d(c, d, 1)
        self.up_audio = nn.ConvTranspose2d(d, c, 1, bias=False)
        self.up2 = nn.ConvTranspose2d(c, c, 3, stride=2, bias=False)
        self.up1 = nn.ConvTranspose2d(c, c, 3, padding=1, bias=False)
        self.out = nn.ConvTranspose2d(c, c, 1)
        self.rates = nn.ParameterList([nn.Parameter(torch.ones(1, c, 1, 1)) for _ in range(3)])
        self.blends = nn.ParameterList(
            [nn.Parameter(torch.full((1, c, 1, 1), 0.5)) for _ in range(3)])
        self.norms = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(3 * cycles)])
        self.blend_norms = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(3 * cycles)])

    def step(self, t, level, predicted, error):
        i = 3 * t + level
        updated = F.gelu(self.norms[i](predicted + F.relu(self.rates[level]) * error))
        b = F.relu(self.blends[level])
        return F.gelu(self.blend_norms[i]((1 - b) * updated + b * predicted))

    def forward(self, visual, audio):
        r0 = visual
        r1 = F.max_pool2d(self.down1(r0), 2)
        r2 = F.max_pool2d(self.down2(r1), 2)
        for t in range(self.cycles):
            p1 = F.max_pool2d(self.down1(r0), 2)
            p2 = F.max_pool2d(self.down2(r1), 2)
            error = (audio - self.to_audio(r2).mean((2, 3)))[:, :, None, None]
            r2 = self.step(t, 2, p2, self.up_audio(error.expand(-1, -1, p2.size(2), p2.size(3))))
            e1 = F.interpolate(self.up2(r2 - p2), size=p1.shape[2:], mode="bilinear",
                               align_corners=False)
            r1 = self.step(t, 1, p1, e1)
            e0 = F.interpolate(r1 - p1, size=visual.shape[2:], mode="bilinear",
                               align_corners=False)
            r0 = self.step(t, 0, visual, self.up1(e0))
        return self.out(r0)


class EzvslNet(nn.Module):
    def __init__(self, width, dim, layer4_stride, image_dropout, sspl=False,
                 image_padding="zeros"):
        super().__init__()
        self.imgnet = Trunk(3, width, layer4_stride, image_padding)
        self.img_proj = nn.Conv2d(8 * width, dim, 1)
        self.audnet = Trunk(1, width, layer4_stride)
        self.aud_proj = nn.Linear(8 * width, dim)
        self.image_dropout = image_dropout
        self.sspl = sspl
        if sspl:
            c = 8 * width
            p = 4 * c
            self.pcm = PredictiveCoding(c, dim)
            self.aud_fc = nn.Sequential(nn.Linear(dim, c), nn.ReLU(), nn.Linear(c, c))
            self.sspl_projector = nn.Sequential(
                nn.Linear(c, p), nn.BatchNorm1d(p), nn.ReLU(), nn.Linear(p, p),
                nn.BatchNorm1d(p), nn.ReLU(), nn.Linear(p, p), nn.BatchNorm1d(p, affine=False))
            self.sspl_predictor = nn.Sequential(nn.Linear(p, p // 4), nn.BatchNorm1d(p // 4),
                                                nn.ReLU(), nn.Linear(p // 4, p))

    def encode_image(self, image):
        features = self.imgnet(image)
        if self.sspl:
            return features
        if self.image_dropout > 0 and self.training:
            features = F.dropout(features, self.image_dropout, True)
        return F.normalize(self.img_proj(features), dim=1)

    def encode_audio(self, spectrogram):
        a = self.audnet(spectrogram).amax(dim=(2, 3))
        original = F.normalize(self.aud_proj(a), dim=1)
        return torch.cat([original, self.aud_fc(original)], 1) if self.sspl else original


def augment(images, crop_fraction=224.0 / 246.0):
    """SSPL's two-view augmentation as trainer/TrainingMethod.cpp: random crop, bilinear resize
    back, horizontal flip half the time, one grid_sample for the batch."""
    batch, size = images.size(0), images.size(2)
    crop = max(8, round(size * crop_fraction))
    left = torch.randint(0, size - crop + 1, (batch, 1)).float()
    top = torch.randint(0, size - crop + 1, (batch, 1)).float()
    flip = torch.rand(batch, 1) < 0.5
    index = torch.arange(size).float().unsqueeze(0).expand(batch, size)
    scale = crop / size

    def source(origin, j):
        return torch.minimum(torch.maximum(origin + (j + 0.5) * scale - 0.5, origin),
                             origin + (crop - 1))

    columns = torch.where(flip, (size - 1) - index, index)
    gx = ((source(left, columns) + 0.5) * (2.0 / size) - 1).unsqueeze(1).expand(-1, size, -1)
    gy = ((source(top, index) + 0.5) * (2.0 / size) - 1).unsqueeze(2).expand(-1, -1, size)
    grid = torch.stack([gx, gy], -1).to(images.device, images.dtype)
    return F.grid_sample(images, grid, mode="bilinear", padding_mode="border",
                         align_corners=False)


def sspl_loss(net, images, spectrograms):
    audio = net.encode_audio(spectrograms)
    d = net.aud_proj.out_features
    original, a = audio[:, :d], audio[:, d:]

    def fused(view):
        refined = net.pcm(net.encode_image(view), original)
        attention = F.cosine_similarity(refined, a[:, :, None, None], dim=1).flatten(1)
        low = attention.min(1, keepdim=True).values
        high = attention.max(1, keepdim=True).values
        attention = (attention - low) / (high - low + 1e-10)
        return (refined.flatten(2) * attention.unsqueeze(1)).sum(2)

    z1 = net.sspl_projector(fused(augment(images)))
    z2 = net.sspl_projector(fused(augment(images)))
    p1, p2 = net.sspl_predictor(z1), net.sspl_predictor(z2)
    return -0.5 * (F.cosine_similarity(p1, z2.detach(), 1).mean()
                   + F.cosine_similarity(p2, z1.detach(), 1).mean())


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


def method_loss(method, net, images, spectrograms, tau):
    if method == "sspl":
        return sspl_loss(net, images, spectrograms)
    v = net.encode_image(images)
    a = net.encode_audio(spectrograms)
    if method == "lvs":
        return lvs_loss(v, a)
    if method == "fnac":
        # heardmap-train's default: the paper's 100 at its batch 256, scaled to this batch.
        return fnac_loss(v, a, tau, 100.0 * images.shape[0] / 256)
    if method == "marginnce":
        return ezvsl_loss(v, a, tau, -0.2)
    return ezvsl_loss(v, a, tau)


def model_step_rate(method, variant, batch, steps, precision, device, channels_last,
                    image_padding, warmup=3):
    width, dim, size = {"compact": (32, 128, 160), "small": (24, 128, 160),
                        "full": (64, 512, 224)}[variant]
    net = EzvslNet(width, dim, 1 if method in ("lvs", "sspl") else 2,
                   0.9 if method == "fnac" else 0.0, sspl=method == "sspl",
                   image_padding=image_padding).to(device)
    layout = torch.channels_last if channels_last else torch.contiguous_format
    if channels_last:
        net = net.to(memory_format=torch.channels_last)
    net.train()
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-4)
    extra = round(0.25 * batch) if method == "sslsan" else 0
    images = torch.randn(batch, 3, size, size, device=device).contiguous(memory_format=layout)
    spectrograms = torch.randn(batch + extra, 1, 257, 200,
                               device=device).contiguous(memory_format=layout)
    mixed = device.type == "cuda" and precision == "bf16"
    tau = 0.03

    def step():
        autocast = (torch.autocast("cuda", dtype=torch.bfloat16) if mixed
                    else contextlib.nullcontext())
        with autocast:
            loss = method_loss(method, net, images, spectrograms, tau)
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
    parser.add_argument("--methods", default="ezvsl lvs marginnce fnac sslsan sspl")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--channels-last", action="store_true")
    parser.add_argument("--image-padding", default="zeros", choices=["zeros", "circular"])
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    torch.backends.cudnn.benchmark = True  # as the C++ trainer
    torch.set_num_threads(args.threads)
    label = ("cuda, " + ("bf16 autocast" if args.precision == "bf16" else "fp32")
             if device.type == "cuda" else "cpu (%d threads), fp32" % args.threads)
    label += ", channels-last" if args.channels_last else ""
    label += ", circular padding" if args.image_padding == "circular" else ""
    print("| method | variant | device | batch | PyTorch model-step samples/s "
          "(median of %d runs of %d steps) |" % (args.runs, args.steps))
    print("|---|---|---|---:|---:|")
    for method in args.methods.split():
        rates = [model_step_rate(method, args.variant, args.batch, args.steps, args.precision,
                                 device, args.channels_last, args.image_padding)
                 for _ in range(args.runs)]
        print("| %s | %s | %s | %d | %.1f |" % (method, args.variant, label, args.batch,
                                                statistics.median(rates)), flush=True)


if __name__ == "__main__":
    main()
