#!/usr/bin/python3
"""The official SSPL network's map, computed with PyTorch and numpy in Python, for
tests/ml/tst_OfficialMaps.

Builds the three parts of SSPL with the module names of its release (zjsong/SSPL): the VGG-16
features up to conv5_3 (frame_best.pth, 'feat_extractor.N'), VGGish with SSPL's audio head
(sound_best.pth: 'features.N', 'embeddings.N', 'fc.N') and the predictive coding module
(pcm_best.pth: PredProcess, ErrorProcess, a0, b0 and the batch norms), at small widths so that the
files stay small, with random weights and batch-norm statistics. Saves them with the real
torch.save as the release's main.py saves them (the frame net bare, the others from
DistributedDataParallel: 'module.' names), once with the PCM and once without (SSPL w/o PCM), and
writes the map of the test-time forward on one 224 x 224 frame and a 3 s waveform, through the
test loader's audio path (min-max scaling, VGGish log-mel examples) written here from the VGGish
recipe. Written by the project from the paper and the files' names and shapes; no official code
is copied. Usage: sspl_reference.py OUTDIR
"""
import os
import sys
from collections import OrderedDict

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from official_reference import save_safetensors  # noqa: E402 (the reference maps' writer)

FRAME_WIDTH = 8  # VGG-16 uses 64; conv5_3 has 8x
SOUND_WIDTH = 8  # VGGish uses 64
EMBED_HIDDEN = 48  # VGGish's 4096
EMBED = 32  # VGGish's 128
FC_HIDDEN = 40  # SSPL's 512
OUT = 8 * FRAME_WIDTH  # SSPL's out_dim (512), the visual channels
CYCLES = 4  # SSPL's default cycs_pcm
RATE = 16000


def vgg16_frames():
    """torchvision's VGG-16 features[0:29] (conv5_3 without its ReLU) at FRAME_WIDTH."""
    w = FRAME_WIDTH
    layers, cin = [], 3
    plan = [w, w, "M", 2 * w, 2 * w, "M", 4 * w, 4 * w, 4 * w, "M", 8 * w, 8 * w, 8 * w, "M",
            8 * w, 8 * w, 8 * w]
    for v in plan:
        if v == "M":
            layers.append(nn.MaxPool2d(2, 2))
        else:
            layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=True)]
            cin = v
    return nn.Sequential(*layers[:-1])


class Frame(nn.Module):
    def __init__(self):
        super().__init__()
        self.feat_extractor = vgg16_frames()

    def forward(self, x):
        return self.feat_extractor(x)


class Sound(nn.Module):
    """VGGish (features, embeddings with a ReLU after each linear) and SSPL's head fc."""

    def __init__(self):
        super().__init__()
        w, layers, cin = SOUND_WIDTH, [], 1
        for v in [w, "M", 2 * w, "M", 4 * w, 4 * w, "M", 8 * w, 8 * w, "M"]:
            if v == "M":
                layers.append(nn.MaxPool2d(2, 2))
            else:
                layers += [nn.Conv2d(cin, v, 3, padding=1), nn.ReLU(inplace=True)]
                cin = v
        self.features = nn.Sequential(*layers)
        self.embeddings = nn.Sequential(nn.Linear(8 * w * 6 * 4, EMBED_HIDDEN), nn.ReLU(True),
                                        nn.Linear(EMBED_HIDDEN, EMBED_HIDDEN), nn.ReLU(True),
                                        nn.Linear(EMBED_HIDDEN, EMBED), nn.ReLU(True))
        self.fc = nn.Sequential(nn.Linear(EMBED, FC_HIDDEN), nn.ReLU(inplace=True),
                                nn.Linear(FC_HIDDEN, OUT))

    def forward(self, examples):
        x = self.features(examples)  # E x C x 6 x 4
        x = x.permute(0, 2, 3, 1).reshape(x.shape[0], -1)  # TensorFlow's (h, w, c) order
        e = self.embeddings(x)
        return e, self.fc(e)


class PredLevel(nn.Module):
    """A top-down step: 3x3 convolution without bias, then 2x2 max-pooling."""

    def __init__(self, c):
        super().__init__()
        self.conv2d = nn.Conv2d(c, c, 3, 1, 1, bias=False)

    def forward(self, x):
        return F.max_pool2d(self.conv2d(x), 2, 2)


