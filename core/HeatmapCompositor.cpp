#include "HeatmapCompositor.h"

#include <algorithm>
#include <cmath>

#include "BilinearResampler.h"
#include "Colormap.h"

namespace heardmap {

HeatmapCompositor::HeatmapCompositor() : table_(colormapTable(settings_.colormap)) {}

void HeatmapCompositor::setSettings(const OverlaySettings& settings) {
  if (settings.colormap != settings_.colormap) {
    table_ = colormapTable(settings.colormap);
  }
  settings_ = settings;
}

float HeatmapCompositor::sample(const DisplayHeatmap& heatmap, float u, float v) {
  const float x = std::clamp(u, 0.0f, 1.0f) * static_cast<float>(heatmap.width - 1);
  const float y = std::clamp(v, 0.0f, 1.0f) * static_cast<float>(heatmap.height - 1);
  const int x0 = std::min(static_cast<int>(x), std::max(heatmap.width - 2, 0));
  const int y0 = std::min(static_cast<int>(y), std::max(heatmap.height - 2, 0));
  const int x1 = std::min(x0 + 1, heatmap.width - 1);
  const int y1 = std::min(y0 + 1, heatmap.height - 1);
  const float tx = x - static_cast<float>(x0);
  const float ty = y - static_cast<float>(y0);
  const auto at = [&](int xi, int yi) {
    return heatmap.scores[static_cast<size_t>(yi * heatmap.width + xi)];
  };
  const float top = at(x0, y0) + tx * (at(x1, y0) - at(x0, y0));
  const float bottom = at(x0, y1) + tx * (at(x1, y1) - at(x0, y1));
  return top + ty * (bottom - top);
}

RgbImage HeatmapCompositor::compose(const RgbImage& frame, const DisplayHeatmap& heatmap) const {
  RgbImage out = frame;
  if (heatmap.empty() || frame.empty()) {
    return out;
  }
  // The map at the frame's size, sampled at pixel centres as the shader samples it.
  const std::vector<float> scores = BilinearResampler(heatmap.width, heatmap.height, frame.width,
                                                      frame.height, SampleGrid::PixelCentres)
                                        .resample(heatmap.scores);
  for (int y = 0; y < frame.height; ++y) {
    for (int x = 0; x < frame.width; ++x) {
      const float score = scores[static_cast<size_t>(y) * static_cast<size_t>(frame.width) +
                                 static_cast<size_t>(x)];
      if (heatmap.hideBelowLow && score < heatmap.low) {
        continue;
      }
      const auto rgb = sampleColormap(table_, heatmap.normalized(score));
      uint8_t* p =
          out.pixels.data() +
          (static_cast<size_t>(y) * static_cast<size_t>(frame.width) + static_cast<size_t>(x)) * 3;
      for (int c = 0; c < 3; ++c) {
        const float base = p[c] / 255.0f;
        const float mixed = base + settings_.opacity * (rgb[static_cast<size_t>(c)] - base);
        p[c] = static_cast<uint8_t>(std::lround(std::clamp(mixed, 0.0f, 1.0f) * 255.0f));
      }
    }
  }
  return out;
}

}  // namespace heardmap
