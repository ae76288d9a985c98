#!/usr/bin/python3
"""The official architectures' maps, computed with PyTorch in Python, for tests/ml/tst_OfficialMaps.

For EZ-VSL, SLAVC and the LVS code's AVENet: a randomly initialised network with the official module names (at a small
trunk width, so that the files stay small; names and shapes follow the width), saved with the
real torch.save as the official train.py saves it ({'model': DDP state_dict, 'optimizer',
'epoch', ...}), and the map that the official forward gives on one preprocessed image and
spectrogram. Written by the project from the papers' equations and the module names of the
official repositories; no official code is copied. Usage: official_reference.py OUTDIR
"""
import json
import os
import struct
import sys

import torch
import torch.nn.functional as F
from torch import nn

WIDTH = 16  # trunk base width (ResNet-18 uses 64); channels of layer4: 8 * WIDTH
DIM = 32  # projection dimension
TAU = 0.03  # the official default temperature
IMAGE = 112  # image side: 4 x 4 maps
SPEC_SHAPE = (257, 61)  # frequency bins x frames


class Block(nn.Module):
    """A ResNet basic block with torchvision's names (conv1, bn1, conv2, bn2, downsample)."""

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
        out = self.bn2(self.conv2(F.relu(self.bn1(self.conv1(x)))))
        return F.relu(out + (x if self.downsample is None else self.downsample(x)))


class Trunk(nn.Module):
    """ResNet-18 up to layer4 (the official code sets avgpool and fc to Identity)."""

    def __init__(self, channels, layer4_stride=2):
        super().__init__()
        w = WIDTH
        self.conv1 = nn.Conv2d(channels, w, 7, 2, 3, bias=False)
        self.bn1 = nn.BatchNorm2d(w)
        self.layer1 = nn.Sequential(Block(w, w, 1), Block(w, w, 1))
        self.layer2 = nn.Sequential(Block(w, 2 * w, 2), Block(2 * w, 2 * w, 1))
        self.layer3 = nn.Sequential(Block(2 * w, 4 * w, 2), Block(4 * w, 4 * w, 1))
        self.layer4 = nn.Sequential(Block(4 * w, 8 * w, layer4_stride), Block(8 * w, 8 * w, 1))

    def forward(self, x):
        return self.stages(self.conv1(x))

    def stages(self, x):
        x = F.max_pool2d(F.relu(self.bn1(x)), 3, 2, 1)
        return self.layer4(self.layer3(self.layer2(self.layer1(x))))


class AvenetTrunk(Trunk):
    """The LVS code's ResNet-18: three stems (conv1 RGB, conv1_a spectrogram, conv1_flow), layer4
    at stride 1 and an unused 1000-way fc; the modality picks the stem."""

    def __init__(self, modal):
        super().__init__(3, layer4_stride=1)
        self.modal = modal
        self.conv1_a = nn.Conv2d(1, WIDTH, 7, 2, 3, bias=False)
        self.conv1_flow = nn.Conv2d(6, WIDTH, 7, 2, 3, bias=False)
        self.fc = nn.Linear(8 * WIDTH, 1000)

    def forward(self, x):
        return self.stages(self.conv1_a(x) if self.modal == "audio" else self.conv1(x))


def unit(x):
    return F.normalize(x, dim=1)


class Ezvsl(nn.Module):
    """EZ-VSL's model.py names: imgnet, img_proj (1x1 conv), audnet, aud_proj (linear)."""

    def __init__(self):
        super().__init__()
        self.imgnet = Trunk(3)
        self.img_proj = nn.Conv2d(8 * WIDTH, DIM, 1)
        self.audnet = Trunk(1)
        self.aud_proj = nn.Linear(8 * WIDTH, DIM)

    def savl(self, image, spec):
        img = unit(self.img_proj(self.imgnet(image)))
        aud = unit(self.aud_proj(torch.amax(self.audnet(spec), dim=(2, 3))))  # max pool
        return torch.einsum('nchw,nc->nhw', img, aud) / TAU


