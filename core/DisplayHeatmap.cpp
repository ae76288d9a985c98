#include "DisplayHeatmap.h"

#include <algorithm>

namespace heardmap {

// Below this span the range is treated as flat.
constexpr float kMinimumSpan = 1e-6f;

float DisplayHeatmap::normalized(float score) const {
  const float span = std::max(high - low, kMinimumSpan);
  return std::clamp((score - low) / span, 0.0f, 1.0f);
}

}  // namespace heardmap