class ErrorLevel(nn.Module):
    """The bottom-up step to the finest level: bilinear x2 (align_corners), 3x3 transposed conv."""

    def __init__(self, c):
        super().__init__()
        self.convtrans2d = nn.ConvTranspose2d(c, c, 3, 1, 1, bias=False)

    def forward(self, x):
        return self.convtrans2d(F.interpolate(x, scale_factor=2, mode="bilinear",
                                              align_corners=True))


class Pcm(nn.Module):
    """The predictive coding module, from the paper's description and the file's names: levels
    3 x 3 (index 0), 7 x 7 (1) and the 14 x 14 visual map (2) above the audio embedding."""

    def __init__(self, c=OUT, d=EMBED):
        super().__init__()
        self.PredProcess = nn.ModuleList([nn.Conv2d(c, d, 1), PredLevel(c), PredLevel(c)])
        self.ErrorProcess = nn.ModuleList([nn.ConvTranspose2d(d, c, 1, bias=False),
                                           nn.ConvTranspose2d(c, c, 3, 2, 0, bias=False),
                                           ErrorLevel(c), nn.ConvTranspose2d(c, OUT, 1)])
        self.b0 = nn.ParameterList([nn.Parameter(torch.full((1, c, 1, 1), 0.5)) for _ in range(3)])
        self.a0 = nn.ParameterList([nn.Parameter(torch.ones(1, c, 1, 1)) for _ in range(3)])
        self.BNPred = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(2)])
        self.BNError = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(3)])
        self.BNPred_step = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(2 * CYCLES)])
        self.BNError_step = nn.ModuleList([nn.BatchNorm2d(c) for _ in range(3 * CYCLES)])

    def audio_error(self, coarsest, audio):
        guess = F.gelu(self.PredProcess[0](coarsest)).mean(dim=(2, 3))
        e = (audio - guess)[:, :, None, None].expand(-1, -1, *coarsest.shape[2:])
        return self.ErrorProcess[0](e)

    def forward(self, visual, audio):
        gain = [F.relu(a) for a in self.a0]
        mix = [F.relu(b) for b in self.b0]
        pred = [None, None, visual]
        pred[1] = F.gelu(self.BNPred[1](self.PredProcess[2](visual)))
        pred[0] = F.gelu(self.BNPred[0](self.PredProcess[1](pred[1])))
        upd = [F.gelu(self.BNError[0](pred[0] + gain[0] * self.audio_error(pred[0], audio)))]
        for lv in (1, 2):
            upd.append(F.gelu(self.BNError[lv](
                pred[lv] + gain[lv] * self.ErrorProcess[lv](upd[lv - 1] - pred[lv - 1]))))
        for t in range(CYCLES):
            upd[2] = F.gelu((1 - mix[2]) * upd[2] + mix[2] * pred[2])
            for lv in (1, 0):
                pred[lv] = self.PredProcess[lv + 1](upd[lv + 1])
                upd[lv] = F.gelu(self.BNPred_step[2 * t + lv](
                    (1 - mix[lv]) * upd[lv] + mix[lv] * pred[lv]))
            upd[0] = F.gelu(self.BNError_step[3 * t](
                upd[0] + gain[0] * self.audio_error(upd[0], audio)))
            for lv in (1, 2):
                upd[lv] = F.gelu(self.BNError_step[3 * t + lv](
                    upd[lv] + gain[lv] * self.ErrorProcess[lv](upd[lv - 1] - pred[lv - 1])))
        return self.ErrorProcess[3](upd[2])


class SimSiamHead(nn.Module):
    """Stands in for the release's ssl_head_best.pth, which localisation does not read."""

    def __init__(self):
        super().__init__()
        self.projector = nn.Sequential(nn.Linear(OUT, 16), nn.BatchNorm1d(16))
        self.predictor = nn.Sequential(nn.Linear(16, 16))


def hertz_to_mel(hz):
    return 1127.0 * np.log1p(hz / 700.0)