class SlavcBranch(nn.Module):
    """One SLAVC branch: the trunks and two heads per modality (img_proj1/2, aud_proj1/2)."""

    def __init__(self):
        super().__init__()
        self.imgnet = Trunk(3)
        self.img_proj1 = nn.Conv2d(8 * WIDTH, DIM, 1)
        self.img_proj2 = nn.Conv2d(8 * WIDTH, DIM, 1)
        self.audnet = Trunk(1)
        self.aud_proj1 = nn.Linear(8 * WIDTH, DIM)
        self.aud_proj2 = nn.Linear(8 * WIDTH, DIM)

    def savl(self, image, spec):
        v = self.imgnet(image)
        a = torch.amax(self.audnet(spec), dim=(2, 3))
        s1 = torch.einsum('nchw,nc->nhw', unit(self.img_proj1(v)), unit(self.aud_proj1(a)))
        s2 = torch.einsum('nchw,nc->nhw', unit(self.img_proj2(v)), unit(self.aud_proj2(a)))
        return (s1 / TAU + s2 / TAU) / 2  # the mean of the two heads' maps


class Avenet(nn.Module):
    """LVS's AVENet: imgnet and audnet trunks, no heads; the map is the cosine of the unit-length
    visual features and the max-pooled audio vector."""

    def __init__(self):
        super().__init__()
        self.imgnet = AvenetTrunk("vision")
        self.audnet = AvenetTrunk("audio")

    def cosine_map(self, image, spec):
        img = unit(self.imgnet(image))
        aud = unit(torch.amax(self.audnet(spec), dim=(2, 3)))
        return torch.einsum('ncqa,nc->nqa', img, aud)


def randomise(module):
    """Weights that make every layer matter: random BN statistics and affine terms."""
    with torch.no_grad():
        for m in module.modules():
            if isinstance(m, nn.BatchNorm2d):
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
                m.running_mean.uniform_(-0.2, 0.2)
                m.running_var.uniform_(0.5, 2.0)
                m.num_batches_tracked.fill_(1000)


def official_checkpoint(state_dict, optimizer_of):
    """What the official train.py saves: DDP names, optimizer state, epoch, best scores."""
    model = {"module." + k: v for k, v in state_dict.items()}
    optimizer = torch.optim.Adam(optimizer_of.parameters(), lr=1e-4)
    return {"model": model, "optimizer": optimizer.state_dict(), "epoch": 20,
            "best_cIoU": 0.35, "best_Auc": 0.4}


def save_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().contiguous().float().numpy().tobytes()
        header[name] = {"dtype": "F32", "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(17)
    image = torch.randn(1, 3, IMAGE, IMAGE)
    spec = torch.randn(1, 1, *SPEC_SHAPE)
    maps = {"image": image[0], "spectrogram": spec[0, 0]}

    ezvsl = Ezvsl().eval()
    randomise(ezvsl)
    torch.save(official_checkpoint(ezvsl.state_dict(), ezvsl), os.path.join(out, "ezvsl_best.pth"))

    online, momentum = SlavcBranch().eval(), SlavcBranch().eval()
    randomise(online)
    randomise(momentum)
    slavc_state = dict(online.state_dict())
    slavc_state.update({"momentum_" + k: v for k, v in momentum.state_dict().items()})
    torch.save(official_checkpoint(slavc_state, online), os.path.join(out, "slavc_latest.pth"))

    lvs = Avenet().eval()
    randomise(lvs)
    # The LVS code saves a DataParallel model's state dict under 'model_state_dict'; its released
    # files come from torch 1.3, so the legacy (pre-zip) format.
    torch.save({"model_state_dict": {"module." + k: v for k, v in lvs.state_dict().items()},
                "epoch": 30}, os.path.join(out, "lvs_best.pth.tar"),
               _use_new_zipfile_serialization=False)

    with torch.no_grad():
        maps["cos_lvs"] = lvs.cosine_map(image, spec)[0]
        maps["savl_ezvsl"] = ezvsl.savl(image, spec)[0]
        maps["savl_slavc"] = online.savl(image, spec)[0]
        maps["savl_slavc_momentum"] = momentum.savl(image, spec)[0]
        # torch's bicubic upsampling (SLAVC's test.py) of a 7 x 5 map, for OfficialRule.
        maps["bicubic_in"] = torch.randn(5, 7) * 10
        maps["bicubic_out"] = F.interpolate(maps["bicubic_in"][None, None], size=(224, 224),
                                            mode="bicubic", align_corners=True)[0, 0]
    save_safetensors(os.path.join(out, "reference_maps.safetensors"), maps)
    print("official_reference: EZ-VSL and SLAVC maps", tuple(maps["savl_ezvsl"].shape),
          "LVS", tuple(maps["cos_lvs"].shape))


if __name__ == "__main__":
    main()
