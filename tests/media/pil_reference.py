#!/usr/bin/python3
"""JPEG files written by PIL and what PIL makes of them, for tests/media/tst_PilMatch.

Each case is a picture with structure (gradients, edges, noise) saved by PIL as JPEG with some
quality / chroma subsampling / mode, then read back as the official data loaders read frames
(Image.open(path).convert('RGB')) and resized as their transforms resize (Resize((224, 224)),
Resize(224), both BICUBIC). Writes NAME.jpg, NAME.rgb (the decoded RGB bytes), NAME.square.rgb,
NAME.short.rgb and cases.json with the sizes. Usage: pil_reference.py OUTDIR
"""
import json
import os
import sys

import numpy as np
from PIL import Image

SIDE = 224

# name: (width, height, mode, save options)
CASES = {
    "flickr_420_q75": (500, 375, "RGB", {"quality": 75}),
    "odd_444_q95": (333, 251, "RGB", {"quality": 95, "subsampling": 0}),
    "tall_422_q90": (241, 401, "RGB", {"quality": 90, "subsampling": 1}),
    "progressive_q85": (640, 360, "RGB", {"quality": 85, "progressive": True}),
    "gray_q80": (300, 200, "L", {"quality": 80}),
    "cmyk_q90": (260, 180, "CMYK", {"quality": 90}),
    "small_upscaled": (97, 61, "RGB", {"quality": 90}),
    "tiny_17x9": (17, 9, "RGB", {"quality": 90}),
}


def picture(width, height, seed):
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    r = (x * 255 // max(width - 1, 1)).astype(np.uint8)
    g = (y * 255 // max(height - 1, 1)).astype(np.uint8)
    b = np.where((x // 16 + y // 16) % 2 == 0, 40, 220).astype(np.uint8)  # hard edges
    rgb = np.stack([r, g, b], axis=-1).astype(np.int16)
    rgb += rng.integers(-30, 31, size=rgb.shape, dtype=np.int16)
    return np.clip(rgb, 0, 255).astype(np.uint8)


def shorter_side(width, height):
    """torchvision's Resize(SIDE) output size."""
    short, long = (width, height) if width <= height else (height, width)
    new_long = int(SIDE * long / short)
    return (SIDE, new_long) if width <= height else (new_long, SIDE)


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    meta = {}
    for i, (name, (width, height, mode, options)) in enumerate(CASES.items()):
        image = Image.fromarray(picture(width, height, i), "RGB").convert(mode)
        path = os.path.join(out, name + ".jpg")
        image.save(path, "JPEG", **options)
        decoded = Image.open(path).convert("RGB")
        square = decoded.resize((SIDE, SIDE), Image.BICUBIC)
        short = decoded.resize(shorter_side(*decoded.size), Image.BICUBIC)
        for suffix, im in (("rgb", decoded), ("square.rgb", square), ("short.rgb", short)):
            with open(os.path.join(out, name + "." + suffix), "wb") as f:
                f.write(np.asarray(im, dtype=np.uint8).tobytes())
        meta[name] = {"size": list(decoded.size), "short": list(short.size)}
    with open(os.path.join(out, "cases.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print("pil_reference:", len(meta), "JPEG cases")


if __name__ == "__main__":
    main()