def log_mel_examples(wave):
    """The VGGish recipe: 25 ms periodic-Hann frames every 10 ms, |rfft| of 512 points, 64 HTK mel
    bands 125-7500 Hz (DC bin weight 0), log(mel + 0.01), 96-frame examples."""
    win, hop, nfft, bands = 400, 160, 512, 64
    count = 1 + (len(wave) - win) // hop
    frames = np.stack([wave[i * hop:i * hop + win] for i in range(count)]).astype(np.float64)
    hann = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(win) / win)
    magnitude = np.abs(np.fft.rfft(frames * hann, nfft))
    bin_mel = hertz_to_mel(np.linspace(0.0, RATE / 2, nfft // 2 + 1))
    edges = np.linspace(hertz_to_mel(125.0), hertz_to_mel(7500.0), bands + 2)
    weights = np.zeros((nfft // 2 + 1, bands))
    for b in range(bands):
        rising = (bin_mel - edges[b]) / (edges[b + 1] - edges[b])
        falling = (edges[b + 2] - bin_mel) / (edges[b + 2] - edges[b + 1])
        weights[:, b] = np.clip(np.minimum(rising, falling), 0.0, None)
    weights[0, :] = 0.0
    log_mel = np.log(magnitude @ weights + 0.01)
    n = 1 + (log_mel.shape[0] - 96) // 96
    return np.stack([log_mel[i * 96:(i + 1) * 96] for i in range(n)])


def min_max_scaled(wave):
    """The test loader's waveform scaling, in float32 as numpy computes it."""
    x = wave.astype(np.float32).copy()
    x -= x.min()
    x /= x.max() + 1e-3
    x -= 0.5
    x *= 2
    return x


def randomise(module):
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, (nn.BatchNorm2d, nn.BatchNorm1d)):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(500)
        for name, p in module.named_parameters():
            if name.startswith("a0.") or name.startswith("b0."):
                p.uniform_(0.1, 1.2)  # trained rates, some below and some above the initial ones


def ddp(state):
    """A DistributedDataParallel module's state dict: every name under 'module.'."""
    out = OrderedDict(("module." + k, v) for k, v in state.items())
    out._metadata = OrderedDict(("module." + k if k else "module", v)
                                for k, v in state._metadata.items())
    return out


def cosine_map(features, audio):
    return torch.einsum("nchw,nc->nhw", F.normalize(features, dim=1), F.normalize(audio, dim=1))


def main():
    out = sys.argv[1]
    torch.manual_seed(23)
    frame_net, sound_net, pcm, head = Frame().eval(), Sound().eval(), Pcm().eval(), SimSiamHead()
    for m in (frame_net, sound_net, pcm, head):
        randomise(m)
    for folder, with_pcm in (("sspl", True), ("sspl_wo_pcm", False)):
        os.makedirs(os.path.join(out, folder), exist_ok=True)
        torch.save(frame_net.state_dict(), os.path.join(out, folder, "frame_best.pth"))
        torch.save(ddp(sound_net.state_dict()), os.path.join(out, folder, "sound_best.pth"))
        if with_pcm:
            torch.save(ddp(pcm.state_dict()), os.path.join(out, folder, "pcm_best.pth"))
        torch.save(ddp(head.state_dict()), os.path.join(out, folder, "ssl_head_best.pth"))

    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, size=(224, 224, 3), dtype=np.uint8)
    t = np.arange(3 * RATE) / RATE
    wave = (0.3 * np.sin(2 * np.pi * 440 * t) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)
    examples = log_mel_examples(min_max_scaled(wave))
    mean = torch.tensor([0.485, 0.456, 0.406])[:, None, None]
    std = torch.tensor([0.229, 0.224, 0.225])[:, None, None]
    image = ((torch.from_numpy(pixels).permute(2, 0, 1).float() / 255 - mean) / std)[None]
    with torch.no_grad():
        visual = frame_net(image)
        embedding, projected = sound_net(torch.from_numpy(examples).float()[:, None])
        original = F.normalize(embedding.mean(0, keepdim=True), dim=1)
        audio = projected.mean(0, keepdim=True)
        maps = {
            "sspl_frame": torch.from_numpy(pixels.astype(np.float32)),
            "sspl_audio": torch.from_numpy(wave),
            "sspl_logmel": torch.from_numpy(examples),
            "sim_sspl": cosine_map(pcm(visual, original), audio)[0],
            "sim_sspl_wo_pcm": cosine_map(visual, audio)[0],
        }
    save_safetensors(os.path.join(out, "sspl_reference.safetensors"), maps)
    print("sspl_reference: maps", tuple(maps["sim_sspl"].shape), "examples",
          tuple(examples.shape))


if __name__ == "__main__":
    main()
