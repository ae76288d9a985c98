#include "MediaInfo.h"

#include <cstdio>

namespace heardmap {

std::string MediaInfo::summary() const {
  char buffer[320];
  if (hasAudio) {
    std::snprintf(buffer, sizeof(buffer), "%dx%d %.3g fps %s, audio %s %d Hz %d ch, %.2f s", width,
                  height, frameRate, videoCodec.c_str(), audioCodec.c_str(), audioSampleRateHz,
                  audioChannels, durationSeconds);
  } else {
    std::snprintf(buffer, sizeof(buffer), "%dx%d %.3g fps %s, no audio track, %.2f s", width,
                  height, frameRate, videoCodec.c_str(), durationSeconds);
  }
  return buffer;
}

}  // namespace heardmap
