#include "RoughDuration.h"

#include <cstdio>

namespace heardmap {

std::string roughDuration(double seconds) {
  char text[32];
  if (seconds < 90.0) {
    std::snprintf(text, sizeof(text), "%.0f s", seconds);
  } else if (seconds < 90.0 * 60.0) {
    std::snprintf(text, sizeof(text), "%.0f min", seconds / 60.0);
  } else {
    std::snprintf(text, sizeof(text), "%.1f h", seconds / 3600.0);
  }
  return text;
}

}  // namespace heardmap
