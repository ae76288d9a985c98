#!/usr/bin/python3
"""EZ-VSL and SLAVC test.py runs, step by step as the official code does them, on a Flickr-layout
folder, for tst_Datasets::evalMatchesTheOfficialTestPerSample. Written by the project from the official
repository's data loader and evaluator (no code copied): PIL decode, Resize((224, 224), BICUBIC),
ImageNet normalisation; the wav's centre 3 s, scipy's spectrogram (nperseg 512, noverlap 274),
log(x + 1e-7) / 12; the network of official_reference.py; S_AVL upsampled bilinearly with
align_corners=True to 224, min-max normalised, thresholded at its median (SLAVC: the mean of its
two heads' S_AVL upsampled bicubically with align_corners=True, scaled by the fixed range
[-1/tau, 1/tau], >= 0.5); cIoU against the Flickr consensus map (boxes on 256 px, two
annotators, sum / 2 clipped at 1).

Usage: official_eval.py DATASET_DIR CHECKPOINT [ezvsl|slavc]  (writes
DATASET_DIR/official_ciou_<method>.json; first makes the dataset when DATASET_DIR does not exist)
"""
import json
import os
import sys
import wave

import numpy as np
import torch
import torch.nn.functional as F
from PIL import Image
from scipy import signal
from torchvision import transforms

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_reference  # noqa: E402 (the networks with the official names)

RATE = 16000  # Hz; the wavs are written at the contract's rate, so nothing is resampled
SECONDS = 4.0  # centre 3 s starts at exactly 0.5 s
SIZES = [(500, 375), (333, 251), (241, 401), (640, 360), (300, 300), (97, 61)]


def make_dataset(root):
    rng = np.random.default_rng(5)
    for sub in ("frames", "audio", "Annotations"):
        os.makedirs(os.path.join(root, sub), exist_ok=True)
    for i, (w, h) in enumerate(SIZES):
        name = "s%d" % i
        y, x = np.mgrid[0:h, 0:w]
        pixels = np.stack([(x * 7 + y * 3) % 256, (y * 5) % 256,
                           np.where(np.hypot(x - w / 3, y - h / 2) < min(w, h) / 4, 230, 30)], -1)
        pixels = np.clip(pixels + rng.integers(-25, 26, pixels.shape), 0, 255).astype(np.uint8)
        Image.fromarray(pixels, "RGB").save(os.path.join(root, "frames", name + ".jpg"),
                                            quality=85)
        t = np.arange(int(RATE * SECONDS)) / RATE
        audio = 0.3 * np.sin(2 * np.pi * (300 + 150 * i) * t) + 0.05 * rng.standard_normal(t.size)
        with wave.open(os.path.join(root, "audio", name + ".wav"), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(RATE)
            f.writeframes((np.clip(audio, -1, 1) * 32767).astype("<i2").tobytes())
        boxes = ""
        for k in range(2):  # two annotators
            x0, y0 = int(rng.integers(10, 110)), int(rng.integers(10, 110))
            x1, y1 = x0 + int(rng.integers(40, 140)), y0 + int(rng.integers(40, 140))
            boxes += ("<object><name>source</name><bbox><xmin>%d</xmin><ymin>%d</ymin>"
                      "<xmax>%d</xmax><ymax>%d</ymax></bbox></object>" % (x0, y0, x1, y1))
        with open(os.path.join(root, "Annotations", name + ".xml"), "w") as f:
            f.write("<annotation><size><width>256</width><height>256</height></size>%s"
                    "</annotation>" % boxes)


def read_wav(path):
    with wave.open(path, "rb") as f:
        rate = f.getframerate()
        data = np.frombuffer(f.readframes(f.getnframes()), dtype="<i2").astype(np.float64)
    return data / 32768.0, rate


def spectrogram(path):
    audio, rate = read_wav(path)
    duration = audio.size / rate
    start = max(duration / 2 - 1.5, 0)
    audio = np.clip(audio, -1, 1)[int(start * rate):int(start * rate) + int(3 * rate)]
    _, _, spec = signal.spectrogram(audio, rate, nperseg=512, noverlap=274)
    spec = np.log(spec + 1e-7)
    return transforms.Normalize(mean=[0.0], std=[12.0])(transforms.ToTensor()(spec))


def gt_map(xml_path):
    import xml.etree.ElementTree as ET
    gt = np.zeros([224, 224])
    for box in ET.parse(xml_path).getroot().iter("bbox"):
        v = [int(224 * int(box.find(t).text) / 256) for t in ("xmin", "ymin", "xmax", "ymax")]
        temp = np.zeros([224, 224])
        temp[v[1]:v[3], v[0]:v[2]] = 1
        gt += temp
    gt = gt / 2
    gt[gt > 1] = 1
    return gt


def main():
    root, checkpoint = sys.argv[1], sys.argv[2]
    method = sys.argv[3] if len(sys.argv) > 3 else "ezvsl"
    if not os.path.isdir(root):
        make_dataset(root)
    state = torch.load(checkpoint, map_location="cpu")["model"]
    state = {k.replace("module.", ""): v for k, v in state.items()}
    if method == "slavc":  # the online branch (test.py without --use_mom_eval)
        model = official_reference.SlavcBranch()
        state = {k: v for k, v in state.items() if not k.startswith("momentum_")}
    else:
        model = official_reference.Ezvsl()
    model.load_state_dict(state)
    model.eval()
    image_transform = transforms.Compose([
        transforms.Resize((224, 224), transforms.InterpolationMode.BICUBIC), transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
    result = {}
    names = sorted(n[:-4] for n in os.listdir(os.path.join(root, "Annotations")))
    for name in names:
        image = image_transform(Image.open(os.path.join(root, "frames", name + ".jpg"))
                                .convert("RGB")).unsqueeze(0)
        spec = spectrogram(os.path.join(root, "audio", name + ".wav")).unsqueeze(0).float()
        with torch.no_grad():
            savl = model.savl(image, spec).unsqueeze(1)
            mode = "bicubic" if method == "slavc" else "bilinear"
            heatmap = F.interpolate(savl, size=(224, 224), mode=mode, align_corners=True)
        pred = heatmap.numpy()[0, 0]
        if method == "slavc":
            tau = official_reference.TAU
            pred = (pred - (-1.0 / tau)) / (1.0 / tau - (-1.0 / tau))
            threshold = 0.5
        else:
            vmin, vmax = pred.min(), pred.max()
            if vmax != vmin:
                pred = (pred - vmin) / (vmax - vmin)
            threshold = np.sort(pred.flatten())[int(pred.shape[0] * pred.shape[1] / 2)]
        gt = gt_map(os.path.join(root, "Annotations", name + ".xml"))
        infer = np.zeros((224, 224))
        infer[pred >= threshold] = 1
        result[name] = float(np.sum(infer * gt) / (np.sum(gt) + np.sum(infer * (gt == 0))))
    with open(os.path.join(root, "official_ciou_%s.json" % method), "w") as f:
        json.dump(result, f, indent=1)
    print("official_eval:", method, len(result), "samples")


if __name__ == "__main__":
    main()
