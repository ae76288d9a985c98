// Decodes JPEG files with libjpeg-turbo as PIL does (Image.open(path).convert('RGB')): the
// library's default integer DCT and fancy upsampling, its own YCbCr -> RGB conversion; grayscale
// files become RGB by repeating the channel, CMYK / YCCK ones go through Pillow's conversion. The
// official data loaders read their frames this way; FFmpeg's JPEG decoder differs from it by up to
// 113 levels on tst_PilMatch's files (35 on the frames issue 17 measured), enough to move
// per-sample cIoU.
#pragma once

#include <string>

#include "core/RgbImage.h"

namespace heardmap {

// Whether the file starts with the JPEG signature (FF D8 FF).
bool isJpegFile(const std::string& path);
// Throws MediaError naming the file for an unreadable, corrupt or truncated JPEG.
RgbImage decodeJpegLikePil(const std::string& path);

}  // namespace heardmap
