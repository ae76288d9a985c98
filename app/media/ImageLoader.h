// Decodes a still image (PNG with alpha, JPEG, WebP, ... anything FFmpeg reads) to RGBA.
#pragma once

#include <string>

#include "core/data/RgbaImage.h"

namespace heardmap {

// Scales down (never up) so the longest side is at most maxSidePx (0 = keep). Throws MediaError.
RgbaImage decodeImageRgba(const std::string& path, int maxSidePx = 0);

}  // namespace heardmap
