#include "GroundTruth.h"

#include <algorithm>

namespace heardmap {
namespace {

void addBox(std::vector<float>& map, const PixelBox& box, int size, float value) {
  const int x0 = std::clamp(box.x0, 0, size);
  const int x1 = std::clamp(box.x1, 0, size);
  const int y0 = std::clamp(box.y0, 0, size);
  const int y1 = std::clamp(box.y1, 0, size);
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      map[static_cast<size_t>(y * size + x)] += value;
    }
  }
}

}  // namespace

std::vector<float> consensusGroundTruth(const std::vector<std::vector<PixelBox>>& boxesPerAnnotator,
                                        int size) {
  std::vector<float> map(static_cast<size_t>(size * size), 0.0f);
  for (const auto& boxes : boxesPerAnnotator) {
    for (const PixelBox& box : boxes) {
      addBox(map, box, size, 1.0f);
    }
  }
  for (float& v : map) {
    v = std::min(v / 2.0f, 1.0f);
  }
  return map;
}

std::vector<float> unionGroundTruth(const std::vector<PixelBox>& boxes, int size) {
  std::vector<float> map(static_cast<size_t>(size * size), 0.0f);
  for (const PixelBox& box : boxes) {
    addBox(map, box, size, 1.0f);
  }
  for (float& v : map) {
    v = std::min(v, 1.0f);
  }
  return map;
}

PixelBox boxFromNormalized(double x0, double y0, double x1, double y1, int size) {
  const auto scale = [size](double v) { return static_cast<int>(std::clamp(v, 0.0, 1.0) * size); };
  return {scale(x0), scale(y0), scale(x1), scale(y1)};
}

}  // namespace heardmap
