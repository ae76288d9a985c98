// Resizing 8-bit RGB pictures exactly as Pillow's Image.resize(size, Image.BICUBIC) does, which is
// what torchvision's Resize applies to the PIL images of every official data loader: separable
// convolution with the bicubic kernel (a = -0.5) widened by the scale factor when shrinking,
// 22-bit fixed-point weights, the horizontal pass first, rounding and clipping to 8 bits after
// each pass. Checked byte for byte against Debian's python3-pil (tests/media/pil_reference.py).
#pragma once

#include "RgbImage.h"

namespace heardmap {

// in resized to width x height (each at least 1). in must hold width * height * 3 bytes; throws
// std::invalid_argument otherwise. timeSeconds is kept.
RgbImage resizeBicubicLikePil(const RgbImage& in, int width, int height);

// The size torchvision's Resize(side) gives: the shorter side becomes side and the longer one
// int(side * long / short), as torchvision computes it.
void shorterSideTo(int side, int width, int height, int* outWidth, int* outHeight);

}  // namespace heardmap

namespace heardmap {

// torchvision's Resize(side) then CenterCrop(side) on a PIL image (the LVS and SSPL test
// loaders): the shorter side resized to side (no resize when it already is), then the centred
// side x side square, its offsets int(round((size - side) / 2.0)) with Python's round half to even.
RgbImage resizeAndCentreCropLikeTorchvision(const RgbImage& in, int side);

}  // namespace heardmap
