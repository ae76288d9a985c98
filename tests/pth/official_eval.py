#!/usr/bin/python3
"""EZ-VSL, SLAVC, LVS and SSPL test.py runs, step by step as the official code does them, on a
Flickr-layout folder, for tst_Datasets::evalMatchesTheOfficialTestPerSample. Written by the project from the official
repository's data loader and evaluator (no code copied): PIL decode, Resize((224, 224), BICUBIC),
ImageNet normalisation; the wav's centre 3 s, scipy's spectrogram (nperseg 512, noverlap 274),
log(x + 1e-7) / 12; the network of official_reference.py; S_AVL upsampled bilinearly with
align_corners=True to 224, min-max normalised, thresholded at its median (SLAVC: the mean of its
two heads' S_AVL upsampled bicubically with align_corners=True, scaled by the fixed range
[-1/tau, 1/tau], >= 0.5); cIoU against the Flickr consensus map (boxes on 256 px, two
annotators, sum / 2 clipped at 1).
LVS (its test.py and dataloader): PIL, Resize(224, BICUBIC) + CenterCrop(224); the wav's first
20 s (tiled when shorter), clipped to [-1, 1], the same spectrogram; AVENet's cosine map A resized
as cv2.resize(INTER_LINEAR) (torch's bilinear without align_corners computes the same), pred =
1 - normalize_img(-A), the pixels above the value at index n/2 of the sorted map. SSPL (its
test.py, base.py, utils.py): the same image crop; the wav's centre 3 s, normalize_audio's min-max
scaling, VGGish log-mel examples (sspl_reference.py); the sim map of the PCM's output resized as
cv2 does, min-max normalised, >= 0.5.

Usage: official_eval.py DATASET_DIR CHECKPOINT [ezvsl|slavc|lvs|sspl]  (writes
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
import sspl_reference  # noqa: E402 (the SSPL release's networks and VGGish front-end)

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


def lvs_spectrogram(path):
    """The LVS dataloader: the first 20 s, tiled when shorter, clipped, scipy's spectrogram."""
    samples, rate = read_wav(path)
    if samples.shape[0] < rate * 20:
        samples = np.tile(samples, int(rate * 20 / samples.shape[0]) + 1)
    samples = np.clip(samples[:rate * 20], -1, 1)
    _, _, spec = signal.spectrogram(samples, rate, nperseg=512, noverlap=274)
    return transforms.Normalize(mean=[0.0], std=[12.0])(transforms.ToTensor()(np.log(spec + 1e-7)))


def sspl_examples(path):
    """SSPL's test loader: the centre 3 s (librosa's float32 samples), normalize_audio, VGGish."""
    samples, rate = read_wav(path)
    samples = samples.astype(np.float32)
    length = 3 * rate
    if samples.shape[0] < length:
        samples = np.tile(samples, int(length / samples.shape[0]) + 1)
    start = int(samples.shape[0] / 2) - int(length / 2)
    audio = sspl_reference.min_max_scaled(samples[start:start + length])
    return torch.from_numpy(sspl_reference.log_mel_examples(audio)).float()[:, None]


def load_sspl(folder):
    nets = {"frame": sspl_reference.Frame(), "sound": sspl_reference.Sound(),
            "pcm": sspl_reference.Pcm()}
    for part, net in nets.items():
        state = torch.load(os.path.join(folder, part + "_best.pth"), map_location="cpu")
        net.load_state_dict({k.replace("module.", "", 1): v for k, v in state.items()})
        net.eval()
    return nets


def cv2_linear(heatmap):
    """cv2.resize(INTER_LINEAR) of a float map to 224 x 224: half-pixel bilinear, clamped."""
    return F.interpolate(torch.from_numpy(heatmap)[None, None], size=(224, 224), mode="bilinear",
                         align_corners=False)[0, 0].numpy()


def crop_map(root, name, method):
    """The 224 x 224 prediction of the LVS or SSPL test code for one sample."""
    image_transform = transforms.Compose([
        transforms.Resize(224, transforms.InterpolationMode.BICUBIC), transforms.CenterCrop(224),
        transforms.ToTensor(),
        transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])])
    image = image_transform(Image.open(os.path.join(root, "frames", name + ".jpg"))
                            .convert("RGB")).unsqueeze(0)
    wav = os.path.join(root, "audio", name + ".wav")
    with torch.no_grad():
        if method == "lvs":
            heatmap = MODELS["lvs"].cosine_map(image, lvs_spectrogram(wav).unsqueeze(0).float())
        else:
            nets = MODELS["sspl"]
            embedding, projected = nets["sound"](sspl_examples(wav))
            original = F.normalize(embedding.mean(0, keepdim=True), dim=1)
            refined = nets["pcm"](nets["frame"](image), original)
            heatmap = sspl_reference.cosine_map(refined, projected.mean(0, keepdim=True))
    heatmap = cv2_linear(heatmap.numpy()[0])
    if method == "sspl":
        heatmap = (heatmap - np.min(heatmap)) / np.ptp(heatmap)
        return (heatmap >= 0.5).astype(np.float64)
    negated = -heatmap
    vmin, vmax = negated.min(), negated.max()
    if vmax - vmin != 0:
        negated = (negated - vmin) / (vmax - vmin)
    pred = 1 - negated
    threshold = np.sort(pred.flatten())[int(pred.shape[0] * pred.shape[1] / 2)]
    pred[pred > threshold] = 1
    pred[pred < 1] = 0
    return (pred >= 0.5).astype(np.float64)


MODELS = {}


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
    if method in ("lvs", "sspl"):
        if method == "lvs":
            state = torch.load(checkpoint, map_location="cpu")["model_state_dict"]
            MODELS["lvs"] = official_reference.Avenet()
            MODELS["lvs"].load_state_dict({k.replace("module.", "", 1): v
                                           for k, v in state.items()})
            MODELS["lvs"].eval()
        else:
            MODELS["sspl"] = load_sspl(checkpoint)
        result = {}
        for name in sorted(n[:-4] for n in os.listdir(os.path.join(root, "Annotations"))):
            infer = crop_map(root, name, method)
            gt = gt_map(os.path.join(root, "Annotations", name + ".xml"))
            result[name] = float(np.sum(infer * gt) / (np.sum(gt) + np.sum(infer * (gt == 0))))
        with open(os.path.join(root, "official_ciou_%s.json" % method), "w") as f:
            json.dump(result, f, indent=1)
        print("official_eval:", method, len(result), "samples")
        return
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
