// CPU reference of the overlay shader: upsamples a display heatmap over a frame, colour-maps it and
// blends it. Used by the headless renderer and as the oracle in the shader read-back test.
#pragma once

#include <vector>

#include "DisplayHeatmap.h"
#include "OverlaySettings.h"
#include "RgbImage.h"

namespace heardmap {

class HeatmapCompositor {
 public:
  HeatmapCompositor();
  void setSettings(const OverlaySettings& settings);

  // Returns frame with the heatmap blended over it (frame size kept). Texel centres follow the
  // shader: pixel centre u = (x + 0.5) / W samples the map at u * (w - 1) (corners aligned).
  RgbImage compose(const RgbImage& frame, const DisplayHeatmap& heatmap) const;

  // Bilinear sample of the heatmap at normalized position (u, v) in [0, 1].
  static float sample(const DisplayHeatmap& heatmap, float u, float v);

 private:
  OverlaySettings settings_;
  std::vector<float> table_;  // lookup table of settings_.colormap
};

}  // namespace heardmap
