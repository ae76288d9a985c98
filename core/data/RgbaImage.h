// An 8-bit RGBA picture (tightly packed rows): object cut-outs with their alpha masks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace heardmap {

struct RgbaImage {
  int width = 0;
  int height = 0;
  std::vector<uint8_t> pixels;  // width * height * 4

  bool empty() const { return width <= 0 || height <= 0; }
};

}  // namespace heardmap
