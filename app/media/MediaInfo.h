// What a media file holds, as probed on open.
#pragma once

#include <string>

namespace heardmap {

struct MediaInfo {
  std::string path;
  std::string container;  // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
  double durationSeconds = 0.0;
  bool hasVideo = false;
  int width = 0;
  int height = 0;
  double frameRate = 0.0;  // average frames per second
  std::string videoCodec;
  bool hasAudio = false;
  int audioSampleRateHz = 0;
  int audioChannels = 0;
  std::string audioCodec;

  // One line for the status bar / logs.
  std::string summary() const;
};

}  // namespace heardmap
