// An 8-bit RGB picture (tightly packed rows) with the media time it belongs to.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace heardmap {

struct RgbImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 3, row-major
  double timeSeconds = 0.0;

  bool empty() const { return width <= 0 || height <= 0; }
  const uint8_t* pixel(int x, int y) const {
    return pixels.data() +
           (static_cast<size_t>(y) * static_cast<size_t>(width) + static_cast<size_t>(x)) * 3;
  }
};

}  // namespace heardmap
