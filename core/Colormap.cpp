#include "Colormap.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace heardmap {
namespace {

struct Anchor {
  float position;
  float r, g, b;
};

// Piecewise-linear maps through colours sampled from the published palettes.
const std::vector<Anchor> kViridis = {{0.00f, 0.267f, 0.005f, 0.329f},
                                      {0.25f, 0.231f, 0.322f, 0.545f},
                                      {0.50f, 0.129f, 0.569f, 0.549f},
                                      {0.75f, 0.369f, 0.788f, 0.384f},
                                      {1.00f, 0.993f, 0.906f, 0.144f}};
const std::vector<Anchor> kInferno = {{0.00f, 0.001f, 0.000f, 0.014f},
                                      {0.25f, 0.341f, 0.062f, 0.429f},
                                      {0.50f, 0.736f, 0.216f, 0.330f},
                                      {0.75f, 0.978f, 0.557f, 0.035f},
                                      {1.00f, 0.988f, 1.000f, 0.645f}};

std::array<float, 3> interpolate(const std::vector<Anchor>& anchors, float x) {
  for (size_t i = 1; i < anchors.size(); ++i) {
    if (x <= anchors[i].position) {
      const Anchor& a = anchors[i - 1];
      const Anchor& b = anchors[i];
      const float t = (x - a.position) / (b.position - a.position);
      return {a.r + t * (b.r - a.r), a.g + t * (b.g - a.g), a.b + t * (b.b - a.b)};
    }
  }
  const Anchor& last = anchors.back();
  return {last.r, last.g, last.b};
}

float clamp01(float v) {
  return std::min(1.0f, std::max(0.0f, v));
}

}  // namespace

std::vector<float> colormapTable(ColormapId id) {
  std::vector<float> table(static_cast<size_t>(kColormapSize) * 3);
  for (int i = 0; i < kColormapSize; ++i) {
    const float x = static_cast<float>(i) / (kColormapSize - 1);
    std::array<float, 3> rgb{};
    switch (id) {
      case ColormapId::Jet:
        rgb = {clamp01(1.5f - std::fabs(4.0f * x - 3.0f)),
               clamp01(1.5f - std::fabs(4.0f * x - 2.0f)),
               clamp01(1.5f - std::fabs(4.0f * x - 1.0f))};
        break;
      case ColormapId::Viridis:
        rgb = interpolate(kViridis, x);
        break;
      case ColormapId::Inferno:
        rgb = interpolate(kInferno, x);
        break;
      case ColormapId::Gray:
        rgb = {x, x, x};
        break;
      case ColormapId::Invalid:
        throw std::invalid_argument("colormapTable: invalid colormap");
    }
    for (int c = 0; c < 3; ++c) {
      table[static_cast<size_t>(i * 3 + c)] = rgb[static_cast<size_t>(c)];
    }
  }
  return table;
}

std::array<float, 3> sampleColormap(const std::vector<float>& table, float value) {
  const float position = clamp01(value) * (kColormapSize - 1);
  const int i0 = std::min(static_cast<int>(position), kColormapSize - 2);
  const float t = position - static_cast<float>(i0);
  std::array<float, 3> rgb{};
  for (int c = 0; c < 3; ++c) {
    const float a = table[static_cast<size_t>(i0 * 3 + c)];
    const float b = table[static_cast<size_t>((i0 + 1) * 3 + c)];
    rgb[static_cast<size_t>(c)] = a + t * (b - a);
  }
  return rgb;
}

}  // namespace heardmap
