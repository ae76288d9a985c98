// A heatmap ready to draw: smoothed scores plus the score range [low, high] that maps to the
// colormap's ends. Produced by HeatmapProcessor, consumed by the shader and the CPU compositor.
#pragma once

#include <vector>

namespace heardmap {

struct DisplayHeatmap {
  int width = 0;
  int height = 0;
  std::vector<float> scores;     // smoothed raw cosine scores, row-major
  float low = 0.0f;              // score drawn with the colormap's first colour
  float high = 1.0f;             // score drawn with its last colour
  bool hideBelowLow = false;     // absolute threshold: pixels under low are not coloured
  bool anythingAboveLow = true;  // false = "nothing above threshold"
  float rawMin = 0.0f;           // of the unsmoothed input, for the UI
  float rawMax = 0.0f;

  bool empty() const { return scores.empty(); }
  // Maps a score to [0, 1] with this heatmap's range (the shader does the same).
  float normalized(float score) const;
};

}  // namespace heardmap
