// Writes an RGB image as PNG with FFmpeg's encoder (atomically).
#pragma once

#include <string>

#include "core/RgbImage.h"

namespace heardmap {

// Throws MediaError or FileError.
void writePng(const std::string& path, const RgbImage& image);

}  // namespace heardmap
