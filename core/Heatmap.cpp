#include "Heatmap.h"

#include <algorithm>

namespace heardmap {

void Heatmap::updateRange() {
  if (scores.empty()) {
    rawMin = rawMax = 0.0f;
    return;
  }
  const auto [lo, hi] = std::minmax_element(scores.begin(), scores.end());
  rawMin = *lo;
  rawMax = *hi;
}

}  // namespace heardmap
