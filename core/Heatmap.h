// A model's low-resolution localisation map for one frame, in raw score units.
#pragma once

#include <vector>

namespace heardmap {

struct Heatmap {
  int width = 0;  // e.g. 7 for EZ-VSL at 224
  int height = 0;
  std::vector<float> scores;  // row-major, raw cosine similarity in [-1, 1]
  float rawMin = 0.0f;
  float rawMax = 0.0f;
  double timeSeconds = 0.0;  // media time of the frame it was computed for
  double inferenceMs = 0.0;

  bool empty() const { return scores.empty(); }
  // Recomputes rawMin / rawMax from scores.
  void updateRange();
};

}  // namespace heardmap
