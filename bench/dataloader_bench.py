#!/usr/bin/env python3
"""The PyTorch side of bench/loader-bench.sh: a torch.utils.data.DataLoader over a Flickr-layout
folder (frames/<id>.jpg + audio/<id>.wav) with the official EZ-VSL training preprocessing
(Resize(246, bicubic), RandomCrop(224), RandomHorizontalFlip, ToTensor, Normalize; the centred
3 s of audio, scipy.signal.spectrogram(nperseg=512, noverlap=274), log(+1e-7)), timed in
samples/s. The official code decodes the wav with PyAV; scipy.io.wavfile reads the same PCM here
(PyAV is not a Debian package this project installs). Prints one table row per worker count.

usage: dataloader_bench.py DATA_DIR [--batch N] [--steps N] [--workers 0,2]
"""
import argparse
import os
import time

import numpy as np
import torch
from PIL import Image
from scipy import signal
from scipy.io import wavfile
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

WINDOW_SECONDS = 3.0  # the official training window


class FlickrPairs(Dataset):
    def __init__(self, root):
        self.root = root
        self.ids = sorted(os.path.splitext(f)[0] for f in os.listdir(os.path.join(root, "frames")))
        self.image = transforms.Compose([
            transforms.Resize(int(224 * 1.1), transforms.InterpolationMode.BICUBIC),
            transforms.RandomCrop((224, 224)),
            transforms.RandomHorizontalFlip(),
            transforms.ToTensor(),
            transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225]),
        ])

    def __len__(self):
        return len(self.ids)

    def spectrogram(self, path):
        rate, pcm = wavfile.read(path)
        audio = pcm.astype(np.float32) / 32768.0
        if audio.ndim > 1:
            audio = audio.mean(1)
        length = int(rate * WINDOW_SECONDS)
        start = max(len(audio) // 2 - length // 2, 0)
        audio = np.clip(audio[start:start + length], -1.0, 1.0)
        if audio.shape[0] < length:
            audio = np.tile(audio, length // max(audio.shape[0], 1) + 1)[:length]
        _, _, spec = signal.spectrogram(audio, rate, nperseg=512, noverlap=274)
        return np.log(spec + 1e-7)

    def __getitem__(self, index):
        sample = self.ids[index]
        frame = Image.open(os.path.join(self.root, "frames", sample + ".jpg")).convert("RGB")
        spec = self.spectrogram(os.path.join(self.root, "audio", sample + ".wav"))
        return self.image(frame), torch.tensor(spec, dtype=torch.float32)[None]


def rate(dataset, batch, steps, workers):
    loader = DataLoader(dataset, batch_size=batch, shuffle=True, num_workers=workers,
                        drop_last=True, persistent_workers=workers > 0)
    done = 0
    start = None
    while done < steps + 1:
        for images, specs in loader:
            if start is None:  # the first batch starts the workers: not timed
                start = time.perf_counter()
            else:
                done += 1
            if done >= steps + 1:
                break
    return batch * (done - 1) / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data")
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--steps", type=int, default=10)
    parser.add_argument("--workers", default="0,2")
    args = parser.parse_args()
    torch.set_num_threads(1)
    dataset = FlickrPairs(args.data)
    for workers in (int(w) for w in args.workers.split(",")):
        print(f"| PyTorch DataLoader, official preprocessing, {workers} workers | "
              f"{rate(dataset, args.batch, args.steps, workers):.0f} |", flush=True)


if __name__ == "__main__":
    main()
